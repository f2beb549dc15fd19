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
    outcome = ""  # in memory only, as CaseProcess.outcome

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")


class Warning(models.Model):  # noqa: A001 - the domain's word (警示提醒)
    """警示提醒 to a lagging agency; counted for the annual assessment."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="warnings")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="warnings")
    # the key task of the plan whose work lags (its number), when the warning is about plan work
    plan_task = models.PositiveSmallIntegerField(_("key task"), null=True, blank=True)
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
    plan_task = models.PositiveSmallIntegerField(_("key task"), null=True, blank=True)
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


class Listing(models.Model):
    """挂牌督办: the safety office lists a major hazard deliberately, with a
    notice, requirements and a deadline; the listing is published, may be
    extended once on request, and is removed (摘牌) only after the case's
    rectification passed review, on the lead agency's request approved by the
    safety office; the removal is published too."""

    class State(models.TextChoices):
        LISTED = "listed", _("Listed")
        REMOVAL_REQUESTED = "removal_requested", _("Removal requested")
        REMOVED = "removed", _("Removed (摘牌)")

    class Extension(models.TextChoices):
        NONE = "", _("None")
        REQUESTED = "requested", _("Requested")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="listings")
    responsible_agency = models.ForeignKey(Agency, verbose_name=_("agency responsible for the rectification"),
                                           on_delete=models.PROTECT, related_name="+")
    requirements = models.TextField(_("requirements"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.LISTED)
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    listed_at = models.DateTimeField(_("listed at"), default=timezone.now)
    publication_due = models.DateField(_("to be published by"))
    published_on = models.DateField(_("published on"), null=True, blank=True)
    publication_channel = models.CharField(_("published in"), max_length=200, blank=True)
    extension = models.CharField(_("extension"), max_length=10, choices=Extension.choices, blank=True, default="")
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extension_deadline = models.DateField(_("deadline asked for"), null=True, blank=True)
    extension_requested_at = models.DateTimeField(null=True, blank=True)
    extension_note = models.TextField(_("decision on the extension"), blank=True)
    extension_decided_at = models.DateTimeField(null=True, blank=True)
    removal_report = models.TextField(_("rectification and acceptance report"), blank=True)
    removal_requested_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removal_publication_due = models.DateField(_("removal to be published by"), null=True, blank=True)
    removal_published_on = models.DateField(_("removal published on"), null=True, blank=True)
    removal_publication_channel = models.CharField(_("removal published in"), max_length=200, blank=True)

    class Meta:
        ordering = ["-listed_at", "-id"]
        verbose_name = _("listing (挂牌督办)")
        verbose_name_plural = _("listings (挂牌督办)")
        constraints = [
            # one listing in force per case
            models.UniqueConstraint(fields=["case"], condition=~models.Q(state="removed"), name="one_listing_in_force"),
        ]

    @property
    def in_force(self) -> bool:
        return self.state != self.State.REMOVED

    @property
    def publication_late(self) -> bool:
        today = timezone.localdate()
        if self.published_on is None:
            return today > self.publication_due
        return bool(self.removal_publication_due and self.removal_published_on is None
                    and today > self.removal_publication_due)
