"""What: a case (案件), the enterprise it concerns, and its history.

The case's state is a django-fsm field that only its transitions can move.
Each transition, and each completed task that moves nothing, writes exactly one
``CaseHistory`` row, in the same transaction as the change, through the one
writer of the history chain (``cases.history``).

A case's kind (``hazard``, ``illegal_site`` ...) is a code here: the kinds
themselves, their labels and their flows are declared in ``flows/kinds/``,
above this app.
"""
import functools

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KeyTransform
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from common.changes import SavesChanges
from org.deadlines import is_overdue, overdue_q
from org.models import Agency


class Risk(models.TextChoices):
    """An enterprise's safety-risk colour (红/橙/黄/蓝), red the highest."""

    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    YELLOW = "yellow", _("Yellow")
    BLUE = "blue", _("Blue")


class Activity(models.TextChoices):
    """What an enterprise does with hazardous chemicals (the words are the codes)."""

    PRODUCTION = "production", _("Production")
    STORAGE = "storage", _("Storage")
    USE = "use", _("Use")
    OPERATION = "operation", _("Operation (trade)")
    TRANSPORT = "transport", _("Transport")
    DISPOSAL = "disposal", _("Disposal")


class Enterprise(models.Model):
    """An enterprise, keyed by its unified social credit code (统一社会信用代码):
    the register's file (一企一档). Licences, installations and products are in
    ``register``; an entry created by a case registration for a code the
    register did not hold is a draft until the register completes it."""

    name = models.CharField(_("enterprise name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    street = models.ForeignKey(
        Agency, verbose_name=_("street"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="street_enterprises", limit_choices_to={"kind": Agency.Kind.STREET},
    )
    activities = models.JSONField(_("activities"), default=list, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    safety_contact = models.CharField(_("safety contact"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    latitude = models.DecimalField(_("latitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    risk = models.CharField(_("risk colour"), max_length=10, choices=Risk.choices, blank=True, db_index=True)
    draft = models.BooleanField(_("draft entry"), default=False,
                                help_text=_("Created by a case registration; the register has not completed it."))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            # the register's order (register.selectors.enterprise_rows): a page is read from the index and stops
            # at its 50th row, for a list filtered to few enterprises as for the whole register
            models.Index(fields=["name", "id"], name="enterprise_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.uscc})"

    def activity_labels(self) -> list[str]:
        labels = dict(Activity.choices)
        return [str(labels.get(code, code)) for code in self.activities]


class Grade(models.TextChoices):
    GENERAL = "general", _("General")
    MAJOR = "major", _("Major")


class State(models.TextChoices):
    """The stages every kind's cases pass through (a kind uses those it needs)."""

    DISCOVERED = "discovered", _("Discovered")
    CONSULTING = "consulting", _("In consultation")
    INVESTIGATING = "investigating", _("Under investigation")
    DECIDING = "deciding", _("Awaiting the decision")
    RECTIFYING = "rectifying", _("Rectifying")
    EXECUTING = "executing", _("Being executed")
    REVIEWING = "reviewing", _("Under review")
    CLOSED = "closed", _("Closed")
    DISMISSED = "dismissed", _("Dismissed")


OPEN_STATES = [State.DISCOVERED, State.CONSULTING, State.INVESTIGATING, State.DECIDING, State.RECTIFYING,
               State.EXECUTING, State.REVIEWING]

# The rung of the escalation ladder at which a late case is put under
# supervision (督办): 1 reminded, 2 overdue and its leaders notified, 3
# supervised. (A major hazard the safety office lists deliberately, 挂牌督办, is
# ``Case.listed``: supervision.listings.)
SUPERVISED_LEVEL = 3


def supervised_q(prefix: str = "") -> models.Q:
    """Cases under supervision for running late (督办), as a query condition."""
    return models.Q(**{f"{prefix}supervision_level__gte": SUPERVISED_LEVEL})


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


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, now=None):
        """Open cases past their due time (``org.deadlines.is_overdue``)."""
        return self.open().filter(overdue_q(now=now))

    def supervised(self):
        """Cases under supervision (督办, the ladder's last rung: ``supervised_q``)."""
        return self.filter(supervised_q())

    listed = supervised  # the name the demo's check reads


class Case(SavesChanges, ConcurrentTransitionMixin, models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20)  # a code of flows/kinds
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
    campaign = models.ForeignKey("cases.Campaign", verbose_name=_("special campaign"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="cases")
    state = FSMField(_("state"), choices=State.choices, default=State.DISCOVERED, protected=True)
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="led_cases", db_index=False
    )
    participants = models.ManyToManyField(
        Agency, verbose_name=_("participating agencies"), blank=True, related_name="joined_cases"
    )
    # The facts of the case's own kind (registration fields declared by its kind module).
    details = models.JSONField(_("details"), default=dict, blank=True)
    criteria = models.JSONField(_("major-hazard criteria met"), default=list, blank=True)
    rectification_order = models.JSONField(_("rectification order"), default=dict, blank=True)
    # Earliest due time of the case's open, running tasks, kept by the flow
    # services so that lists filter on "overdue" from an index.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    supervision_level = models.PositiveSmallIntegerField(_("supervision level"), default=0)
    # 挂牌督办: listed by the safety office until the listing is removed (摘牌); kept
    # by supervision.listings, read by the closure rule and every page
    listed = models.BooleanField(_("listed for supervision (挂牌督办)"), default=False)
    # The head and length of the history chain (cases.history): a deleted or
    # truncated history no longer matches them.
    history_head = models.CharField(max_length=64, blank=True, editable=False)
    history_length = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["kind", "state", "-created_at"]),
            models.Index(fields=["street", "-created_at"]),
            models.Index(fields=["lead_agency", "-created_at"]),
            # the case list's own order, newest first, to its last tie (ordering above): a page is
            # the first 50 entries however many cases share a registration time
            models.Index(fields=["-created_at", "-id"], name="case_newest_idx"),
            # a street's cases in a state, or overdue (the supervisor's usual filters): one range
            models.Index(fields=["street", "state", "due_at"], name="case_street_state_due_idx"),
            # an enterprise's open cases (the register's list: its column and its open_hazards filter), counted
            # from the index alone, not from the heap rows of every case of the enterprise
            models.Index(fields=["enterprise"], name="case_open_enterprise_idx", condition=models.Q(state__in=OPEN_STATES)),
            # the cases opened from a case (cases.selectors.linked_cases): a few in a million carry the key
            models.Index(KeyTransform("source_case", "details"), name="case_source_case_idx",
                         condition=models.Q(details__has_key="source_case")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if fields is None or "history_head" in fields:
            # the chain's head as written (cases.history.chain_held writes it only when this differs)
            self.saved_head = (self.history_head, self.history_length)

    @property
    def is_major(self) -> bool:
        return self.grade == Grade.MAJOR

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and is_overdue(self.due_at)

    @property
    def is_supervised(self) -> bool:
        return self.supervision_level >= SUPERVISED_LEVEL

    @property
    def is_suspended(self) -> bool:
        """停产整改中: production suspended by the order, not yet resumed after a passed review."""
        order = self.rectification_order or {}
        return bool(order.get("suspend")) and not order.get("resumed_on")

    # --- history ------------------------------------------------------------
    def record(self, *, actor, action, note="", step="", task_id=None, data=None,
               to_state=None, transition="") -> None:
        """Append one history row: who, which agency, what, from which state to which."""
        from ..history import Entry, append

        entry = Entry(case_id=self.pk, actor_id=getattr(actor, "pk", None),
                      agency_id=getattr(actor, "agency_id", None), action=action, step=step, task_id=task_id,
                      from_state=self.state, to_state=to_state or self.state, transition=transition,
                      note=note or "", data=data or {})
        append([entry], cases=[self])

    def change_lead(self, *, agency: Agency, **history) -> None:
        """The lead passes to ``agency`` (a hand-off accepted, or the safety
        office settling a dispute over responsibility)."""
        self.lead_agency = agency
        self.record(**history)

    # --- transitions (each writes its history row) ---------------------------
    @case_transition(source=State.DISCOVERED, target=State.CONSULTING)
    def start_consultation(self, *, agencies):
        """会商: the participating agencies are asked for their opinions."""
        self.participants.add(*agencies)

    @case_transition(source=[State.DISCOVERED, State.CONSULTING], target=State.RECTIFYING)
    def order_rectification(self, *, order: dict):
        """责令整改 with the five elements (五到位)."""
        self.rectification_order = order

    @case_transition(source=[State.DISCOVERED, State.CONSULTING, State.INVESTIGATING, State.DECIDING],
                     target=State.DISMISSED)
    def dismiss(self):
        """核查不属实 / 终止办理: not a hazard, not ours to act on, or nothing to punish."""
        self.closed_at = timezone.now()

    @case_transition(source=State.DISCOVERED, target=State.INVESTIGATING)
    def start_investigation(self):
        """立案: the facts are investigated (调查取证)."""

    @case_transition(source=State.INVESTIGATING, target=State.DECIDING)
    def submit_for_decision(self):
        """The investigation is done: the case is reviewed, notified and decided (审理)."""

    @case_transition(source=State.DECIDING, target=State.INVESTIGATING)
    def resume_investigation(self):
        """More facts are needed before deciding."""

    @case_transition(source=State.DECIDING, target=State.EXECUTING)
    def begin_execution(self):
        """The decision is made and served: it is carried out (执行)."""

    @case_transition(source=[State.CONSULTING, State.EXECUTING], target=State.CLOSED)
    def conclude(self):
        """办结 (结案) without a rectification to review: a joint punishment done, a decision carried out."""
        self.closed_at = timezone.now()

    @case_transition(source=State.RECTIFYING, target=State.REVIEWING)
    def submit_rectification(self):
        """整改完成, awaiting review (复查)."""

    @case_transition(source=State.REVIEWING, target=State.RECTIFYING)
    def fail_review(self, *, deadline):
        """复查不合格: back to rectification with a new deadline."""
        self.rectification_order = {**self.rectification_order, "deadline": deadline.isoformat()}

    @case_transition(source=State.REVIEWING, target=State.CLOSED)
    def approve_closure(self):
        """销号."""
        self.closed_at = timezone.now()


class CaseHistory(models.Model):
    """One row per transition or completed task; never updated or deleted (a
    database trigger refuses it). Rows form a keyed hash chain per case
    (``cases.history``) that ``manage.py verify_history`` checks."""

    # indexed by the chain's unique (case, seq)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history", db_index=False)
    seq = models.PositiveIntegerField(_("position"))
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
        ordering = ["seq"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        indexes = [
            models.Index(fields=["actor"], name="casehistory_actor_idx", condition=models.Q(actor__isnull=False)),
            models.Index(fields=["agency"], name="casehistory_agency_idx", condition=models.Q(agency__isnull=False)),
        ]
        constraints = [
            # one row per position: the chain cannot fork
            models.UniqueConstraint(fields=["case", "seq"], name="casehistory_chain_linear"),
        ]


class CaseNumberSequence(models.Model):
    """The last number issued per kind and year; numbers are never reused."""

    kind = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="case_number_sequence_unique")]
