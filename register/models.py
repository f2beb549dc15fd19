"""The register's parts of an enterprise's file (the enterprise itself is
``cases.Enterprise``, which cases name): licences, major hazard
installations, hazardous-chemical products with their safety codes (一品一码),
and the imports of workbooks."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Enterprise
from org.models import Agency


class Licence(models.Model):
    """A licence (安全生产许可证, 危险化学品经营许可证 ...) with its validity."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="licences")
    type = models.CharField(_("licence type"), max_length=100)
    number = models.CharField(_("licence number"), max_length=100)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), db_index=True)
    # the expiry date a reminder was sent for (a renewed licence is reminded again)
    reminded_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["valid_to", "id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "type", "number"], name="licence_unique")]
        # an enterprise's licences expired or expiring (each row of the register's list): one probe, where
        # the enterprise's index and valid_to's were ANDed, reading every licence of the window for each row
        indexes = [models.Index(fields=["enterprise", "valid_to"], name="licence_enterprise_valid_idx")]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self) -> str:
        return f"{self.type} {self.number}"

    def is_expired(self, today=None) -> bool:
        return self.valid_to < (today or timezone.localdate())


class Installation(models.Model):
    """A major hazard installation (重大危险源) with its level, 1 the highest."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="installations")
    name = models.CharField(_("installation"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"), choices=[(n, n) for n in range(1, 5)])

    class Meta:
        ordering = ["level", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="installation_unique")]
        verbose_name = _("major hazard installation")
        verbose_name_plural = _("major hazard installations")

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """A hazardous chemical an enterprise produces, stores, uses or sells, with
    its safety code (一品一码): ``code`` is made once from the enterprise's
    USCC and the product's name and never changes."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="products")
    code = models.CharField(_("safety code"), max_length=16, unique=True, editable=False)
    name = models.CharField(_("product name"), max_length=200)
    cas = models.CharField(_("CAS number"), max_length=12, blank=True)
    un_number = models.CharField(_("UN number"), max_length=4, blank=True)
    hazard_classes = models.CharField(_("hazard classes"), max_length=200, blank=True)
    max_stock = models.DecimalField(_("maximum stock (t)"), max_digits=12, decimal_places=3, null=True, blank=True)
    hazards = models.TextField(_("hazards"), blank=True)
    protective_measures = models.TextField(_("protective measures"), blank=True)
    emergency_measures = models.TextField(_("emergency measures"), blank=True)
    emergency_phone = models.CharField(_("emergency phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="product_unique")]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ImportJob(models.Model):
    """One workbook imported: every row checked first, then all written in one
    transaction or nothing; the page polls its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CHECKING = "checking", _("Checking the rows")
        WRITING = "writing", _("Writing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing imported")
        FAILED = "failed", _("Failed: nothing imported")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(editable=False)  # emptied once the import has finished
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    rejected = models.JSONField(default=list)  # [{sheet, row, errors: [..]}]
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0
