"""Illegal small chemical sites and hidden chemical stores (非法违法“小化工”、
私存匿藏危险化学品; key tasks 10 and 11 of the plan).

    verify --dismiss--> dismissed
       |--handoff--> accept_handoff (HandoffSteps)
       +--> inspect x (lead, police, the street) in parallel --> join --> decide
    decide --dismiss--> dismissed
       |--ban, referred--> police_review --return--> decide
       |                        +--accept--> rectify
       +--ban--> rectify -> review (回头看) -> close
"""
from django import forms
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from enforcement import referrals
from enforcement.models import Referral

from .. import actions as act
from ..actions import Action
from ..forms import ActionForm, FutureDateField, ReasonForm
from ..nodes import AgencySplit, HumanStep, lead_queue, participant_queue, police_queue
from ..registry import Kind
from ..steps import CaseFlow, ClosingSteps, HandoffSteps, outcome, verify_step


# --- forms -------------------------------------------------------------------------
class FindingsForm(ActionForm):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))


class BanForm(ActionForm):
    """取缔/责令停止: measures and deadline, optionally referring the case to the police."""

    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = FutureDateField(label=_("Deadline"))
    refer_police = forms.BooleanField(label=_("Refer to the police (涉嫌犯罪移送)"), required=False)
    referral_reason = forms.CharField(label=_("Referral reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    documents = forms.MultipleChoiceField(
        label=_("Documents transferred"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=Referral.Document.choices,
    )

    def clean(self):
        data = super().clean()
        if data.get("refer_police"):
            if not data.get("referral_reason"):
                self.add_error("referral_reason", _("Give the reason for the referral."))
            if Referral.Document.TRANSFER_LETTER not in (data.get("documents") or []):
                self.add_error("documents", _("A referral carries at least the transfer letter (移送书)."))
        return data


class PoliceAcceptForm(ActionForm):
    police_case_no = forms.CharField(label=_("Police case number"), max_length=60)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- what the actions do ---------------------------------------------------------------
def ban(case, history, data):
    """取缔/责令停止; a suspected crime is referred to the police first (行刑衔接)."""
    order = act.order_of(data, "measures")
    if data.get("refer_police"):
        case.rectification_order = order
        referrals.refer(case=case, actor=history["actor"], reason=data["referral_reason"], documents=data["documents"])
        case.record(**history)
    else:
        case.order_rectification(order=order, **history)


def police_accept(case, history, data):
    """立案: the police open a criminal case; the ban's rectification begins."""
    referral = referrals.decide(case=case, actor=history["actor"], status=Referral.Status.ACCEPTED,
                                police_case_no=data["police_case_no"])
    case.order_rectification(order=case.rectification_order, **{**history, "note": referral.police_case_no})


def police_return(case, history, data):
    referrals.decide(case=case, actor=history["actor"], status=Referral.Status.RETURNED, return_reason=data["reason"])
    case.record(**history)


RECORD_FINDINGS = Action("record", _("Record findings"), FindingsForm, act.record)
BAN = Action("ban", _("Ban"), BanForm, ban)
POLICE_ACCEPT = Action("accept", _("Accept the referral"), PoliceAcceptForm, police_accept)
POLICE_RETURN = Action("return", _("Return the referral"), ReasonForm, police_return)


# --- the flow -----------------------------------------------------------------------------
class IllegalSiteFlow(CaseFlow, HandoffSteps, ClosingSteps, flow.Flow):
    """Illegal chemical site (非法违法“小化工”)"""

    verify = verify_step(act.CONFIRM_WITH_JOINT_STEP).Next(this.after_verify)
    after_verify = (
        flow.Switch()
        .Case(this.dismissed, outcome("dismiss"))
        .Case(this.accept_handoff, outcome("handoff"))
        .Default(this.inspection)
    )

    inspection = AgencySplit(this.inspecting_agencies).Each(this.inspect)
    inspect = HumanStep(
        _("Joint inspection"), queue=participant_queue, days=5, actions=[RECORD_FINDINGS],
    ).Next(this.inspection_done)
    inspection_done = flow.Join().Next(this.decide)

    decide = HumanStep(
        _("Decide"), queue=lead_queue, days=3, actions=[BAN, act.DISMISS],
        basis="应急〔2019〕54号 第七条：3日内作出是否移送的决定",
    ).Next(this.after_decide)
    after_decide = (
        flow.Switch()
        .Case(this.dismissed, outcome("dismiss"))
        .Case(this.police_review, this.referred)
        .Default(this.rectify)
    )
    police_review = HumanStep(
        _("Police review"), queue=police_queue, days=3, actions=[POLICE_ACCEPT, POLICE_RETURN],
        basis="应急〔2019〕54号：公安机关3日内决定是否立案",
    ).Next(this.after_police_review)
    after_police_review = flow.If(outcome("accept")).Then(this.rectify).Else(this.decide)

    def inspecting_agencies(self, activation):
        """The lead, public security and the street where the site lies, plus any co-agency."""
        case = activation.process.case
        codes = [case.lead_agency.code, "police", case.street.code]
        codes += sorted(a.code for a in case.participants.all())
        return list(dict.fromkeys(codes))

    def referred(self, activation):
        return referrals.pending_referral(activation.process.case)


KIND = Kind(
    code="illegal_site",
    number_code="IS",
    label=_("Illegal chemical site"),
    flow=IllegalSiteFlow,
    lead_agency="emergency",
    order_fields=(("measures", _("Measures")), ("deadline", _("Deadline"))),
    main_path=("verify", "inspect", "decide", "rectify", "review", "close"),
)
