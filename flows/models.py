"""The viewflow process and task rows of a case, with what our queues need.

``CaseProcess`` links a viewflow process to its case (a multi-table subclass,
docs/viewflow.md). ``CaseTask`` adds to each task the case, the agency
whose queue it is in, and its due time (viewflow has no due date field).
"""
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.managers import TaskQuerySet
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from cases.models import Case
from org.deadlines import is_overdue, overdue_q
from org.models import Agency

# A task waiting for someone: in a queue, held, or being worked.
OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class CaseProcess(Process):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="process")
    # The action that completed the last human step; gateways route on it.
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("case process")
        verbose_name_plural = _("case processes")


class CaseTaskQuerySet(TaskQuerySet):
    """viewflow's task queries, and ours."""

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        """Open tasks whose running clock is past due (``org.deadlines.is_overdue``)."""
        return self.open().filter(overdue_q(now=now), paused_at__isnull=True)


class CaseTask(Task):
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
        ]

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
        return self.is_open and self.paused_at is None and is_overdue(self.due_at)


class TaskArrival(models.Model):
    """A task that arrived in a queue (新任务到达), waiting to be told in the
    next digest (``flows.arrivals``); one row per task, not per person."""

    task = models.OneToOneField(CaseTask, on_delete=models.CASCADE, related_name="arrival")
    created_at = models.DateTimeField()
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="arrival_waiting_idx",
                                condition=models.Q(digested_at__isnull=True))]
