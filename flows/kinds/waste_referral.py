"""Hazardous-waste referrals (废弃危险化学品等危险废物; key task 14), led by the
ecology bureau with the emergency bureau always in the consultation.

    verify --dismiss--> dismissed
       |--handoff--> accept_handoff (HandoffSteps)
       +--> consult x (lead, emergency, co-agencies) in parallel (ConsultationSteps) --> order
    order --dismiss--> dismissed
       +--issue (licensed disposal unit)--> rectify (transfer manifest no.) -> review -> close
"""
from django import forms
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from .. import actions as act
from ..actions import Action, Issues
from ..forms import CoOfficerForm, FutureDateField, ReportForm
from ..nodes import HumanStep, If, Switch, lead_queue
from ..registry import Kind
from ..steps import CaseFlow, ClosingSteps, ConsultationSteps, HandoffSteps, outcome, rectify_step, verify_step


class OrderForm(CoOfficerForm):
    deadline = FutureDateField(label=_("Deadline"))
    disposal_unit = forms.CharField(label=_("Licensed disposal unit"), max_length=200)
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}))


class RectificationReportForm(ReportForm):
    manifest_no = forms.CharField(label=_("Transfer manifest number (转移联单号)"), max_length=60)


def issue_order(case, history, data):
    case.order_rectification(order=act.order_of(data, "measures", "disposal_unit"), **history)


def submit_rectification(case, history, data):
    """整改完成 with the transfer manifest number, kept on the order."""
    case.rectification_order = {**case.rectification_order, "manifest_no": data["manifest_no"]}
    case.submit_rectification(**history)


ISSUE_ORDER = Action("issue", _("Issue the order"), OrderForm, issue_order, documents=(Issues("rectification_order"),))
SUBMIT = Action("submit", _("Submit rectification"), RectificationReportForm, submit_rectification)


class WasteReferralFlow(CaseFlow, HandoffSteps, ConsultationSteps, ClosingSteps, flow.Flow):
    """Hazardous-waste referral (危险废物)"""

    verify = verify_step(act.CONFIRM_WITH_JOINT_STEP).Next(this.after_verify)
    after_verify = (
        Switch()
        .Case(this.dismissed, outcome("dismiss"))
        .Case(this.accept_handoff, outcome("handoff"))
        .Default(this.consultation)
    )

    order = HumanStep(
        _("Order rectification"), queue=lead_queue, days=3, actions=[ISSUE_ORDER, act.DISMISS],
    ).Next(this.after_order)
    after_order = If(outcome("dismiss")).Then(this.dismissed).Else(this.rectify)
    rectify = rectify_step(SUBMIT).Next(this.review)

    def consulting_agencies(self, activation):
        """The lead, the emergency bureau (always), then the co-agencies."""
        case = activation.process.case
        codes = [case.lead_agency.code, "emergency"] + sorted(a.code for a in case.participants.all())
        return list(dict.fromkeys(codes))


KIND = Kind(
    code="waste_referral",
    number_code="WR",
    label=_("Hazardous-waste referral"),
    flow=WasteReferralFlow,
    lead_agency="ecology",
    order_fields=(
        ("disposal_unit", _("Licensed disposal unit")), ("measures", _("Measures")), ("deadline", _("Deadline")),
        ("manifest_no", _("Transfer manifest number (转移联单号)")),
    ),
    main_path=("verify", "consult", "order", "rectify", "review", "close"),
)
