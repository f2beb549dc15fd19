"""The hidden-hazard process (事故隐患), as in DESIGN.md section 2.

    verify --dismiss--> dismissed
       |--consultation--> consult (one per agency, in parallel) --> join
       +----------------------------------------------------------------> order --dismiss--> dismissed
                                                                          |
                          rectify <--fail-- review <-- rectify <----------+
                                              |
                                  close <--pass--+
                                    |--reject--> review
                                    +--approve--> closed

Which case transition each action makes is in ``flows.steps``; this module only
says what comes next and whose queue each task is in.
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases.models import State

from .locks import case_lock
from .models import CaseProcess, CaseTask
from .nodes import AgencySplit, HumanStep, closure_queue, lead_queue, ordered_deadline, participant_queue


def outcome(action):
    return lambda activation: activation.process.outcome == action


class HazardFlow(flow.Flow):
    """Hidden hazard (事故隐患)"""

    process_class = CaseProcess
    task_class = CaseTask
    lock_impl = case_lock
    lead_agency_code = "emergency"

    start = flow.StartHandle(this.start_process).Next(this.verify)

    verify = HumanStep(queue=lead_queue).Annotation(title=_("Verify")).Next(this.after_verify)
    after_verify = (
        flow.Switch()
        .Case(this.dismissed, outcome("dismiss"))
        .Case(this.consultation, this.in_consultation)
        .Default(this.order)
    )

    consultation = AgencySplit(this.consulting_agencies).Each(this.consult)
    consult = HumanStep(queue=participant_queue).Annotation(title=_("Consult")).Next(this.consultation_done)
    consultation_done = flow.Join().Next(this.order)

    order = HumanStep(queue=lead_queue).Annotation(title=_("Order rectification")).Next(this.after_order)
    after_order = flow.If(outcome("dismiss")).Then(this.dismissed).Else(this.rectify)

    rectify = (
        HumanStep(queue=lead_queue, deadline=ordered_deadline)
        .Annotation(title=_("Rectify"))
        .Next(this.review)
    )
    review = (
        HumanStep(queue=lead_queue, not_by=this.rectify)
        .Annotation(title=_("Review"))
        .Next(this.after_review)
    )
    after_review = flow.If(outcome("pass")).Then(this.close).Else(this.rectify)

    close = HumanStep(queue=closure_queue).Annotation(title=_("Close")).Next(this.after_close)
    after_close = flow.If(outcome("approve")).Then(this.closed).Else(this.review)

    closed = flow.End()
    dismissed = flow.End()

    def start_process(self, activation, case):
        activation.process.case = case
        activation.task.case = case
        return activation.process

    def in_consultation(self, activation):
        return activation.process.case.state == State.CONSULTING

    def consulting_agencies(self, activation):
        """The lead first, then every participating agency (会商)."""
        case = activation.process.case
        others = sorted(a.code for a in case.participants.all() if a.pk != case.lead_agency_id)
        return [case.lead_agency.code, *others]
