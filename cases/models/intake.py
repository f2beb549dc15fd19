"""Alarms received from the municipal risk-monitoring system (重点任务19)."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .case import Case


class Alarm(models.Model):
    alarm_id = models.CharField(_("alarm id"), max_length=64, unique=True)
    enterprise_uscc = models.CharField(max_length=18)
    alarm_type = models.CharField(_("type"), max_length=60)
    level = models.CharField(_("level"), max_length=20)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(default=timezone.now)
    payload = models.JSONField(default=dict)
    case = models.OneToOneField(Case, null=True, on_delete=models.SET_NULL, related_name="alarm")

    class Meta:
        verbose_name = _("monitoring alarm")
        verbose_name_plural = _("monitoring alarms")
