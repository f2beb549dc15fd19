"""The district's plan (2022): its 22 key tasks, the responsible units, and
the periodic progress reports (plan section 5(4))."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.models import Agency


class PlanTask(models.Model):
    """重点任务: one of the plan's 22 key tasks (reference data)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    group = models.CharField(_("group"), max_length=100)
    measure = models.CharField(_("measure"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    responsible_text = models.CharField(_("responsible units, as the plan names them"), max_length=200)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_text = models.CharField(_("deadline, as the plan words it"), max_length=200)
    ongoing = models.BooleanField(_("ongoing (持续推进)"), default=False)
    milestones = models.JSONField(_("milestones"), default=list, blank=True)
    agencies = models.ManyToManyField(Agency, through="PlanTaskAgency", related_name="plan_tasks")

    class Meta:
        ordering = ["number"]
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"


class PlanTaskAgency(models.Model):
    """A unit that reports on a key task, in the role the plan gives it: 牵头
    or 配合 only where the plan says so; otherwise a 责任单位 among those the plan
    names together, or 分工负责 (each for its part) where the plan says that. A
    collective unit of the plan (区安委会成员单位, 各街道办事处, 全区危险化学品企业)
    is expanded to the real units that report; ``stands_for`` keeps its words."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead (牵头)")
        SUPPORT = "support", _("Support (配合)")
        RESPONSIBLE = "responsible", _("Responsible unit (责任单位)")
        DIVIDED = "divided", _("Each for its part (分工负责)")

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="responsibilities")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=Role.choices)
    stands_for = models.CharField(_("for the plan's"), max_length=100, blank=True,
                                  help_text=_("The plan's collective unit this unit reports for, if any."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["task", "position"]
        constraints = [models.UniqueConstraint(fields=["task", "agency"], name="plan_task_agency_unique")]


class ProgressReport(models.Model):
    """A unit's monthly progress report (by the 20th) or quarterly summary (by the
    20th of the quarter's last month), reviewed by the safety office."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly progress report")
        QUARTERLY = "quarterly", _("Quarterly summary")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        ACCEPTED = "accepted", pgettext_lazy("report", "Accepted")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="progress_reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period = models.DateField(_("period"), help_text=_("First day of the month (monthly) or of the quarter's last month."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        ordering = ["-period", "agency__code"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "period"], name="one_report_per_period")]


class ReportEntry(models.Model):
    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", pgettext_lazy("plan progress", "Not started")
        IN_PROGRESS = "in_progress", pgettext_lazy("plan progress", "In progress")
        DONE = "done", pgettext_lazy("plan progress", "Done")
        ONGOING = "ongoing", pgettext_lazy("plan progress", "Ongoing (常态化推进)")

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="entries")
    task = models.ForeignKey(PlanTask, on_delete=models.PROTECT, related_name="report_entries")
    status = models.CharField(_("status"), max_length=12, choices=Progress.choices)
    progress = models.TextField(_("progress"))

    class Meta:
        ordering = ["task__number"]
        constraints = [models.UniqueConstraint(fields=["report", "task"], name="one_entry_per_task")]


def report_attachment_path(instance, filename):
    import uuid

    return f"reports/{instance.entry.report_id}/{uuid.uuid4().hex}"


class ReportAttachment(models.Model):
    entry = models.ForeignKey(ReportEntry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=report_attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)


class ReportReminder(models.Model):
    """A reminder (15th) or lateness notice (21st) sent once per unit and period."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ProgressReport.Kind.choices)
    period = models.DateField()
    stage = models.CharField(max_length=10)  # "remind" or "late"
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "period", "stage"], name="reminder_once")]


class PlanPeriod(models.Model):
    """The campaign period of the plan (治理期): reports are due, reminded and
    counted late only for its months. One row; an administrator sets it."""

    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("plan period")
        verbose_name_plural = _("plan period")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="plan_period_ordered")]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on}"
