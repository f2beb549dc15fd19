"""Who is late: the rungs fired, the 督办 process, warnings and interviews."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from cases.models import Case
from flows.models import CaseTask
from org.models import Agency


class Escalation(models.Model):
    """One rung of the ladder fired for one task: never twice (unique)."""

    class Level(models.IntegerChoices):
        # xgettext:no-python-format
        REMINDER = 1, _("Reminder (80% of the time)")
        DUE = 2, _("Due: the agency leader notified")
        SUPERVISION = 3, _("Listed for supervision (挂牌督办)")

    # indexed by the unique (task, level) and the (agency, level, fired_at) index
    task = models.ForeignKey(CaseTask, on_delete=models.CASCADE, related_name="escalations", db_index=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", db_index=False)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    fired_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "level"], name="escalation_once_per_level")]
        indexes = [models.Index(fields=["agency", "level", "fired_at"])]


class SupervisionProcess(Process):
    """The 督办 of one case: open until the safety office resolves it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervisions")
    late_task = models.ForeignKey(CaseTask, null=True, on_delete=models.SET_NULL, related_name="+")
    lagging_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")


class Warning(models.Model):  # noqa: A001 - the domain's word (警示提醒)
    """警示提醒 to a lagging agency; counted for the annual assessment."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="warnings")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="warnings")
    note = models.TextField(_("note"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        indexes = [models.Index(fields=["agency", "issued_at"])]


class Interview(models.Model):
    """约谈: a record of the interview with a lagging agency."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="interviews")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="interviews")
    held_on = models.DateField(_("held on"))
    attendees = models.TextField(_("attendees"))
    minutes = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        indexes = [models.Index(fields=["agency", "held_on"])]
