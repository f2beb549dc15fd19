"""The viewflow process and task rows of a case, with what our queues need.

``CaseProcess`` links a viewflow process to its case (a multi-table subclass,
docs/viewflow.md). ``CaseTask`` adds to each task the case, the agency
whose queue it is in, and its due time (viewflow has no due date field).

The inbox (我的待办) and the queue (单位待领) filter on viewflow's columns
(status, owner, owner_permission) and list by our due time, two tables no one
index spans. So ``CaseTask`` mirrors the box a task is in beside its due time:
``queue`` (the routing permission while the task is NEW) and ``holder`` (the
owner while it is ASSIGNED or STARTED), indexed with the due time
(docs/performance.md, 2026-12-03). ``save`` writes them (Django saves the
parent row, then every column of this one, so a value set only by the database
would be overwritten by the stale one in memory); a trigger on
``viewflow_task`` (``flows.box_mirror``) writes them when viewflow's row changes
without this one (``save(update_fields=["status"])``, a queryset ``update``);
rows inserted by hand (``supervision.listing``, the bench's COPY) pass
``mirror_of``.
"""
from django.db import connections, models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.managers import TaskQuerySet
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from cases.models import Case
from common.changes import SavesChanges
from org.deadlines import is_overdue, overdue_q
from org.models import Agency

# A task waiting for someone: in a queue, held, or being worked.
OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
HELD_STATUSES = (STATUS.ASSIGNED, STATUS.STARTED)


def mirror_of(*, status: str, flow_task_type: str, owner_permission: str | None, owner_id: int | None) -> tuple:
    """(queue, holder_id) of a task with these ``viewflow_task`` columns: the
    rule the trigger of ``flows.box_mirror`` writes in SQL."""
    if flow_task_type != "HUMAN":
        return None, None
    return (owner_permission if status == STATUS.NEW else None), (owner_id if status in HELD_STATUSES else None)


def task_is_overdue(*, status: str, paused_at, due_at, now=None) -> bool:
    """Open, its clock running, and past its due time (``CaseTask.is_overdue``, for rows read as values)."""
    return status in OPEN_STATUSES and paused_at is None and is_overdue(due_at, now=now)


class CaseProcess(Process):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="process")
    # The action completing the step being taken (flows.services.complete_task), in memory only:
    # the gateways that route on it run in the same step (flows.steps.outcome).
    outcome = ""

    class Meta:
        verbose_name = _("case process")
        verbose_name_plural = _("case processes")


class CaseTaskQuerySet(TaskQuerySet):
    """viewflow's task queries, and ours."""

    _merged_queues: tuple = ()

    def _clone(self):
        clone = super()._clone()
        clone._merged_queues = self._merged_queues
        return clone

    def in_queues(self, permissions) -> "CaseTaskQuerySet":
        """Unclaimed tasks routed to any of ``permissions`` (单位待领), from
        the (queue, due_at) index. PostgreSQL 15 cannot read two ranges of an
        index in one order, and would sort every task of a leader's two queues
        for a page: on PostgreSQL a slice of several queues is read as UNION
        ALL of one ordered, limited scan per queue (a Merge Append), in the
        order the query asks."""
        permissions = tuple(sorted(permissions))
        clone = self.filter(queue__in=permissions)
        clone._merged_queues = permissions
        return clone

    def __getitem__(self, k):
        if (isinstance(k, slice) and k.stop is not None and k.stop > (k.start or 0) and k.step is None
                and len(self._merged_queues) > 1 and self.query.order_by
                and not self.query.is_sliced and not self.query.is_empty() and self._result_cache is None
                and connections[self.db].features.supports_slicing_ordering_in_compound):
            legs = []
            for queue in self._merged_queues:
                leg = self.filter(queue=queue)
                leg._merged_queues = ()
                legs.append(leg[:k.stop])
            return legs[0].union(*legs[1:], all=True).order_by(*self.query.order_by)[k]
        return super().__getitem__(k)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        """Open tasks whose running clock is past due (``org.deadlines.is_overdue``)."""
        return self.open().filter(overdue_q(now=now), paused_at__isnull=True)


class CaseTask(SavesChanges, Task):
    # indexed by (case, due_at) below
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, related_name="tasks", db_index=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    # The escalation ladder (supervision.escalation): remind, due, list for supervision.
    remind_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    supervise_at = models.DateTimeField(null=True, blank=True)
    # The ladder was counted through a year whose holiday notice is not loaded
    # (Monday to Friday); recompute_due_times counts it again once it is.
    due_provisional = models.BooleanField(_("due time provisional"), default=False, db_default=False)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    # When the next rung is due; NULL once the task is done, paused, or at the top.
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(_("clock paused at"), null=True, blank=True)
    pause_reason = models.CharField(_("pause reason"), max_length=300, blank=True)
    # The box the task is in, mirrored from viewflow_task (see the module's docstring): never set by hand.
    queue = models.CharField(max_length=255, null=True, editable=False)
    holder = models.ForeignKey("org.User", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                               null=True, editable=False, related_name="+")

    objects = CaseTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("case task")
        verbose_name_plural = _("case tasks")
        indexes = [
            models.Index(fields=["case", "due_at"]),
            models.Index(
                fields=["next_escalation_at"], name="casetask_escalation_due_idx",
                condition=models.Q(next_escalation_at__isnull=False),
            ),
            # the queue and the inbox, most urgent first (flows.selectors.URGENCY)
            models.Index(fields=["queue", "due_at", "task_ptr"], name="casetask_queue_due_idx",
                         condition=models.Q(queue__isnull=False)),
            models.Index(fields=["holder", "due_at", "task_ptr"], name="casetask_holder_due_idx",
                         condition=models.Q(holder__isnull=False)),
        ]

    def save(self, *args, **kwargs):
        # a save of viewflow's columns alone (update_fields) leaves these to the trigger
        self.set_mirror()
        super().save(*args, **kwargs)

    def set_mirror(self) -> None:
        """The columns a save writes beside viewflow's: its type, as viewflow's own save sets it, and the box."""
        if self.flow_task and not self.flow_task_type:
            self.flow_task_type = self.flow_task.task_type
        self.queue, self.holder_id = mirror_of(status=self.status, flow_task_type=self.flow_task_type,
                                               owner_permission=self.owner_permission, owner_id=self.owner_id)

    def ladder(self) -> list:
        """The times of rungs 1, 2 and 3."""
        return [self.remind_at, self.due_at, self.supervise_at]

    def next_rung_time(self):
        """When the next rung above ``escalation_level`` is due, or None."""
        for time in self.ladder()[self.escalation_level:]:
            if time is not None:
                return time
        return None

    # ``next_rung_time`` as SQL, once ``level`` has fired (for set-based updates)
    NEXT_RUNG_AFTER = {1: Coalesce(F("due_at"), F("supervise_at")), 2: F("supervise_at"), 3: None}

    @property
    def step(self) -> str:
        return self.flow_task.name if self.flow_task else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Open, its clock running, and past its due time."""
        return task_is_overdue(status=self.status, paused_at=self.paused_at, due_at=self.due_at)


class TaskArrival(models.Model):
    """A task that arrived in a queue (新任务到达), waiting to be told in the
    next digest (``flows.arrivals``); one row per task, not per person."""

    task = models.OneToOneField(CaseTask, on_delete=models.CASCADE, related_name="arrival")
    created_at = models.DateTimeField()
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="arrival_waiting_idx",
                                condition=models.Q(digested_at__isnull=True))]
