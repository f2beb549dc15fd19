"""Steps every case kind shares, as node groups the flows mix in.

``HandoffSteps``  移交: ``verify`` may hand the lead to another agency, which
                 accepts it (and verifies) or returns it; after a third
                 hand-off is returned, the safety office names the lead.
``ClosingSteps``  rectify -> review (never by the rectifier) -> close, with a
                 failed review back to rectify and a rejected closure back to review.

A flow that mixes these in defines ``verify``, ``dismissed`` routing into them,
and whatever comes between verification and rectification.
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases.models import Handoff

from .locks import case_lock
from .models import CaseProcess, CaseTask

from .nodes import HumanStep, closure_queue, handoff_queue, lead_queue, ordered_deadline, safety_office_queue

HANDOFFS_BEFORE_DISPUTE = 3


def outcome(action):
    """Gateway condition: the last human step ended with ``action``."""
    return lambda activation: activation.process.outcome == action


class HandoffSteps:
    accept_handoff = (
        HumanStep(queue=handoff_queue).Annotation(title=_("Accept hand-off")).Next(this.after_handoff)
    )
    after_handoff = (
        flow.Switch()
        .Case(this.verify, outcome("accept"))
        .Case(this.settle_lead, this.lead_disputed)
        .Default(this.verify)
    )
    settle_lead = (
        HumanStep(queue=safety_office_queue).Annotation(title=_("Name the lead agency")).Next(this.verify)
    )

    def lead_disputed(self, activation):
        """Handed back and forth three times: responsibility is in dispute."""
        return activation.process.case.handoffs.exclude(status=Handoff.Status.PENDING).count() >= HANDOFFS_BEFORE_DISPUTE


class ClosingSteps:
    rectify = (
        HumanStep(queue=lead_queue, deadline=ordered_deadline).Annotation(title=_("Rectify")).Next(this.review)
    )
    review = (
        HumanStep(queue=lead_queue, not_by=this.rectify).Annotation(title=_("Review")).Next(this.after_review)
    )
    after_review = flow.If(outcome("pass")).Then(this.close).Else(this.rectify)
    close = HumanStep(queue=closure_queue).Annotation(title=_("Close")).Next(this.after_close)
    after_close = flow.If(outcome("approve")).Then(this.closed).Else(this.review)
    closed = flow.End()
    dismissed = flow.End()


class CaseFlowMixin:
    """What every case flow has: its process and task models, the flow lock,
    and a start from code (``open_case``) straight into ``verify``."""

    process_class = CaseProcess
    task_class = CaseTask
    lock_impl = case_lock

    start = flow.StartHandle(this.start_process).Next(this.verify)

    def start_process(self, activation, case):
        activation.process.case = case
        activation.task.case = case
        return activation.process
