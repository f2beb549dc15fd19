"""Counting provisional due times again once a year's holiday notice is loaded.

A task whose ladder ran through a year with no notice was given Monday-to-
Friday times and ``due_provisional`` (org.calendar). When the notice
is entered (or a newer chinese-calendar knows the year), each such open task
is counted again from its creation, under the task's flow lock: the new ladder
keeps any shift a paused clock added (the difference between the stored
ladder and the same count with the newly known years taken as unknown), rungs
already fired stay fired, and the case's due time follows its tasks.
"""
import datetime as dt
import logging
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from org.calendar import is_year_known
from org.deadlines import clock_for_step

from .models import OPEN_STATUSES, CaseTask

logger = logging.getLogger(__name__)


def _newly_known(task: CaseTask) -> frozenset[int]:
    """Years of the task's ladder that are known now (it was provisional, so
    at least one of them was not when it was counted)."""
    times = [t for t in (task.created, *task.ladder()) if t is not None]
    first, last = (timezone.localtime(t).year for t in (min(times), max(times)))
    return frozenset(year for year in range(first, last + 1) if is_year_known(year))


def _clock(task: CaseTask, case: Case, assume_unknown: frozenset[int]):
    node = task.flow_task
    deadline = None
    if getattr(node, "_deadline", None):
        deadline = node._deadline(SimpleNamespace(process=SimpleNamespace(case=case), task=task))
    return clock_for_step(node.name, created=task.created, kind=case.kind, grade=case.grade,
                          default_days=node.days, default_grace=node.grace, ordered_deadline=deadline,
                          assume_unknown=assume_unknown)


def _shift(new: dt.datetime | None, stored: dt.datetime | None, old: dt.datetime | None) -> dt.datetime | None:
    if new is None:
        return None
    return new + (stored - old) if stored is not None and old is not None else new


@transaction.atomic
def recompute_task(*, task_id: int) -> bool:
    """Count one open provisional task's ladder again; True when it changed."""
    found = CaseTask.objects.filter(pk=task_id).only("id", "flow_task", "process_id").first()
    if found is None:
        return False
    with found.flow_task.flow_class.lock(found.process_id):
        task = CaseTask.objects.get(pk=task_id)
        if task.status not in OPEN_STATUSES or not task.due_provisional:
            return False
        case = Case.objects.select_for_update(of=("self",)).get(pk=task.case_id)
        newly_known = _newly_known(task)
        old, new = _clock(task, case, newly_known), _clock(task, case, frozenset())
        before = task.ladder()
        task.remind_at, task.due_at, task.supervise_at = (
            _shift(n, s, o) for n, s, o in zip((new.remind_at, new.due_at, new.supervise_at), before,
                                                (old.remind_at, old.due_at, old.supervise_at)))
        task.due_provisional = new.provisional
        escalates = getattr(task.flow_task, "_escalate", True)
        task.next_escalation_at = task.next_rung_time() if escalates and task.paused_at is None else None
        CaseTask.objects.filter(pk=task.pk).update(
            remind_at=task.remind_at, due_at=task.due_at, supervise_at=task.supervise_at,
            due_provisional=task.due_provisional, next_escalation_at=task.next_escalation_at)
        case.due_at = (
            CaseTask.objects.filter(case_id=case.pk, flow_task_type="HUMAN", status__in=OPEN_STATUSES,
                                    due_at__isnull=False).order_by("due_at").values_list("due_at", flat=True).first())
        Case.objects.filter(pk=case.pk).update(due_at=case.due_at)
        if task.ladder() != before:
            logger.info("task %s: due time counted again on the official calendar: %s -> %s",
                        task.pk, before[1], task.due_at)
        return task.ladder() != before or not task.due_provisional


def recompute_provisional_due_times() -> tuple[int, int]:
    """(tasks counted again, tasks still provisional): every open task with a
    provisional due time, one transaction each."""
    ids = list(CaseTask.objects.filter(flow_task_type="HUMAN", status__in=OPEN_STATUSES, due_provisional=True)
               .order_by("id").values_list("id", flat=True))
    changed = sum(1 for task_id in ids if recompute_task(task_id=task_id))
    still = CaseTask.objects.filter(flow_task_type="HUMAN", status__in=OPEN_STATUSES, due_provisional=True).count()
    return changed, still
