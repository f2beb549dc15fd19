"""The viewflow process and task rows of a case, with what our queues need.

``CaseProcess`` links a viewflow process to its case (a multi-table subclass,
VIEWFLOW-NOTES "Models"). ``CaseTask`` adds to each task the case, the agency
whose queue it is in, and its due time (viewflow has no due date field).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from cases.models import Case
from enforcement.models import Agency


class CaseProcess(Process):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="process")
    # The action that completed the last human step; gateways route on it.
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("case process")
        verbose_name_plural = _("case processes")


class CaseTask(Task):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, related_name="tasks")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case task")
        verbose_name_plural = _("case tasks")
        indexes = [models.Index(fields=["case", "due_at"])]

    @property
    def step(self) -> str:
        return self.flow_task.name if self.flow_task else ""
