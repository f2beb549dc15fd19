"""The hand-off and referral trail of a case."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.models import Agency

from .case import Case


class Handoff(models.Model):
    """移交: the lead offers the case to another agency, which accepts or returns it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handoffs")
    from_agency = models.ForeignKey(Agency, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")


class Referral(models.Model):
    """移送: a suspected crime referred to the police (行刑衔接)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    class Document(models.TextChoices):
        TRANSFER_LETTER = "transfer_letter", _("Transfer letter")
        INVESTIGATION_REPORT = "investigation_report", _("Investigation report")
        SEIZED_ITEMS = "seized_items", _("List of seized items")
        EXPERT_OPINION = "expert_opinion", _("Inspection or expert opinion")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    reason = models.TextField(_("referral reason"))
    documents = models.JSONField(_("documents transferred"), default=list)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    police_case_no = models.CharField(_("police case number"), max_length=60, blank=True)
    return_reason = models.TextField(_("return reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["referred_at", "id"]
        verbose_name = _("referral to the police")
        verbose_name_plural = _("referrals to the police")

    def document_labels(self) -> list[str]:
        labels = dict(self.Document.choices)
        return [str(labels.get(code, code)) for code in self.documents]
