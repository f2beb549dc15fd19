"""Reads of tasks: the inbox, the agency queue and the archive."""
from django.db.models import F, Q, QuerySet
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from common.paging import count_key
from common.prepared import Prepared
from org.backends import routing_permissions
from org.models import User

from .models import OPEN_STATUSES, CaseTask

BOXES = ("inbox", "queue", "archive")


def _human_tasks() -> QuerySet[CaseTask]:
    return CaseTask.objects.filter(flow_task_type="HUMAN").select_related("case__street", "case__enterprise", "agency", "owner")


def _in_box(box: str, *, user_id: int | None = None, permissions: tuple = ()) -> Q:
    """inbox 我的待办: open tasks assigned to the user; queue 单位待领: open,
    unassigned tasks of the user's agency and role (its routing permissions);
    archive 已办: tasks the user completed. Only ``viewflow_task`` columns, so
    ``count_in_box`` can count without a join."""
    if box == "inbox":
        return Q(owner_id=user_id, status__in=[STATUS.ASSIGNED, STATUS.STARTED])
    if box == "queue":
        return Q(status=STATUS.NEW, owner_permission__in=permissions)
    return Q(owner_id=user_id, status=STATUS.DONE)


def _box_values(user: User, box: str) -> dict:
    """What of the user a box's query reads: the user's id, or (the queue) the routing permissions, sorted."""
    return {"permissions": tuple(sorted(routing_permissions(user)))} if box == "queue" else {"user_id": user.pk}


# The inbox and the queue put the most urgent first: overdue tasks (their due
# time has passed) before the rest, each by due time; the archive newest first.
# (pk is the task's id: the last column of the queue and holder indexes.)
URGENCY = (F("due_at").asc(nulls_last=True), "pk")
NEWEST_DONE = ("-finished", "-id")


def tasks_in_box(user: User, box: str) -> QuerySet[CaseTask]:
    """The rows of ``_in_box``; the inbox and the queue read from the box
    ``CaseTask`` mirrors beside the due time (``holder``, ``queue``), so a
    page is an index range in URGENCY order, not a sort of the whole box."""
    return _tasks_in(box, **_box_values(user, box))


def _tasks_in(box: str, *, user_id: int | None = None, permissions: tuple = ()) -> QuerySet[CaseTask]:
    if box == "inbox":
        return _human_tasks().filter(holder_id=user_id).order_by(*URGENCY)
    if box == "queue":
        return _human_tasks().in_queues(permissions).order_by(*URGENCY)
    return _human_tasks().filter(_in_box(box, user_id=user_id)).order_by(*NEWEST_DONE)


def count_in_box(user: User, box: str) -> QuerySet[Task]:
    """The rows of ``tasks_in_box`` on ``viewflow_task`` alone, for counting from
    the partial index: every human task of our flows is a ``CaseTask``."""
    return _counted_in(box, **_box_values(user, box))


def _counted_in(box: str, **values) -> QuerySet[Task]:
    return Task.objects.filter(_in_box(box, **values), flow_task_type="HUMAN")


ROW_FIELDS = ("id", "flow_task", "status", "created", "owner", "case", "agency", "due_at", "due_provisional",
              "paused_at", "pause_reason", "escalation_level")
# what a task list shows of the task's case, agency and assignee, as columns of the same query
JOINED = {"case_number": F("case__number"), "case_kind": F("case__kind"), "agency_code": F("agency__code"),
          "assignee": F("owner__username")}
# a task list's row read as values (``task_values``): the task's own columns, then JOINED
ROW_COLUMNS = ("id", "flow_task", "status", "created", "case_id", "due_at", "due_provisional", "paused_at",
               "pause_reason", "escalation_level", *JOINED)


def task_rows(tasks: QuerySet[CaseTask]) -> QuerySet[CaseTask]:
    """The columns a task list shows (TaskSerializer), in one query that loads
    no case, agency or user object: a page of 50 rows is 50 objects, not 250."""
    return tasks.select_related(None).only(*ROW_FIELDS).annotate(**JOINED)


# what a row of the desk's tables (``desk.templatetags.task_tables``), the four-eyes check
# (flows.rules.barred_from) and the clock's words read of the task, and the words of its
# case, street, enterprise and assignee as columns of the same query
TABLE_JOINED = {"case_number": F("case__number"), "case_title": F("case__title"), "case_kind": F("case__kind"),
                "case_grade": F("case__grade"), "enterprise_name": F("case__enterprise__name"),
                "street_name": F("case__street__name"), "owner_name": F("owner__full_name"),
                "owner_username": F("owner__username")}
TABLE_COLUMNS = ("id", "flow_task", "status", "process_id", "due_at", "due_provisional", "paused_at", *TABLE_JOINED)


def table_values(tasks: QuerySet[CaseTask]) -> QuerySet[dict]:
    """The desk's task tables: a row is a dict of ``TABLE_COLUMNS``, no model
    object (a task, its case, street, enterprise and owner) and no case's JSON parsed."""
    return tasks.select_related(None).annotate(**TABLE_JOINED).values(*TABLE_COLUMNS)


def task_values(tasks: QuerySet[CaseTask]) -> QuerySet[dict]:
    """The same columns as dicts of ``ROW_COLUMNS``, no model object at all (the API's lists)."""
    return tasks.select_related(None).annotate(**JOINED).values(*ROW_COLUMNS)


# A whole box, as the API lists it, read by SQL compiled once per shape (common.prepared): a
# page of the inbox costs its query, not the building and compiling of three querysets.
_PAGE = Prepared(lambda box, start, stop, **values: task_values(_tasks_in(box, **values))[start:stop])
_TABLE_PAGE = Prepared(lambda box, start, stop, **values: table_values(_tasks_in(box, **values))[start:stop])
_COUNTED = Prepared(lambda box, up_to, **values: _counted_in(box, **values).order_by().values("pk")[:up_to])
_COUNT_KEY = Prepared(lambda box, **values: _counted_in(box, **values).order_by())


READ_STEP = 25  # a page is read in rows of whole steps: 8 lengths up to the largest page of 200


class BoxRows:
    """The rows of ``task_values(tasks_in_box(user, box))``, sliced and
    counted as a paginator asks (``common.paging``: ``count_up_to``,
    ``count``, ``count_key``, the same counts as ``count_in_box``'s)."""

    _page = _PAGE

    def __init__(self, user: User, box: str):
        self.box, self.values = box, _box_values(user, box)

    def __getitem__(self, k: slice) -> list[dict]:
        start, stop = k.start or 0, k.stop
        if k.step is not None or stop is None or start < 0:
            raise ValueError("a box is read a page at a time")
        if stop <= start:
            return []
        # a last page's stop is the count: read to the next multiple of READ_STEP, so that its
        # shapes are few and a whole page of 50 reads its 50 rows, no more
        wanted = stop - start
        return self._page.rows(shape={"box": self.box, "start": start,
                                      "stop": start + -(-wanted // READ_STEP) * READ_STEP}, **self.values)[:wanted]

    def count_up_to(self, limit: int) -> int:
        return _COUNTED.count(shape={"box": self.box, "up_to": limit}, **self.values)

    def count(self) -> int:
        return _COUNTED.count(shape={"box": self.box, "up_to": None}, **self.values)

    def count_key(self) -> str:
        return count_key(*_COUNT_KEY.sql(shape={"box": self.box}, **self.values))


class TableRows(BoxRows):
    """The rows of ``table_values(tasks_in_box(user, box))``, as ``BoxRows`` reads them (the desk's tables)."""

    _page = _TABLE_PAGE


def task_row(task_id: int) -> CaseTask:
    return task_rows(CaseTask.objects.filter(pk=task_id)).get()


def open_tasks_of_case(case_id: int) -> QuerySet[CaseTask]:
    return (
        CaseTask.objects.filter(case_id=case_id, flow_task_type="HUMAN", status__in=OPEN_STATUSES)
        .select_related("agency", "owner")
        .order_by("created", "id")
    )


# what every task and case page reads, compiled once (common.prepared)
_OPEN_OF_CASE = Prepared(open_tasks_of_case)
_HUMAN_TASK = Prepared(lambda task_id: CaseTask.objects.filter(pk=task_id, flow_task_type="HUMAN")
                       .select_related("agency", "owner"))


def open_task_list(case_id: int) -> list[CaseTask]:
    """``open_tasks_of_case`` as a list (the case page)."""
    return _OPEN_OF_CASE.objects(case_id=case_id)


def human_task(task_id: int) -> CaseTask | None:
    """The human task with its agency and owner (the task page: its visibility is its case's), or None."""
    found = _HUMAN_TASK.objects(task_id=task_id)
    return found[0] if found else None
