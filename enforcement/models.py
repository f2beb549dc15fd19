"""The acts of enforcement a case leads to."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case


class Referral(models.Model):
    """移送: a suspected crime referred to the police (行刑衔接)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the police")
        ACCEPTED = "accepted", _("Criminal case opened")
        RETURNED = "returned", _("Returned for more material")

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
