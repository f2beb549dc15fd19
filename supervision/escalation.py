"""The escalation ladder and its scan (DESIGN.md section 3).

Rung 1 at 80% of the time: a reminder to the assignee (or the agency's queue).
Rung 2 at the due time: a red notice to the agency's leaders.
Rung 3 past due by the policy's grace period, or at the due time for a major
hazard: the case is listed for supervision (挂牌督办) and the safety office
gets a ``supervise`` task.

The scan reads only tasks whose next rung is due (a partial index on
``next_escalation_at``) and applies every rung due at its time (a late scan
catches up). The ``Escalation`` row is unique per task and level, so a rung
never fires twice, whatever the number of workers or reruns.
"""
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from cases.models import Case
from enforcement.services import notify, supervisors, users_of
from flows.models import CaseTask

from .escalation_batch import escalate_batch, rung_text, rung_words
from .models import Escalation

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


@dataclass
class Fired:
    case_number: str
    step: str
    agency: str
    level: int


@dataclass
class ScanReport:
    now: dt.datetime
    fired: list[Fired] = field(default_factory=list)
    tasks_seen: int = 0

    def summary(self) -> str:
        counts = {level: sum(1 for f in self.fired if f.level == level) for level in (1, 2, 3)}
        return (
            f"escalation scan as of {self.now.isoformat()}: {self.tasks_seen} task(s) due, "
            f"{counts[1]} reminder(s), {counts[2]} leader notice(s), {counts[3]} listed for supervision"
        )


def scan(*, now: dt.datetime | None = None, batch: int = 1000) -> ScanReport:
    """Apply every rung that is due at ``now``. Running it twice changes nothing.

    The due tasks are read once from the partial index; rungs 1 and 2 are fired
    in set-based batches (``escalation_batch``), rung 3, which starts the
    supervision flow, task by task under the case's flow lock."""
    now = now or timezone.now()
    report = ScanReport(now=now)
    due = list(CaseTask.objects.filter(next_escalation_at__lte=now).order_by("next_escalation_at", "pk")
               .values_list("pk", flat=True))
    report.tasks_seen = len(due)
    with translation.override(settings.LANGUAGE_CODE):
        for start in range(0, len(due), batch):
            fired, to_supervise = escalate_batch(due[start:start + batch], now=now)
            report.fired.extend(Fired(*row) for row in fired)
            for task_id in to_supervise:
                report.fired.extend(escalate_task(task_id=task_id, now=now))
    return report


@transaction.atomic
def escalate_task(*, task_id: int, now: dt.datetime) -> list[Fired]:
    """Fire the rungs of one task that are due at ``now``, under its flow lock."""
    row = CaseTask.objects.filter(pk=task_id).select_related("process").first()
    if row is None:
        return []
    with row.process.flow_class.lock(row.process_id):
        task = CaseTask.objects.select_related("agency", "owner").get(pk=task_id)
        if task.status not in OPEN or task.paused_at is not None:
            CaseTask.objects.filter(pk=task_id).update(next_escalation_at=None)
            return []
        if task.next_escalation_at is None or task.next_escalation_at > now:
            return []  # another scan got here first
        case = Case.objects.select_for_update().get(pk=task.case_id)
        fired = []
        for level, at in enumerate(task.ladder(), start=1):
            if level <= task.escalation_level or at is None or at > now:
                continue
            _fire(level, task=task, case=case, now=now)
            task.escalation_level = level
            fired.append(Fired(case.number, task.step, task.agency.code, level))
        task.next_escalation_at = task.next_rung_time()
        CaseTask.objects.filter(pk=task_id).update(
            escalation_level=task.escalation_level, next_escalation_at=task.next_escalation_at
        )
        if fired:
            case.supervision_level = max(case.supervision_level, task.escalation_level)
            case.save(update_fields=["supervision_level"])
        return fired


def _fire(level: int, *, task: CaseTask, case: Case, now: dt.datetime) -> None:
    Escalation.objects.create(task=task, case=case, agency=task.agency, level=level, fired_at=now, due_at=task.due_at)
    words = rung_words(task, case)
    link = f"/tasks/{task.pk}/"
    if level == 1:
        recipients = [task.owner] if task.owner_id else users_of(task.agency_id)
        subject, note = rung_text(1, words)
        notify(recipients=recipients, level=1, case_id=case.pk, link=link, subject=subject)
    elif level == 2:
        subject, note = rung_text(2, words)
        notify(recipients=users_of(task.agency_id, leaders_only=True), level=2, case_id=case.pk, link=link,
               subject=subject)
    else:
        _list_for_supervision(task=task, case=case)
        notify(recipients=[*supervisors(), *users_of(task.agency_id, leaders_only=True)], level=3,
               case_id=case.pk, link=f"/cases/{case.pk}/",
               subject=_("Listed for supervision (挂牌督办): %(number)s, %(agency)s, %(step)s") % words)
        note = _("Listed for supervision: %(agency)s is late with %(step)s") % words
    case.record(actor=None, action="escalate", step=task.step, task_id=task.pk, note=note,
                data={"level": level, "agency": task.agency.code})


def _list_for_supervision(*, task: CaseTask, case: Case) -> None:
    from .flows import SupervisionFlow

    if not case.supervisions.filter(finished__isnull=True).exists():
        SupervisionFlow.start.run(case=case, late_task=task)
