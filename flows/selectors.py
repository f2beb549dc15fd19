"""Reads of tasks: the inbox, the agency queue and the archive (DESIGN.md 6)."""
from django.db.models import QuerySet
from django.utils import timezone
from viewflow.workflow.status import STATUS

from enforcement.backends import routing_permissions
from enforcement.models import User

from .models import CaseTask

BOXES = ("inbox", "queue", "archive")


def _human_tasks() -> QuerySet[CaseTask]:
    return CaseTask.objects.filter(flow_task_type="HUMAN").select_related("case__street", "case__enterprise", "agency", "owner")


def inbox(user: User) -> QuerySet[CaseTask]:
    """Open tasks assigned to the user (我的待办)."""
    return _human_tasks().filter(owner=user, status__in=[STATUS.ASSIGNED, STATUS.STARTED]).order_by("-created", "-id")


def queue(user: User) -> QuerySet[CaseTask]:
    """Open, unassigned tasks the user may claim: their agency's and role's (单位待领)."""
    perms = routing_permissions(user)
    return _human_tasks().filter(status=STATUS.NEW, owner_permission__in=perms).order_by("-created", "-id")


def archive(user: User) -> QuerySet[CaseTask]:
    """Tasks the user completed (已办)."""
    return _human_tasks().filter(owner=user, status=STATUS.DONE).order_by("-finished", "-id")


def tasks_in_box(user: User, box: str) -> QuerySet[CaseTask]:
    return {"inbox": inbox, "queue": queue, "archive": archive}[box](user)


def only_overdue(tasks: QuerySet[CaseTask], now=None) -> QuerySet[CaseTask]:
    return tasks.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED], due_at__lt=now or timezone.now())


def open_tasks_of_case(case_id: int) -> QuerySet[CaseTask]:
    return (
        CaseTask.objects.filter(case_id=case_id, flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED])
        .select_related("agency", "owner")
        .order_by("created", "id")
    )


def is_overdue(task: CaseTask, now=None) -> bool:
    if task.due_at is None or task.status not in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED):
        return False
    return task.due_at < (now or timezone.now())
