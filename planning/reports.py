"""Periodic reports (plan section 5(4)): each responsible unit reports its
progress on its key tasks by the 20th of every month, and a quarterly summary
by the 20th of the quarter's last month; the safety office accepts or returns
them and warns the units that are late."""
import calendar
import datetime as dt
import re

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.evidence import check_upload
from common.exceptions import InvalidInput, NotFound, NotPermitted
from common.inputs import TEXT_MAX_CHARS, check_text, parse_id, text_problem
from org.calendar import end_of_day, local_tz
from org.models import Agency, User
from org.outbox import notify, supervisors, users_of
from supervision.models import Warning
from supervision.warnings import issue_warning

from .models import PlanTask, PlanTaskAgency, ProgressReport, ReportAttachment, ReportEntry
from .period import month_in_period, period_text, plan_period

DUE_DAY = 20
QUARTER_END_MONTHS = (3, 6, 9, 12)
PERIOD_PATTERN = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
FIRST_PERIOD_YEAR = 2000  # no figures or reports before the system's records begin


# --- periods -------------------------------------------------------------------
def parse_period(value, field: str = "period") -> dt.date:
    """``YYYY-MM`` as the month's first day, from 2000 to next year, or
    ``InvalidInput`` naming the field."""
    match = PERIOD_PATTERN.fullmatch(value or "") if isinstance(value, str) else None
    if not match:
        raise InvalidInput(fields={field: [_("Give the period as YYYY-MM, for example 2026-10.")]})
    year, last = int(match.group(1)), timezone.localdate().year + 1
    if not FIRST_PERIOD_YEAR <= year <= last:
        raise InvalidInput(fields={field: [_("The period must lie between %(first)d-01 and %(last)d-12.")
                                           % {"first": FIRST_PERIOD_YEAR, "last": last}]})
    return dt.date(year, int(match.group(2)), 1)


def format_period(period: dt.date) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def due_date(period: dt.date) -> dt.date:
    """The 20th of the period's month (for a quarterly summary, the quarter's last month)."""
    return period.replace(day=DUE_DAY)


def month_bounds(period: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month as [start, end) in Asia/Shanghai."""
    start = dt.datetime.combine(period, dt.time.min, tzinfo=local_tz())
    days = calendar.monthrange(period.year, period.month)[1]
    return start, start + dt.timedelta(days=days)


def kinds_due(period: dt.date) -> list[str]:
    kinds = [ProgressReport.Kind.MONTHLY]
    if period.month in QUARTER_END_MONTHS:
        kinds.append(ProgressReport.Kind.QUARTERLY)
    return kinds


# --- who reports on what ----------------------------------------------------------
def responsible_tasks(agency: Agency) -> QuerySet[PlanTask]:
    return PlanTask.objects.filter(responsibilities__agency=agency).distinct().order_by("number")


def reporting_agencies() -> QuerySet[Agency]:
    """Units responsible for a key task that have someone to write the report."""
    return (
        Agency.objects.filter(pk__in=PlanTaskAgency.objects.values("agency"))
        .filter(users__is_active=True)
        .distinct()
        .order_by("code")
    )


def punctuality(period: dt.date, *, kind: str = ProgressReport.Kind.MONTHLY,
                now: dt.datetime | None = None) -> list[dict]:
    """Per reporting unit, its report for the period: ``on_time`` (submitted by
    the end of the 20th), ``late``, ``missing`` (nothing submitted and the day
    has passed) or ``pending`` (not yet due). A report's first submission
    counts; a returned and resubmitted report keeps it. No unit is due for a
    month outside the plan's campaign period."""
    if not month_in_period(period):
        return []
    deadline = end_of_day(due_date(period))
    now = now or timezone.now()
    reports = {
        r.agency_id: r for r in ProgressReport.objects.filter(kind=kind, period=period)
        .exclude(status=ProgressReport.Status.DRAFT)
    }
    rows = []
    for agency in reporting_agencies():
        report = reports.get(agency.pk)
        submitted = report.submitted_at if report is not None else None
        if submitted is None:
            state = "missing" if now > deadline else "pending"
        else:
            state = "on_time" if submitted <= deadline else "late"
        rows.append({"agency": agency, "report": report, "submitted_at": submitted, "state": state})
    return rows


def late_units(period: dt.date, *, kind: str = ProgressReport.Kind.MONTHLY, today: dt.date | None = None) -> list[dict]:
    """Units whose report for the period is late or missing (as of the end of ``today``)."""
    now = end_of_day(today) if today is not None else None
    return [row for row in punctuality(period, kind=kind, now=now) if row["state"] in ("late", "missing")]


# --- reading ---------------------------------------------------------------------
def reports_visible_to(user: User) -> QuerySet[ProgressReport]:
    """A unit sees its own reports; the safety office sees every report once submitted."""
    reports = ProgressReport.objects.select_related("agency", "submitted_by", "reviewed_by")
    if user.is_supervisor:
        return reports.filter(Q(agency_id=user.agency_id) | ~Q(status=ProgressReport.Status.DRAFT))
    return reports.filter(agency_id=user.agency_id)


def get_visible_report(user: User, report_id) -> ProgressReport:
    report_id = parse_id(report_id)
    report = reports_visible_to(user).filter(pk=report_id).first() if report_id is not None else None
    if report is None:
        raise NotFound()
    return report


# --- writing ---------------------------------------------------------------------
@transaction.atomic
def save_report(*, actor: User, kind: str, period: str, entries: list, submit: bool = False) -> ProgressReport:
    """Create or update the unit's draft for the period (and submit it)."""
    if kind not in ProgressReport.Kind.values:
        raise InvalidInput(fields={"kind": [_("Must be monthly or quarterly.")]})
    start = parse_period(period)
    if start > timezone.localdate().replace(day=1):
        raise InvalidInput(fields={"period": [_("A report cannot be written for a future month.")]})
    if kind == ProgressReport.Kind.QUARTERLY and start.month not in QUARTER_END_MONTHS:
        raise InvalidInput(fields={"period": [_("A quarterly summary is for a quarter's last month (03, 06, 09, 12).")]})
    if not month_in_period(start):
        raise InvalidInput(fields={"period": [
            _("Reports are due for the months of the plan's campaign (%(period)s) only.")
            % {"period": period_text(plan_period())}]})
    if actor.agency_id is None:
        raise NotPermitted()
    rows = _validated_entries(actor.agency, entries)
    report, _created = ProgressReport.objects.select_for_update().get_or_create(
        agency_id=actor.agency_id, kind=kind, period=start, defaults={"created_by": actor}
    )
    _refuse_if_not_editable(report)
    existing = {entry.task_id: entry for entry in report.entries.all()}
    for task, status, progress in rows:
        entry = existing.get(task.pk)
        if entry is None:
            ReportEntry.objects.create(report=report, task=task, status=status, progress=progress)
        else:
            entry.status, entry.progress = status, progress
            entry.save(update_fields=["status", "progress"])
    report.save()
    if submit:
        _submit(report, actor)
    return report


@transaction.atomic
def submit_report(*, actor: User, report_id) -> ProgressReport:
    report = _own_report_for_update(actor, report_id)
    _submit(report, actor)
    return report


@transaction.atomic
def review_report(*, actor: User, report_id, accept: bool, comment: str = "") -> ProgressReport:
    """The safety office accepts a submitted report, or returns it with a comment."""
    if not actor.is_supervisor:
        raise NotPermitted(_("Only the safety office reviews reports."))
    report = get_visible_report(actor, report_id)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ProgressReport.Status.SUBMITTED:
        raise InvalidInput(fields={"status": [_("Only a submitted report can be reviewed.")]}, code="not_submitted")
    comment = check_text(comment, field="comment", max_length=2000)
    if not accept and not comment:
        raise InvalidInput(fields={"comment": [_("Say what must be corrected.")]})
    report.status = ProgressReport.Status.ACCEPTED if accept else ProgressReport.Status.RETURNED
    report.review_comment, report.reviewed_by, report.reviewed_at = comment, actor, timezone.now()
    report.save()
    if not accept:
        notify(recipients=users_of(report.agency_id), level=1, link=reverse("planning:reports"),
               subject=_("Report returned for correction: %(period)s") % {"period": format_period(report.period)},
               body=comment)
    return report


@transaction.atomic
def add_attachment(*, actor: User, report_id, task_number, upload) -> ReportAttachment:
    report = _own_report_for_update(actor, report_id)
    _refuse_if_not_editable(report)
    number = parse_id(task_number)
    entry = report.entries.filter(task__number=number).first() if number is not None else None
    if entry is None:
        raise InvalidInput(fields={"task": [_("The report has no entry for this key task.")]})
    content_type, sha256 = check_upload(upload)
    attachment = ReportAttachment(entry=entry, original_name=(upload.name or "")[-200:], content_type=content_type,
                                  sha256=sha256)
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def warn_late_unit(*, actor: User, agency_code: str, period: str, note: str) -> Warning:
    """警示提醒 to a unit that is late with its report; counted with case warnings."""
    if not actor.is_supervisor:
        raise NotPermitted(_("Only the safety office sends warnings."))
    start = parse_period(period)
    agency_code = check_text(agency_code, field="agency", max_length=40)
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        raise InvalidInput(fields={"agency": [_("Unknown agency.")]})
    note = check_text(note, field="note", required=True)
    if agency.pk not in {row["agency"].pk for row in late_units(start)}:
        raise InvalidInput(fields={"agency": [_("This unit is not late for the period.")]})
    return issue_warning(
        actor=actor, agency=agency, note=note.strip(), link=reverse("planning:reports"),
        subject=_("Warning (警示提醒): report for %(period)s is late") % {"period": format_period(start)},
    )


def notify_safety_office_of_late_units(period: dt.date, names: list[str]) -> None:
    notify(recipients=supervisors(), level=2, link=f"{reverse('planning:reports')}?period={format_period(period)}",
           subject=_("Units late with the report for %(period)s: %(names)s")
           % {"period": format_period(period), "names": "、".join(names)})


# --- helpers -----------------------------------------------------------------------
def _validated_entries(agency: Agency, entries) -> list[tuple[PlanTask, str, str]]:
    if not isinstance(entries, list) or not entries:
        raise InvalidInput(fields={"entries": [_("Report on at least one key task.")]})
    responsible = {task.number: task for task in responsible_tasks(agency)}
    rows, errors = [], {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            errors[f"entries[{index}]"] = [_("Must be an object {task, status, progress}.")]
            continue
        number = entry.get("task")
        if isinstance(number, bool) or not isinstance(number, int) or number not in responsible:
            errors[f"entries[{index}].task"] = [_("Your unit is not responsible for this key task.")]
        if entry.get("status") not in ReportEntry.Progress.values:
            errors[f"entries[{index}].status"] = [_("Unknown status.")]
        progress = entry.get("progress")
        if not isinstance(progress, str) or not progress.strip():
            errors[f"entries[{index}].progress"] = [_("Describe the progress.")]
        elif text_problem(progress) or len(progress) > TEXT_MAX_CHARS:
            errors[f"entries[{index}].progress"] = [text_problem(progress) or _("At most %(n)d characters.")
                                                    % {"n": TEXT_MAX_CHARS}]
        if not errors:
            rows.append((responsible[number], entry["status"], progress.strip()))
    if len({task.pk for task, _s, _p in rows}) != len(rows):
        errors["entries"] = [_("Each key task appears once.")]
    if errors:
        raise InvalidInput(fields=errors)
    return rows


def _refuse_if_not_editable(report: ProgressReport) -> None:
    if report.status == ProgressReport.Status.ACCEPTED:
        raise InvalidInput(fields={"status": [_("The report has been accepted and cannot be changed.")]},
                           code="already_accepted")
    if report.status == ProgressReport.Status.SUBMITTED:
        raise InvalidInput(fields={"status": [_("The report is waiting for review.")]}, code="awaiting_review")


def _own_report_for_update(actor: User, report_id) -> ProgressReport:
    report = get_visible_report(actor, report_id)
    if report.agency_id != actor.agency_id:
        raise NotPermitted(_("Only the unit itself changes its report."))
    return ProgressReport.objects.select_for_update().get(pk=report.pk)


def _submit(report: ProgressReport, actor: User) -> None:
    _refuse_if_not_editable(report)
    if not report.entries.exists():
        raise InvalidInput(fields={"entries": [_("Report on at least one key task.")]})
    report.status = ProgressReport.Status.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = report.submitted_at or timezone.now()  # the first submission counts for punctuality
    report.save()
