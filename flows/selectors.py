"""Reads of tasks: the inbox, the agency queue and the archive."""
from django.db.models import Count, F, Q, QuerySet
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.backends import routing_permissions
from org.models import User

from .models import OPEN_STATUSES, CaseTask

BOXES = ("inbox", "queue", "archive")


def _human_tasks() -> QuerySet[CaseTask]:
    return CaseTask.objects.filter(flow_task_type="HUMAN").select_related("case__street", "case__enterprise", "agency", "owner")


def _in_box(user: User, box: str) -> Q:
    """inbox 我的待办: open tasks assigned to the user; queue 单位待领: open,
    unassigned tasks of the user's agency and role; archive 已办: tasks the
    user completed. Only ``viewflow_task`` columns, so ``count_in_box`` can
    count without a join."""
    if box == "inbox":
        return Q(owner=user, status__in=[STATUS.ASSIGNED, STATUS.STARTED])
    if box == "queue":
        return Q(status=STATUS.NEW, owner_permission__in=routing_permissions(user))
    return Q(owner=user, status=STATUS.DONE)


# The inbox and the queue put the most urgent first: overdue tasks (their due
# time has passed) before the rest, each by due time; the archive newest first.
# (pk is the task's id: the last column of the queue and holder indexes.)
URGENCY = (F("due_at").asc(nulls_last=True), "pk")
NEWEST_DONE = ("-finished", "-id")


def tasks_in_box(user: User, box: str) -> QuerySet[CaseTask]:
    """The rows of ``_in_box``; the inbox and the queue read from the box
    ``CaseTask`` mirrors beside the due time (``holder``, ``queue``), so a
    page is an index range in URGENCY order, not a sort of the whole box."""
    if box == "inbox":
        return _human_tasks().filter(holder=user).order_by(*URGENCY)
    if box == "queue":
        return _human_tasks().in_queues(routing_permissions(user)).order_by(*URGENCY)
    return _human_tasks().filter(_in_box(user, box)).order_by(*NEWEST_DONE)


def count_in_box(user: User, box: str) -> QuerySet[Task]:
    """The rows of ``tasks_in_box`` on ``viewflow_task`` alone, for counting from
    the partial index: every human task of our flows is a ``CaseTask``."""
    return Task.objects.filter(_in_box(user, box), flow_task_type="HUMAN")


ROW_FIELDS = ("id", "flow_task", "status", "created", "owner", "case", "agency", "due_at", "due_provisional",
              "paused_at", "pause_reason", "escalation_level")


def task_rows(tasks: QuerySet[CaseTask]) -> QuerySet[CaseTask]:
    """The columns a task list shows (TaskSerializer), in one query that loads
    no case, agency or user object: a page of 50 rows is 50 objects, not 250."""
    return tasks.select_related(None).only(*ROW_FIELDS).annotate(
        case_number=F("case__number"), case_kind=F("case__kind"), agency_code=F("agency__code"),
        assignee=F("owner__username"),
    )


def task_row(task_id: int) -> CaseTask:
    return task_rows(CaseTask.objects.filter(pk=task_id)).get()


def open_tasks_of_case(case_id: int) -> QuerySet[CaseTask]:
    return (
        CaseTask.objects.filter(case_id=case_id, flow_task_type="HUMAN", status__in=OPEN_STATUSES)
        .select_related("agency", "owner")
        .order_by("created", "id")
    )



def workload(agency_id: int) -> list[tuple[User, int]]:
    """The agency's active officers with their open tasks (in their inbox), fewest first: whom a leader may assign."""
    counts = dict(CaseTask.objects.filter(owner__agency_id=agency_id, status__in=[STATUS.ASSIGNED, STATUS.STARTED],
                                          flow_task_type="HUMAN")
                  .values_list("owner").annotate(n=Count("id")).values_list("owner", "n"))
    officers = User.objects.filter(agency_id=agency_id, is_active=True).order_by("username")
    return sorted(((officer, counts.get(officer.pk, 0)) for officer in officers), key=lambda row: row[1])
