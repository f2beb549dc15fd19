"""Hazardous-waste referrals (废弃危险化学品等危险废物; key task 14), led by the
ecology bureau with the emergency bureau always in the consultation.

    verify --dismiss--> dismissed
       |--handoff--> accept_handoff (HandoffSteps)
       +--> consult x (lead, emergency, co-agencies) in parallel --> join --> order
    order --dismiss--> dismissed
       +--issue (licensed disposal unit)--> rectify (transfer manifest no.) -> review -> close
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from .common import CaseFlowMixin, ClosingSteps, HandoffSteps, outcome
from .nodes import AgencySplit, HumanStep, lead_queue, participant_queue


class WasteReferralFlow(CaseFlowMixin, HandoffSteps, ClosingSteps, flow.Flow):
    """Hazardous-waste referral (危险废物)"""

    lead_agency_code = "ecology"

    verify = HumanStep(queue=lead_queue).Annotation(title=_("Verify")).Next(this.after_verify)
    after_verify = (
        flow.Switch()
        .Case(this.dismissed, outcome("dismiss"))
        .Case(this.accept_handoff, outcome("handoff"))
        .Default(this.consultation)
    )

    consultation = AgencySplit(this.consulting_agencies).Each(this.consult)
    consult = HumanStep(queue=participant_queue).Annotation(title=_("Consult")).Next(this.consultation_done)
    consultation_done = flow.Join().Next(this.order)

    order = HumanStep(queue=lead_queue).Annotation(title=_("Order rectification")).Next(this.after_order)
    after_order = flow.If(outcome("dismiss")).Then(this.dismissed).Else(this.rectify)

    def consulting_agencies(self, activation):
        """The lead, the emergency bureau (always), then the co-agencies."""
        case = activation.process.case
        codes = [case.lead_agency.code, "emergency"] + sorted(a.code for a in case.participants.all())
        return list(dict.fromkeys(codes))
