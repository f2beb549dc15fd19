"""What the desk keeps for a person: their saved filters (常用筛选)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """A named set of filters of the task lists or the case list, one click away."""

    class Page(models.TextChoices):
        TASKS = "tasks", _("My tasks")
        CASES = "cases", _("Cases")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    page = models.CharField(_("page"), max_length=10, choices=Page.choices)
    name = models.CharField(_("name"), max_length=40)
    query = models.CharField(_("filters"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [models.UniqueConstraint(fields=["user", "page", "name"], name="saved_filter_unique_name")]

    def __str__(self) -> str:
        return self.name
