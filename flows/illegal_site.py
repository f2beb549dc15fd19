"""Illegal small chemical sites and hidden chemical stores (非法违法“小化工”,
私存匿藏危险化学品; key tasks 10 and 11 of the plan).

    verify --dismiss--> dismissed
       |--handoff--> accept_handoff (HandoffSteps)
       +--> inspect x (lead, police, the street) in parallel --> join --> decide
    decide --dismiss--> dismissed
       |--ban, referred--> police_review --return--> decide
       |                        +--accept--> rectify
       +--ban--> rectify -> review (回头看) -> close (ClosingSteps)
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases.models import Referral

from .common import CaseFlowMixin, ClosingSteps, HandoffSteps, outcome
from .nodes import AgencySplit, HumanStep, lead_queue, participant_queue, police_queue


class IllegalSiteFlow(CaseFlowMixin, HandoffSteps, ClosingSteps, flow.Flow):
    """Illegal chemical site (非法违法“小化工”)"""

    lead_agency_code = "emergency"

    verify = HumanStep(queue=lead_queue).Annotation(title=_("Verify")).Next(this.after_verify)
    after_verify = (
        flow.Switch()
        .Case(this.dismissed, outcome("dismiss"))
        .Case(this.accept_handoff, outcome("handoff"))
        .Default(this.inspection)
    )

    inspection = AgencySplit(this.inspecting_agencies).Each(this.inspect)
    inspect = HumanStep(queue=participant_queue).Annotation(title=_("Joint inspection")).Next(this.inspection_done)
    inspection_done = flow.Join().Next(this.decide)

    decide = HumanStep(queue=lead_queue).Annotation(title=_("Decide")).Next(this.after_decide)
    after_decide = (
        flow.Switch()
        .Case(this.dismissed, outcome("dismiss"))
        .Case(this.police_review, this.referred)
        .Default(this.rectify)
    )
    police_review = HumanStep(queue=police_queue).Annotation(title=_("Police review")).Next(this.after_police_review)
    after_police_review = flow.If(outcome("accept")).Then(this.rectify).Else(this.decide)

    def inspecting_agencies(self, activation):
        """The lead, public security and the street where the site lies, plus any co-agency."""
        case = activation.process.case
        codes = [case.lead_agency.code, "police", case.street.code]
        codes += sorted(a.code for a in case.participants.all())
        return list(dict.fromkeys(codes))

    def referred(self, activation):
        return activation.process.case.referrals.filter(status=Referral.Status.PENDING).exists()
