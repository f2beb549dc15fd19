"""What a task's step reads, under its flow lock (``flows.services.locked_task``).

Every claim, assignment and completion reads the same rows the same way: the
task if its case is visible to the user, the process row it locks, the task
with its process and agency, the case with its row lock, and in the end the
earliest due time of the case's running clocks. Django's query compiler cost
more than these reads by key, so each is compiled once per shape
(``common.prepared``), as the task and case pages' reads are
(docs/performance.md). All of them read the primary database: they lock, or
they come before a write.
"""
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS

from cases.models import Case
from cases.selectors import seen_by, seer
from common.prepared import Prepared
from org.models import User

from .models import OPEN_STATUSES, CaseTask

_VISIBLE_TASK = Prepared(
    lambda task_id, scope, **eyes: CaseTask.objects.filter(pk=task_id, flow_task_type="HUMAN",
                                                           case__in=seen_by(scope, **eyes))
    .only("id", "flow_task", "process_id"), using=DEFAULT_DB_ALIAS)
_PROCESS_LOCK = Prepared(
    lambda model, process_id: apps.get_model(model)._default_manager.filter(pk=process_id)
    .select_for_update().values("pk")[:1], using=DEFAULT_DB_ALIAS)
_TASK = Prepared(lambda task_id: CaseTask.objects.filter(pk=task_id).select_related("process__caseprocess", "agency"),
                 using=DEFAULT_DB_ALIAS)
_LOCKED_CASE = Prepared(
    lambda case_id: Case.objects.filter(pk=case_id).select_for_update(of=("self",))
    .select_related("lead_agency", "street", "enterprise"), using=DEFAULT_DB_ALIAS)
_EARLIEST_DUE = Prepared(
    lambda case_id: CaseTask.objects.filter(case_id=case_id, flow_task_type="HUMAN", status__in=OPEN_STATUSES,
                                            paused_at__isnull=True, due_at__isnull=False)
    .order_by("due_at").values("due_at")[:1], using=DEFAULT_DB_ALIAS)


def visible_task(user: User, task_id: int) -> CaseTask | None:
    """The human task (its id, step and process only) if its case is visible to ``user``, else None."""
    eyes = seer(user)
    found = _VISIBLE_TASK.objects(shape={"scope": eyes.pop("scope")}, task_id=task_id, **eyes)
    return found[0] if found else None


def lock_process(process_class, process_id: int) -> bool:
    """``SELECT ... FOR UPDATE`` of the process row: whether it exists (the flow lock, ``flows.locks``)."""
    return bool(_PROCESS_LOCK.rows(shape={"model": process_class._meta.label}, process_id=process_id))


def task_with_process(task_id: int) -> CaseTask:
    """The task with its process (and the case's process row) and its agency."""
    return _TASK.objects(task_id=task_id)[0]


def locked_case(case_id: int) -> Case:
    """The case, locked (``FOR UPDATE`` of its row alone), with its lead agency, street and enterprise."""
    return _LOCKED_CASE.objects(case_id=case_id)[0]


def earliest_due(case_id: int):
    """The earliest due time of the case's open human tasks whose clock runs, or None (``Case.due_at``)."""
    found = _EARLIEST_DUE.rows(case_id=case_id)
    return found[0]["due_at"] if found else None
