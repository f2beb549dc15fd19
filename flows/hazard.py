"""The hidden-hazard process (事故隐患), DESIGN.md section 2.

    verify --dismiss--> dismissed
       |--handoff--> accept_handoff (HandoffSteps)
       |--major or co-agencies--> consult x N (parallel) --> join --+
       +------------------------------------------------------------+--> order --dismiss--> dismissed
                                                                          +--issue--> rectify -> review -> close (ClosingSteps)
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases.models import State

from .common import CaseFlowMixin, ClosingSteps, HandoffSteps, outcome
from .nodes import AgencySplit, HumanStep, lead_queue, participant_queue


class HazardFlow(CaseFlowMixin, HandoffSteps, ClosingSteps, flow.Flow):
    """Hidden hazard (事故隐患)"""

    lead_agency_code = "emergency"

    verify = HumanStep(queue=lead_queue).Annotation(title=_("Verify")).Next(this.after_verify)
    after_verify = (
        flow.Switch()
        .Case(this.dismissed, outcome("dismiss"))
        .Case(this.accept_handoff, outcome("handoff"))
        .Case(this.consultation, this.in_consultation)
        .Default(this.order)
    )

    consultation = AgencySplit(this.consulting_agencies).Each(this.consult)
    consult = HumanStep(queue=participant_queue).Annotation(title=_("Consult")).Next(this.consultation_done)
    consultation_done = flow.Join().Next(this.order)

    order = HumanStep(queue=lead_queue).Annotation(title=_("Order rectification")).Next(this.after_order)
    after_order = flow.If(outcome("dismiss")).Then(this.dismissed).Else(this.rectify)

    def in_consultation(self, activation):
        return activation.process.case.state == State.CONSULTING

    def consulting_agencies(self, activation):
        """The lead first, then every participating agency (会商)."""
        case = activation.process.case
        others = sorted(a.code for a in case.participants.all() if a.pk != case.lead_agency_id)
        return [case.lead_agency.code, *others]
