"""Reference data: the major-hazard criteria (安监总管三〔2017〕121号)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class MajorHazardCriterion(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("major-hazard criterion")
        verbose_name_plural = _("major-hazard criteria")

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"
