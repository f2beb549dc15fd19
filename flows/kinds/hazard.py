"""Hidden hazards (事故隐患) at an enterprise, graded general (一般) or major (重大).

    verify --dismiss--> dismissed
       |--handoff--> accept_handoff (HandoffSteps)
       |--major or co-agencies--> consult x N (ConsultationSteps, 会商) --+
       +---------------------------------------------------------------+--> order --dismiss--> dismissed
                                                                            +--issue--> rectify -> review -> close

A hazard that meets any of the twenty major-hazard criteria (安监总管三〔2017〕121号)
is major; a major hazard is always consulted on and closed by the safety office.
"""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases.models import Grade, MajorHazardCriterion, State
from common.refcache import cached
from org.limits import basis_note, latest_day

from .. import actions as act
from ..actions import Action, Issues
from ..forms import CoOfficerForm, FutureDateField, agencies_field
from ..nodes import HumanStep, If, Switch, lead_queue
from ..registry import Kind
from ..steps import CaseFlow, ClosingSteps, ConsultationSteps, HandoffSteps, outcome, verify_step


# --- forms -------------------------------------------------------------------------
class ConfirmForm(CoOfficerForm):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    agencies = agencies_field()
    criteria = forms.TypedMultipleChoiceField(
        label=_("Major-hazard criteria met"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=_("The criteria of 安监总管三〔2017〕121号 the hazard meets; any one makes it major."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = criterion_choices()

    def clean(self):
        data = super().clean()
        if data.get("grade") == Grade.GENERAL and data.get("criteria"):
            self.add_error("criteria", forms.ValidationError(
                _("A hazard that meets a major-hazard criterion is major, not general."), code="criteria_need_major",
            ))
        return data


def criterion_choices() -> list[tuple[int, str]]:
    return cached(MajorHazardCriterion._meta.label_lower, lambda: [
        (c.number, f"{c.number}. {c.text}") for c in MajorHazardCriterion.objects.order_by("number")
    ])


class OrderForm(CoOfficerForm):
    """整改“五到位”: measures, responsibility, funds, time limit, contingency plan."""

    measures = forms.CharField(
        label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the enterprise must do to remove the hazard."),
    )
    responsible_person = forms.CharField(
        label=_("Responsible person"), max_length=100,
        help_text=_("The person at the enterprise answerable for the rectification."),
    )
    funds = forms.CharField(label=_("Funds"), max_length=200, help_text=_("The money set aside for it, for example 5万元."))
    deadline = FutureDateField(label=_("Deadline"), help_text=_("The rectification step is due on this day."))
    contingency_plan = forms.CharField(
        label=_("Contingency plan"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the risk is kept under control until the rectification is done."),
    )
    suspend = forms.BooleanField(
        label=_("Suspend production (停产停业) until the rectification passes review"), required=False,
        help_text=_("A major hazard that cannot be kept safe meanwhile (安全生产法 art. 65(1)(3)); production "
                    "resumes only after a passed review (复产验收)."),
    )
    suspend_scope = forms.CharField(label=_("What is suspended"), required=False, max_length=300,
                                    help_text=_("The whole unit, or the installations and equipment named."))
    suspend_until = forms.DateField(label=_("Suspended at most until"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    evacuate = forms.BooleanField(label=_("Withdraw the workers from the danger zone (撤出作业人员)"), required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("suspend") or data.get("evacuate")):
            return data
        if self.case is not None and not self.case.is_major:
            self.add_error("suspend" if data.get("suspend") else "evacuate", forms.ValidationError(
                _("Suspension and withdrawal are ordered for a major hazard."), code="not_major"))
            return data
        if data.get("suspend"):
            until, today = data.get("suspend_until"), timezone.localdate()
            longest = latest_day("suspension_max", today)
            if until is None or until <= today:
                self.add_error("suspend_until", _("Give the last day of the suspension."))
            elif until > longest:
                self.add_error("suspend_until", _("A suspension lasts at most until %(day)s; a longer one needs "
                                                  "the limit changed by an administrator. %(basis)s")
                               % {"day": longest, "basis": basis_note("suspension_max")})
            if not data.get("suspend_scope"):
                self.add_error("suspend_scope", _("Say what is suspended."))
        return data


# --- what the actions do ---------------------------------------------------------------
def confirm(case, history, data):
    """确认: the grade, the criteria met, and the co-agencies for 会商."""
    case.grade = data["grade"]
    case.criteria = sorted(data.get("criteria") or [])
    co_agencies = act.co_agencies(case, data)
    if case.grade == Grade.MAJOR or co_agencies:
        case.start_consultation(agencies=co_agencies, **history)
    else:
        case.record(**history)


ORDER_FIELDS = ("measures", "responsible_person", "funds", "contingency_plan")


def issue_order(case, history, data):
    """责令限期整改 with the five elements (五到位); for a major hazard, the
    suspension of production and the withdrawal of workers with it."""
    order = act.order_of(data, *ORDER_FIELDS)
    if data.get("suspend"):
        order.update(suspend=True, suspend_scope=data["suspend_scope"], suspend_until=data["suspend_until"].isoformat())
    if data.get("evacuate"):
        order["evacuate"] = True
    case.order_rectification(order=order, **history)


CONFIRM = Action("confirm", _("Confirm"), ConfirmForm, confirm, documents=(Issues("inspection_record"),))
ISSUE_ORDER = Action("issue", _("Issue the order"), OrderForm, issue_order, documents=(Issues("rectification_order"),))


# --- the flow -----------------------------------------------------------------------------
class HazardFlow(CaseFlow, HandoffSteps, ConsultationSteps, ClosingSteps, flow.Flow):
    """Hidden hazard (事故隐患)"""

    verify = verify_step(CONFIRM).Next(this.after_verify)
    after_verify = (
        Switch()
        .Case(this.dismissed, outcome("dismiss"))
        .Case(this.accept_handoff, outcome("handoff"))
        .Case(this.consultation, this.in_consultation)
        .Default(this.order)
    )

    order = HumanStep(
        _("Order rectification"), queue=lead_queue, days=3, actions=[ISSUE_ORDER, act.DISMISS],
    ).Next(this.after_order)
    after_order = If(outcome("dismiss")).Then(this.dismissed).Else(this.rectify)

    def in_consultation(self, activation):
        return activation.process.case.state == State.CONSULTING

    def consulting_agencies(self, activation):
        """The lead first, then every participating agency (会商)."""
        case = activation.process.case
        others = sorted(a.code for a in case.participants.all() if a.pk != case.lead_agency_id)
        return [case.lead_agency.code, *others]


def criteria_met(case) -> list[tuple[object, object]]:
    """The major-hazard criteria the case meets, by their text."""
    if not case.criteria:
        return []
    texts = dict(criterion_choices())
    return [(_("Major-hazard criteria met"), "；".join(texts.get(n, str(n)) for n in case.criteria))]


KIND = Kind(
    code="hazard",
    number_code="HZ",
    label=_("Hidden hazard"),
    flow=HazardFlow,
    lead_agency="emergency",
    graded=True,
    order_fields=(
        ("measures", _("Measures")), ("responsible_person", _("Responsible person")), ("funds", _("Funds")),
        ("deadline", _("Deadline")), ("contingency_plan", _("Contingency plan")),
        ("suspend_scope", _("Production suspended (停产停业)")), ("suspend_until", _("Suspended at most until")),
        ("resumed_on", _("Production resumed (复产验收)")),
    ),
    grace_by_grade={Grade.MAJOR: 0},
    main_path=("verify", "consult", "order", "rectify", "review", "close"),
    describe=criteria_met,
)
