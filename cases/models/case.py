"""What: a case (案件), the enterprise it concerns, and its history.

The case's state is a django-fsm field that only its transitions can move.
Each transition, and each completed task that moves nothing, writes exactly one
``CaseHistory`` row, in the same transaction as the change.
"""
import datetime as dt
import functools
import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from enforcement.models import Agency


class Enterprise(models.Model):
    """An enterprise, keyed by its unified social credit code (统一社会信用代码)."""

    name = models.CharField(_("enterprise name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return f"{self.name} ({self.uscc})"


class CaseKind(models.TextChoices):
    HAZARD = "hazard", _("Hidden hazard")
    ILLEGAL_SITE = "illegal_site", _("Illegal chemical site")
    WASTE_REFERRAL = "waste_referral", _("Hazardous-waste referral")


KIND_NUMBER_CODES = {
    CaseKind.HAZARD: "HZ",
    CaseKind.ILLEGAL_SITE: "IS",
    CaseKind.WASTE_REFERRAL: "WR",
}


class Grade(models.TextChoices):
    GENERAL = "general", _("General")
    MAJOR = "major", _("Major")


class State(models.TextChoices):
    DISCOVERED = "discovered", _("Discovered")
    CONSULTING = "consulting", _("In consultation")
    RECTIFYING = "rectifying", _("Rectifying")
    REVIEWING = "reviewing", _("Under review")
    CLOSED = "closed", _("Closed")
    DISMISSED = "dismissed", _("Dismissed")


OPEN_STATES = [State.DISCOVERED, State.CONSULTING, State.RECTIFYING, State.REVIEWING]


def case_transition(*, source, target):
    """A django-fsm transition that also writes the history row.

    The decorated method takes the keyword arguments of ``Case.record`` (actor,
    action, note, step, task_id, data) besides its own, and may not touch
    ``state``: django-fsm sets it after the body.
    """

    def decorate(method):
        @functools.wraps(method)
        def body(self, *, actor, action, note="", step="", task_id=None, data=None, **kwargs):
            method(self, **kwargs)
            self.record(
                actor=actor, action=action, note=note, step=step, task_id=task_id,
                data=data, to_state=target, transition=method.__name__,
            )

        return transition(field="state", source=source, target=target)(body)

    return decorate


class Case(ConcurrentTransitionMixin, models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # street and lead_agency are indexed by (street, -created_at) and (lead_agency, -created_at) below
    street = models.ForeignKey(
        Agency, verbose_name=_("street"), on_delete=models.PROTECT, related_name="street_cases",
        limit_choices_to={"kind": Agency.Kind.STREET}, db_index=False,
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="cases",
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    state = FSMField(_("state"), choices=State.choices, default=State.DISCOVERED, protected=True)
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="led_cases", db_index=False
    )
    participants = models.ManyToManyField(
        Agency, verbose_name=_("participating agencies"), blank=True, related_name="joined_cases"
    )
    criteria = models.JSONField(_("major-hazard criteria met"), default=list, blank=True)
    rectification_order = models.JSONField(_("rectification order"), default=dict, blank=True)
    # Earliest due time of the case's open tasks, kept by the flow services so
    # that lists filter on "overdue" from an index.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    supervision_level = models.PositiveSmallIntegerField(_("supervision level"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["kind", "state", "-created_at"]),
            models.Index(fields=["street", "-created_at"]),
            models.Index(fields=["lead_agency", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_major(self) -> bool:
        return self.grade == Grade.MAJOR

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < (now or timezone.now())

    # --- history ------------------------------------------------------------
    def record(self, *, actor, action, note="", step="", task_id=None, data=None,
               to_state=None, transition="") -> "CaseHistory":
        """Write one history row: who, which agency, what, from which state to which.

        Takes the case's row lock first (a no-op when the caller holds it), so
        two writers never read the same chain head: the second waits and
        appends after the first."""
        Case.objects.select_for_update().filter(pk=self.pk).exists()
        row = CaseHistory(
            case=self,
            at=timezone.now(),
            actor=actor,
            agency_id=getattr(actor, "agency_id", None),
            action=action,
            step=step,
            task_id=task_id,
            from_state=self.state,
            to_state=to_state or self.state,
            transition=transition,
            note=note or "",
            data=data or {},
            prev_hash=CaseHistory.objects.filter(case=self).order_by("-id").values_list("hash", flat=True).first() or "",
        )
        row.hash = row.compute_hash()
        row.save(force_insert=True)
        return row

    def change_lead(self, *, agency: Agency, **history) -> "CaseHistory":
        """The lead passes to ``agency`` (a hand-off accepted, or the safety
        office settling a dispute over responsibility)."""
        self.lead_agency = agency
        return self.record(**history)

    # --- transitions (each writes its history row) ---------------------------
    @case_transition(source=State.DISCOVERED, target=State.CONSULTING)
    def start_consultation(self, *, agencies):
        """会商: the participating agencies are asked for their opinions."""
        self.participants.add(*agencies)

    @case_transition(source=[State.DISCOVERED, State.CONSULTING], target=State.RECTIFYING)
    def order_rectification(self, *, order: dict):
        """责令整改 with the five elements (五到位)."""
        self.rectification_order = order

    @case_transition(source=[State.DISCOVERED, State.CONSULTING], target=State.DISMISSED)
    def dismiss(self):
        """Not a hazard, or not ours to act on: the case ends here."""
        self.closed_at = timezone.now()

    @case_transition(source=State.RECTIFYING, target=State.REVIEWING)
    def submit_rectification(self):
        """整改完成, awaiting review (复核)."""

    @case_transition(source=State.REVIEWING, target=State.RECTIFYING)
    def fail_review(self, *, deadline):
        """复核不通过: back to rectification with a new deadline."""
        self.rectification_order = {**self.rectification_order, "deadline": deadline.isoformat()}

    @case_transition(source=State.REVIEWING, target=State.CLOSED)
    def approve_closure(self):
        """销号."""
        self.closed_at = timezone.now()


class CaseHistory(models.Model):
    """One row per transition or completed task; never updated or deleted (a
    database trigger refuses it). Each row carries a SHA-256 over its content
    and the previous row's hash for the same case: a hash chain that
    ``manage.py verify_history`` checks."""

    # indexed by casehistory_case_id_idx (case, id) and the chain constraint (case, prev_hash)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history", db_index=False)
    at = models.DateTimeField(_("at"), default=timezone.now)
    # actor and agency are empty on the scan's rows: indexed where present (Meta)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, on_delete=models.PROTECT, related_name="+",
        db_index=False,
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    action = models.CharField(_("action"), max_length=40)
    step = models.CharField(_("step"), max_length=40, blank=True)
    task_id = models.BigIntegerField(null=True, blank=True)
    transition = models.CharField(max_length=40, blank=True)
    from_state = models.CharField(_("from state"), max_length=20, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        indexes = [
            models.Index(fields=["case", "id"], name="casehistory_case_id_idx"),
            models.Index(fields=["actor"], name="casehistory_actor_idx", condition=models.Q(actor__isnull=False)),
            models.Index(fields=["agency"], name="casehistory_agency_idx", condition=models.Q(agency__isnull=False)),
        ]
        constraints = [
            # two rows can never follow the same row: the chain cannot fork
            models.UniqueConstraint(fields=["case", "prev_hash"], name="casehistory_chain_linear"),
        ]

    def content(self) -> dict:
        return self.content_of(
            case_id=self.case_id, at=self.at, actor_id=self.actor_id, agency_id=self.agency_id, action=self.action,
            step=self.step, task_id=self.task_id, transition=self.transition, from_state=self.from_state,
            to_state=self.to_state, note=self.note, data=self.data, prev_hash=self.prev_hash,
        )

    @staticmethod
    def content_of(*, case_id, at, actor_id, agency_id, action, step, task_id, transition, from_state, to_state,
                   note, data, prev_hash) -> dict:
        """What the hash covers: every column but the id and the hash."""
        return {
            "case": case_id, "at": at.astimezone(dt.timezone.utc).isoformat(), "actor": actor_id,
            "agency": agency_id, "action": action, "step": step, "task": task_id, "transition": transition,
            "from": from_state, "to": to_state, "note": note, "data": data, "prev": prev_hash,
        }

    @staticmethod
    def digest(content: dict) -> str:
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def compute_hash(self) -> str:
        return self.digest(self.content())


class CaseAccess(models.Model):
    """Agencies that may see a case: lead, participants, the street, and any
    agency that has or had a task on it. One indexed row per (case, agency), so
    that visibility is answered from an index (DESIGN.md section 1)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "case"], name="case_access_unique")]


class CaseNumberSequence(models.Model):
    """The last number issued per kind and year; numbers are never reused."""

    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="case_number_sequence_unique")]
