"""Report reminders, run hourly by beat (each sent once) (and ``manage.py report_reminders``):
from the 15th, units that have not submitted the month's report are reminded;
from the 21st, the late units are listed for the safety office. Each fires
once per unit and period (a unique row), so reruns change nothing; nothing
fires for a month outside the plan's campaign period."""
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from org.outbox import notify, users_of

from .models import ProgressReport, ReportReminder
from .period import month_in_period
from .reports import format_period, kinds_due, late_units, notify_safety_office_of_late_units, reporting_agencies

REMIND_FROM_DAY = 15
LATE_FROM_DAY = 21


@dataclass
class ReminderReport:
    reminded: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.reminded)} unit(s) reminded, {len(self.late)} late unit(s) listed for the safety office"


def run_report_reminders(*, today: dt.date | None = None) -> ReminderReport:
    today = today or timezone.localdate()
    period = today.replace(day=1)
    report = ReminderReport()
    if not month_in_period(period):  # the plan's campaign is over (or not begun): nothing is due
        return report
    with translation.override(settings.LANGUAGE_CODE):
        for kind in kinds_due(period):
            if today.day >= REMIND_FROM_DAY:
                report.reminded += _remind(kind, period)
            if today.day >= LATE_FROM_DAY:
                report.late += _list_late(kind, period, today)
    return report


def _remind(kind: str, period: dt.date) -> list[str]:
    submitted = set(
        ProgressReport.objects.filter(kind=kind, period=period, submitted_at__isnull=False).values_list("agency", flat=True)
    )
    reminded = []
    already = ReportReminder.objects.filter(kind=kind, period=period, stage="remind").values("agency")
    for agency in reporting_agencies().exclude(pk__in=submitted).exclude(pk__in=already):
        with transaction.atomic():  # the reminder is marked sent only with its notification
            if not _once(agency, kind, period, "remind"):
                continue
            notify(recipients=users_of(agency.pk), level=1, link=reverse("planning:reports"),
                   subject=_("Reminder: the %(kind)s for %(period)s is due on the 20th")
                   % {"kind": ProgressReport.Kind(kind).label, "period": format_period(period)})
            reminded.append(agency.code)
    return reminded


@transaction.atomic
def _list_late(kind: str, period: dt.date, today: dt.date) -> list[str]:
    newly_late = [row["agency"] for row in late_units(period, kind=kind, today=today)
                  if _once(row["agency"], kind, period, "late")]
    if newly_late:
        notify_safety_office_of_late_units(period, [agency.name for agency in newly_late])
    return [agency.code for agency in newly_late]


def _once(agency, kind, period, stage) -> bool:
    try:
        with transaction.atomic():
            ReportReminder.objects.create(agency=agency, kind=kind, period=period, stage=stage)
        return True
    except IntegrityError:
        return False
