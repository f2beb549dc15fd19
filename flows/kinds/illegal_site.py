"""Illegal small chemical sites and hidden chemical stores (非法违法“小化工”、
私存匿藏危险化学品; key tasks 10 and 11 of the plan).

    verify --dismiss--> dismissed
       |--handoff--> accept_handoff (HandoffSteps)
       +--> inspect x (lead, police, the street) in parallel --> join --> decide
    decide --dismiss--> dismissed
       |--ban, to be referred--> approve_referral (the head, 3 days) --refuse--> decide
       |                             +--approve (移送书)--> police_review (3 days)
       |        police_review --accept (立案)--> rectify
       |                      --return (退回补充材料)--> decide
       |                      --decline (不予立案)--> reconsider (the lead, 3 days)
       |        reconsider --drop--> rectify;  --request (复议)--> police_reconsider (3 days)
       |        police_reconsider --accept / uphold--> rectify
       +--ban--> rectify -> review (回头看) -> close

The referral follows 行政执法机关移送涉嫌犯罪案件的规定 (2020) arts 5, 8 and 9 and
应急〔2019〕54号 (docs/rules.md).
"""
from django import forms
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from enforcement import referrals
from enforcement.models import Referral

from .. import actions as act
from .. import forms as act_forms
from ..actions import Action, Issues
from ..forms import ActionForm, CoOfficerForm, FutureDateField, ReasonForm
from ..nodes import AgencySplit, HumanStep, If, Switch, lead_leader_queue, lead_queue, participant_queue, police_queue
from ..registry import Kind
from ..steps import CaseFlow, ClosingSteps, HandoffSteps, outcome, review_step, verify_step


# --- forms -------------------------------------------------------------------------
class FindingsForm(CoOfficerForm):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))


class BanForm(CoOfficerForm):
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
    """取缔/责令停止; a suspected crime goes to the head of the agency for the
    decision to refer it to the police first (行刑衔接)."""
    order = act.order_of(data, "measures")
    if data.get("refer_police"):
        case.rectification_order = order
        referrals.propose(case=case, actor=history["actor"], reason=data["referral_reason"],
                          documents=data["documents"])
        case.record(**history)
    else:
        case.order_rectification(order=order, **history)


def approve_referral(case, history, data):
    referrals.approve(case=case, actor=history["actor"])
    case.record(**history)


def refuse_referral(case, history, data):
    referrals.refuse(case=case, actor=history["actor"], reason=data["reason"])
    case.record(**history)


def police_accept(case, history, data):
    """立案: the police open a criminal case; the ban's rectification begins."""
    referral = referrals.accept(case=case, actor=history["actor"], police_case_no=data["police_case_no"])
    case.order_rectification(order=case.rectification_order, **{**history, "note": referral.police_case_no})


def police_return(case, history, data):
    referrals.return_file(case=case, actor=history["actor"], reason=data["reason"])
    case.record(**history)


def police_decline(case, history, data):
    referrals.decline(case=case, actor=history["actor"], reason=data["reason"])
    case.record(**history)


def request_reconsideration(case, history, data):
    referrals.request_reconsideration(case=case, actor=history["actor"], reason=data["reason"])
    case.record(**history)


def drop_reconsideration(case, history, data):
    """No 复议: the ban's rectification goes on as an administrative matter (art 10)."""
    referrals.drop(case=case, actor=history["actor"])
    case.order_rectification(order=case.rectification_order, **history)


def uphold(case, history, data):
    referrals.uphold(case=case, actor=history["actor"], reason=data["reason"])
    case.order_rectification(order=case.rectification_order, **history)


def referral_to_approve(data) -> bool:
    return bool(data.get("refer_police"))


RECORD_FINDINGS = Action("record", _("Record findings"), FindingsForm, act.record,
                         documents=(Issues("inspection_record"),))
BAN = Action("ban", _("Ban"), BanForm, ban, documents=(Issues("onsite_decision"),))
APPROVE_REFERRAL = Action("approve", _("Approve the transfer"), act_forms.NoteForm, approve_referral,
                          documents=(Issues("criminal_referral"),))
REFUSE_REFERRAL = Action("refuse", _("Do not approve the transfer"), ReasonForm, refuse_referral)
POLICE_ACCEPT = Action("accept", _("Open a criminal case (立案)"), PoliceAcceptForm, police_accept)
POLICE_RETURN = Action("return", _("Return for more material"), ReasonForm, police_return)
POLICE_DECLINE = Action("decline", _("Open no criminal case (不予立案)"), ReasonForm, police_decline)
REQUEST_RECONSIDERATION = Action("request", _("Request reconsideration (复议)"), ReasonForm,
                                 request_reconsideration)
DROP = Action("drop", _("Request no reconsideration"), act_forms.RequiredNoteForm, drop_reconsideration)
UPHOLD = Action("uphold", _("Uphold: no criminal case"), ReasonForm, uphold)


# --- the flow -----------------------------------------------------------------------------
class IllegalSiteFlow(CaseFlow, HandoffSteps, ClosingSteps, flow.Flow):
    """Illegal chemical site (非法违法“小化工”)"""

    verify = verify_step(act.CONFIRM_WITH_JOINT_STEP).Next(this.after_verify)
    after_verify = (
        Switch()
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
    ).Next(this.after_decide)
    after_decide = (
        Switch()
        .Case(this.dismissed, outcome("dismiss"))
        .Case(this.approve_referral, this.referral_proposed)
        .Default(this.rectify)
    )
    approve_referral = HumanStep(
        _("Approve the transfer to the police"), queue=lead_leader_queue, days=3,
        actions=[APPROVE_REFERRAL, REFUSE_REFERRAL],
        basis="行政执法机关移送涉嫌犯罪案件的规定第五条：正职负责人自接到报告之日起3日内作出批准移送或者不批准移送的决定",
    ).Next(this.after_approval)
    after_approval = If(outcome("approve")).Then(this.police_review).Else(this.decide)
    police_review = HumanStep(
        _("Police review"), queue=police_queue, days=3, actions=[POLICE_ACCEPT, POLICE_RETURN, POLICE_DECLINE],
        basis="行政执法机关移送涉嫌犯罪案件的规定第八条：公安机关自接受移送之日起3日内审查决定",
    ).Next(this.after_police_review)
    after_police_review = (
        Switch()
        .Case(this.rectify, outcome("accept"))
        .Case(this.reconsider, outcome("decline"))
        .Default(this.decide)
    )
    reconsider = HumanStep(
        _("Reconsideration"), queue=lead_queue, days=3, actions=[REQUEST_RECONSIDERATION, DROP],
        basis="行政执法机关移送涉嫌犯罪案件的规定第九条：接到不予立案通知书之日起3日内提请复议",
    ).Next(this.after_reconsider)
    after_reconsider = If(outcome("request")).Then(this.police_reconsider).Else(this.rectify)
    police_reconsider = HumanStep(
        _("Police reconsideration"), queue=police_queue, days=3, actions=[POLICE_ACCEPT, UPHOLD],
        basis="行政执法机关移送涉嫌犯罪案件的规定第九条：公安机关收到复议文件之日起3日内作出决定",
    ).Next(this.rectify)
    review = review_step(_("Re-check (回头看)")).Next(this.after_review)

    def inspecting_agencies(self, activation):
        """The lead, public security and the street where the site lies, plus any co-agency."""
        case = activation.process.case
        codes = [case.lead_agency.code, "police", case.street.code]
        codes += sorted(a.code for a in case.participants.all())
        return list(dict.fromkeys(codes))

    def referral_proposed(self, activation):
        open_referral = referrals.open_referral(activation.process.case)
        return open_referral is not None and open_referral.status == Referral.Status.PROPOSED


KIND = Kind(
    code="illegal_site",
    number_code="IS",
    label=_("Illegal chemical site"),
    flow=IllegalSiteFlow,
    lead_agency="emergency",
    order_fields=(("measures", _("Measures")), ("deadline", _("Deadline"))),
    main_path=("verify", "inspect", "decide", "rectify", "review", "close"),
)
