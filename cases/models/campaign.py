"""Special campaigns (专项行动, 专项整治, 回头看): a period of concentrated
enforcement led by one agency with others; cases registered during it may
be linked to it. The plan's key task it serves is named by its number (the
plan itself is above this app)."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Agency


class CampaignQuerySet(models.QuerySet):
    def running(self, day=None):
        day = day or timezone.localdate()
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=120)
    lead = models.ForeignKey(Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="+")
    agencies = models.ManyToManyField(Agency, verbose_name=_("taking part"), blank=True, related_name="+")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    plan_task = models.PositiveSmallIntegerField(_("key task of the plan"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("special campaign")
        verbose_name_plural = _("special campaigns")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="campaign_period_ordered")]

    def __str__(self) -> str:
        return self.name

    def includes(self, agency_id: int | None) -> bool:
        """Whether the agency leads the campaign or takes part in it."""
        return agency_id is not None and (self.lead_id == agency_id
                                          or self.agencies.filter(pk=agency_id).exists())

    def is_running(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day <= self.ends_on
