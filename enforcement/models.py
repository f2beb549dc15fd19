"""The acts of enforcement a case leads to."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from org.models import Agency


class Referral(models.Model):
    """移送: a suspected crime referred to the police (行刑衔接), as the rules on
    transfers have it (行政执法机关移送涉嫌犯罪案件的规定, 2020; 应急〔2019〕54号):
    the head of the agency approves within 3 days, the police decide within 3
    days (立案, or 不予立案 with reasons, or the file returned for more
    material), and a refusal to open a case may be put to the police again
    (复议) within 3 days, answered within 3 days."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting the head's approval")
        REFUSED = "refused", _("Transfer not approved")
        PENDING = "pending", _("Awaiting the police")
        ACCEPTED = "accepted", _("Criminal case opened")
        RETURNED = "returned", _("Returned for more material")
        DECLINED = "declined", _("No criminal case opened")
        RECONSIDERING = "reconsidering", _("Reconsideration requested")
        UPHELD = "upheld", _("No criminal case: upheld on reconsideration")
        DROPPED = "dropped", _("No reconsideration requested")

    OPEN = (Status.PROPOSED, Status.PENDING, Status.DECLINED, Status.RECONSIDERING)

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
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.PROPOSED)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(_("transfer approved at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason the transfer was not approved"), blank=True)
    police_case_no = models.CharField(_("police case number"), max_length=60, blank=True)
    return_reason = models.TextField(_("return reason"), blank=True)
    decline_reason = models.TextField(_("reason no criminal case was opened"), blank=True)
    reconsider_reason = models.TextField(_("reason for reconsideration"), blank=True)
    reconsider_requested_at = models.DateTimeField(null=True, blank=True)
    uphold_reason = models.TextField(_("reason the refusal was upheld"), blank=True)
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


# --- documents of record (文书) -------------------------------------------------------
class DocumentType(models.Model):
    """A kind of document of record, with the words the law gives it: kept as
    data an administrator can update when a rule changes (loaded from
    enforcement/data/document_types.json). A document copies them into its
    snapshot when issued, so a later edit never changes an issued document."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=60)
    title_en = models.CharField(_("English title"), max_length=120, blank=True)
    abbreviation = models.CharField(_("abbreviation in the number"), max_length=10,
                                    help_text=_("The type's part of the document number, e.g. 责改."))
    basis = models.TextField(_("legal basis"), blank=True)
    remedies = models.TextField(_("rights of the party"), blank=True,
                                help_text=_("Review and appeal: where, within how long."))
    copies = models.CharField(_("copies"), max_length=200, blank=True,
                              help_text=_("e.g. 本文书一式两份：一份留存，一份交被检查单位。"))
    served = models.BooleanField(_("served on the party"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return self.title


class NumberingRule(models.Model):
    """How an agency numbers its documents (文号): a pattern with {type} (the
    type's abbreviation), {year} and {serial}, e.g. 南开应急{type}〔{year}〕{serial}号."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="numbering")
    pattern = models.CharField(_("pattern"), max_length=80)

    class Meta:
        verbose_name = _("document numbering")
        verbose_name_plural = _("document numbering")

    def __str__(self) -> str:
        return f"{self.agency}: {self.pattern}"


class DocumentSequence(models.Model):
    """The last serial an agency issued for a type in a year: numbers are gap-free and never reused."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "type", "year"], name="document_sequence_unique")]


def document_path(instance, filename):
    return f"documents/{instance.case_id}/{uuid.uuid4().hex}.pdf"


class Document(models.Model):
    """A document of record issued by a step, frozen as the facts it states
    (``facts``) and, once rendered, as a PDF whose SHA-256 is in the case's
    history. A correction is a new version; nothing is overwritten."""

    class Method(models.TextChoices):
        DIRECT = "direct", _("Served in person (直接送达)")
        LEFT = "left", _("Left at the premises (留置送达)")
        POST = "post", _("By post (邮寄送达)")
        ELECTRONIC = "electronic", _("Electronically (电子送达)")
        PUBLIC = "public", _("By public notice (公告送达)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    type = models.CharField(_("type"), max_length=40)
    agency = models.ForeignKey(Agency, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    number = models.CharField(_("document number"), max_length=80)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by")
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    facts = models.JSONField(_("facts stated"), default=dict)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    step = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=40, blank=True)
    task_id = models.BigIntegerField(null=True, blank=True)
    pdf = models.FileField(upload_to=document_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    service_method = models.CharField(_("method of service"), max_length=12, choices=Method.choices, blank=True)
    service_recipient = models.CharField(_("recipient"), max_length=100, blank=True)
    service_note = models.CharField(_("note on the service"), max_length=300, blank=True)
    service_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    receipt = models.ForeignKey("cases.Evidence", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("signed receipt (送达回证)"))

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["agency", "type", "year", "serial", "version"], name="document_number_once"),
        ]
        indexes = [
            models.Index(fields=["case", "issued_at"]),
            models.Index(fields=["rendered_at"], name="document_unrendered_idx", condition=models.Q(rendered_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_rendered(self) -> bool:
        return self.rendered_at is not None

    @property
    def is_served(self) -> bool:
        return self.served_at is not None


class Status(models.TextChoices):
    """How sure we are of a legal fact (docs/rules.md)."""

    CHECKED = "checked", _("Checked against the text")
    IMPL = "impl", _("Seen in templates or software only")
    RECALLED = "recalled", _("From memory")


class Provision(models.Model):
    """A penalty provision (罚则) with its fine range, as reference data: loaded
    from enforcement/data/provisions.json by a migration and edited in the
    admin (the law changes: 危险化学品安全法 from 2026-05-01). A provision not
    checked against its text is shown 待核对 until an administrator confirms it."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    law = models.CharField(_("law or regulation"), max_length=120)
    version = models.CharField(_("version"), max_length=40, help_text=_("The text in force, e.g. 2013 revision."))
    article = models.CharField(_("article"), max_length=60)
    summary = models.CharField(_("violation"), max_length=300)
    fine_min = models.DecimalField(_("lowest fine (yuan)"), max_digits=12, decimal_places=2, default=0)
    fine_max = models.DecimalField(_("highest fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
                                   help_text=_("Empty: the provision sets no fine of its own."))
    other_measures = models.CharField(_("other measures"), max_length=300, blank=True)
    status = models.CharField(_("status of the source"), max_length=10, choices=Status.choices,
                              default=Status.RECALLED)
    confirmed = models.BooleanField(_("confirmed by an administrator"), default=False)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    in_force_until = models.DateField(_("in force until"), null=True, blank=True)
    active = models.BooleanField(_("offered to officers"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("penalty provision")
        verbose_name_plural = _("penalty provisions")

    def __str__(self) -> str:
        return f"《{self.law}》{self.article}"

    @property
    def is_sure(self) -> bool:
        return self.status == Status.CHECKED or self.confirmed


class PenaltySetting(models.Model):
    """An amount the penalty procedure turns on (较大数额 for a hearing, the
    fine that calls for the leaders' collective discussion): data, because no
    national text fixes it and Tianjin's figure was not found."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("what it sets"), max_length=120)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    status = models.CharField(_("status of the source"), max_length=10, choices=Status.choices,
                              default=Status.RECALLED)
    confirmed = models.BooleanField(_("confirmed by an administrator"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("penalty setting")
        verbose_name_plural = _("penalty settings")

    def __str__(self) -> str:
        return self.label

    @property
    def is_sure(self) -> bool:
        return self.status == Status.CHECKED or self.confirmed
