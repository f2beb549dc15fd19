"""The escalation ladder and its scan (docs/rules.md, "Deadlines and escalation").

Rung 1 at 80% of the time: a reminder to the assignee (or the agency's queue).
Rung 2 at the due time: a red notice to the agency's leaders.
Rung 3 past due by the policy's grace period, or at the due time for a major
hazard: the case is listed for supervision (挂牌督办) and the safety office
gets a ``supervise`` task.

The scan reads only tasks whose next rung is due (a partial index on
``next_escalation_at``), so its cost follows the number of due tasks, not of
open ones, and applies every rung due at its time (a late scan catches up) in
set-based batches (``escalation_batch``). The ``Escalation`` row is unique per
task and level, so a rung never fires twice, whatever the number of workers or
reruns; a batch is one transaction, so a scan killed midway loses nothing that
the rerun does not fire.
"""
import datetime as dt
import multiprocessing
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone, translation

from flows.models import CaseTask

from .escalation_batch import escalate_batch


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


def scan(*, now: dt.datetime | None = None, batch: int | None = None, workers: int = 1) -> ScanReport:
    """Apply every rung that is due at ``now``. Running it twice changes nothing.

    ``workers`` > 1 runs the batches in that many processes (PostgreSQL only;
    ``manage.py escalate --workers``): batches lock disjoint tasks and skip a
    case another batch holds, and a case's tasks fall in one batch because the
    due tasks are taken in case order."""
    now = now or timezone.now()
    batch = batch or settings.ESCALATION_BATCH_SIZE
    report = ScanReport(now=now)
    due = list(CaseTask.objects.filter(next_escalation_at__lte=now).order_by("case_id", "pk")
               .values_list("pk", flat=True))
    report.tasks_seen = len(due)
    batches = [due[start:start + batch] for start in range(0, len(due), batch)]
    # processes need connections of their own, which the caller's open transaction would lose
    parallel = workers > 1 and len(batches) > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
    if parallel:
        connections.close_all()  # each process opens its own
        with multiprocessing.get_context("fork").Pool(min(workers, len(batches))) as pool:
            results = pool.starmap(_run_batch, [(ids, now) for ids in batches])
    else:
        results = [_run_batch(ids, now) for ids in batches]
    for fired in results:
        report.fired.extend(Fired(*row) for row in fired)
    return report


def _run_batch(task_ids: list[int], now: dt.datetime) -> list[tuple]:
    with translation.override(settings.LANGUAGE_CODE):
        return escalate_batch(task_ids, now=now)
