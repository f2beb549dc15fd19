"""Evidence files (photos, documents) and comments on a case."""
import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Agency

from .case import Case


class BoundedDateTimeField(models.DateTimeField):
    """A time that reads as NULL when the stored value lies outside
    [``EARLIEST``, ``LATEST``): a row written before the input checks (a photo
    "taken" in year 1, stored as 1 BC) cannot be read into Python at all, and
    would fail every page and list that shows it. The check is in the SELECT
    itself, so nothing reads the bad value."""

    EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.timezone.utc)
    LATEST = dt.datetime(2200, 1, 1, tzinfo=dt.timezone.utc)

    def select_format(self, compiler, sql, params):
        sql, params = super().select_format(compiler, sql, params)
        low = self.get_db_prep_value(self.EARLIEST, compiler.connection)
        high = self.get_db_prep_value(self.LATEST, compiler.connection)
        return f"CASE WHEN {sql} >= %s AND {sql} < %s THEN {sql} END", (*params, low, *params, high, *params)


def evidence_path(instance, filename):
    # Never the uploader's file name on disk: it may hold anything.
    return f"evidence/{instance.case_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    class Stage(models.TextChoices):
        BEFORE = "before", _("Before rectification")
        AFTER = "after", _("After rectification")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.OTHER)
    description = models.CharField(_("description"), max_length=300, blank=True)
    taken_at = BoundedDateTimeField(_("taken at"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # What the photo's own metadata said that made no sense, and was therefore not kept.
    metadata_note = models.CharField(_("metadata note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def position(self):
        """(latitude, longitude) when the stored values are a position on Earth, else None."""
        from cases.evidence import sane_position

        return sane_position(self.latitude, self.longitude)


class Comment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
