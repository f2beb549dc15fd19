"""The progress of the plan's key tasks, per task and unit, driven by the
tasks' deadlines and milestones and by the units' reports: 未开始 (nothing
reported), 推进中 (reported, nothing due missed), 已完成 (reported done), 逾期
(a deadline or milestone passed without the work done). A unit whose work
lags, not only whose report is late, can be warned (警示提醒) and interviewed
(约谈); both count with the case warnings for the annual assessment."""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from cases.models import Campaign
from common.exceptions import InvalidInput, NotPermitted
from common.inputs import check_text
from org.models import Agency, User
from supervision.models import Interview, Warning
from supervision.warnings import issue_warning, record_interview

from .models import PlanTask, PlanTaskAgency, ProgressReport, ReportEntry

NOT_STARTED, IN_PROGRESS, DONE, LAGGING = "not_started", "in_progress", "done", "lagging"
STATE_LABELS = {NOT_STARTED: pgettext_lazy("plan progress", "Not started"),
                IN_PROGRESS: pgettext_lazy("plan progress", "In progress"),
                DONE: pgettext_lazy("plan progress", "Done"), LAGGING: pgettext_lazy("plan progress", "Lagging")}
WORKING = {ReportEntry.Progress.IN_PROGRESS, ReportEntry.Progress.DONE, ReportEntry.Progress.ONGOING}


# --- the state of a task's unit ------------------------------------------------------------------
@dataclass
class UnitProgress:
    agency: Agency
    role: str
    stands_for: str
    state: str
    last: ReportEntry | None = None
    missed: list[str] = field(default_factory=list)  # what is due and not met

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def role_label(self):
        return PlanTaskAgency.Role(self.role).label


@dataclass
class TaskProgress:
    task: PlanTask
    units: list[UnitProgress]


def unit_state(task: PlanTask, entries: list[ReportEntry], campaigns: list[Campaign], agency_id: int,
               today: dt.date) -> tuple[str, list[str]]:
    """The state of one unit's work on one task, and what it has missed."""
    latest = entries[0] if entries else None
    if latest is not None and latest.status == ReportEntry.Progress.DONE and not task.ongoing:
        return DONE, []
    missed = []
    for milestone in task.milestones or []:
        day = dt.date.fromisoformat(milestone["date"])
        met = any(entry.report.period <= day and entry.status in WORKING for entry in entries) or any(
            campaign.lead_id == agency_id and campaign.starts_on <= day for campaign in campaigns)
        if day < today and not met:
            missed.append(f"{day}：{milestone['text']}")
    settled = latest is not None and latest.status in (ReportEntry.Progress.DONE, ReportEntry.Progress.ONGOING)
    if task.deadline and task.deadline < today and not settled:
        missed.append(f"{task.deadline}：{task.deadline_text}")
    if missed:
        return LAGGING, missed
    return (IN_PROGRESS if latest is not None else NOT_STARTED), []


def progress_table(*, today: dt.date | None = None) -> list[TaskProgress]:
    """Every task with each of its units' state and last report, in three queries."""
    today = today or timezone.localdate()
    tasks = list(PlanTask.objects.prefetch_related("responsibilities__agency").order_by("number"))
    entries = defaultdict(list)  # (task, agency) -> entries, the latest first
    for entry in (ReportEntry.objects.exclude(report__status=ProgressReport.Status.DRAFT)
                  .select_related("report").order_by("-report__period", "-report__kind", "-id")):
        entries[(entry.task_id, entry.report.agency_id)].append(entry)
    campaigns = defaultdict(list)
    for campaign in Campaign.objects.filter(plan_task__isnull=False):
        campaigns[campaign.plan_task].append(campaign)
    table = []
    for task in tasks:
        units = []
        for link in task.responsibilities.all():
            found = entries.get((task.pk, link.agency_id), [])
            state, missed = unit_state(task, found, campaigns.get(task.number, []), link.agency_id, today)
            units.append(UnitProgress(link.agency, link.role, link.stands_for, state, found[0] if found else None,
                                      missed))
        table.append(TaskProgress(task, units))
    return table


def lagging_units(*, today: dt.date | None = None) -> list[tuple[PlanTask, UnitProgress]]:
    return [(row.task, unit) for row in progress_table(today=today) for unit in row.units if unit.state == LAGGING]


def _lagging(agency_code: str, task_number) -> tuple[Agency, PlanTask]:
    lagging = {(task.number, unit.agency.code): (unit.agency, task) for task, unit in lagging_units()}
    found = lagging.get((task_number, agency_code)) if isinstance(task_number, int) else None
    if found is None:
        raise InvalidInput(fields={"agency": [_("This unit's work on this key task is not lagging.")]})
    return found


# --- warning and interviewing a unit whose work lags ----------------------------------------------
@transaction.atomic
def warn_lagging_unit(*, actor: User, agency_code: str, task_number, note: str) -> Warning:
    if not actor.is_supervisor:
        raise NotPermitted(_("Only the safety office sends warnings."))
    note = check_text(note, field="note", required=True)
    agency, task = _lagging(agency_code, task_number)
    return issue_warning(
        actor=actor, agency=agency, note=note, plan_task=task.number, link=reverse("planning:tasks"),
        subject=_("Warning (警示提醒): key task %(number)d lags") % {"number": task.number},
    )


@transaction.atomic
def interview_lagging_unit(*, actor: User, agency_code: str, task_number, held_on: dt.date, attendees: str,
                           minutes: str) -> Interview:
    if not actor.is_supervisor:
        raise NotPermitted(_("Only the safety office records interviews."))
    errors = {}
    if not isinstance(held_on, dt.date) or held_on > timezone.localdate() or held_on.year < 2000:
        errors["held_on"] = [_("An interview is recorded after it was held.")]
    texts = {}
    for name, value in (("attendees", attendees), ("minutes", minutes)):
        try:
            texts[name] = check_text(value, field=name, required=True)
        except InvalidInput as error:
            errors.update(error.fields)
    if errors:
        raise InvalidInput(fields=errors)
    agency, task = _lagging(agency_code, task_number)
    return record_interview(actor=actor, agency=agency, plan_task=task.number, held_on=held_on, **texts)
