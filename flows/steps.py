"""Steps every case kind shares, as node groups the kinds' flows mix in, and
the base every case flow starts from.

``CaseFlow``      the process and task models, the flow lock, and a start from
                  code (``open_case``) straight into ``verify``.
``HandoffSteps``  移交: ``verify`` may hand the lead to another agency, which
                  accepts it (and verifies) or returns it; after a third
                  hand-off is returned, the safety office names the lead.
``ConsultationSteps`` 会商: one ``consult`` task per agency the kind's
                  ``consulting_agencies`` names, in parallel; all answer before
                  the case moves on to ``order``.
``ClosingSteps``  rectify -> review (never by the rectifier) -> close, with a
                  failed review back to rectify and a rejected closure back to
                  review.

A flow that mixes these in defines ``verify`` (routing ``dismiss`` to
``dismissed`` and ``handoff`` to ``accept_handoff``) and whatever comes between
verification and rectification.
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases.models import Handoff

from . import actions as act
from .locks import case_lock
from .models import CaseProcess, CaseTask
from .nodes import (
    AgencySplit,
    HumanStep,
    If,
    Switch,
    closure_queue,
    handoff_queue,
    lead_queue,
    ordered_deadline,
    participant_queue,
    safety_office_queue,
)

HANDOFFS_BEFORE_DISPUTE = 3


def outcome(action):
    """Gateway condition: the last human step ended with ``action``."""
    return lambda activation: activation.process.outcome == action


class CaseFlow:
    """What every case flow has; a kind's flow is
    ``class XFlow(CaseFlow, HandoffSteps, ClosingSteps, flow.Flow)``."""

    process_class = CaseProcess
    task_class = CaseTask
    lock_impl = case_lock

    start = flow.StartHandle(this.start_process).Next(this.verify)

    def start_process(self, activation, case):
        activation.process.case = case
        activation.task.case = case
        return activation.process


class HandoffSteps:
    accept_handoff = HumanStep(
        _("Accept hand-off"), queue=handoff_queue, days=2, actions=[act.ACCEPT_HANDOFF, act.RETURN_HANDOFF],
    ).Next(this.after_handoff)
    after_handoff = (
        Switch()
        .Case(this.verify, outcome("accept"))
        .Case(this.settle_lead, this.lead_disputed)
        .Default(this.verify)
    )
    settle_lead = HumanStep(
        _("Name the lead agency"), queue=safety_office_queue, days=3, actions=[act.NAME_LEAD],
    ).Next(this.verify)

    def lead_disputed(self, activation):
        """Handed back and forth three times: responsibility is in dispute."""
        return activation.process.case.handoffs.exclude(status=Handoff.Status.PENDING).count() >= HANDOFFS_BEFORE_DISPUTE


def verify_step(confirm) -> HumanStep:
    """核实: confirm (with the kind's own ``confirm`` action), dismiss, or hand the lead off."""
    return HumanStep(_("Verify"), queue=lead_queue, days=3, actions=[confirm, act.DISMISS, act.HANDOFF])


class ConsultationSteps:
    consultation = AgencySplit(this.consulting_agencies).Each(this.consult)
    consult = HumanStep(
        _("Consult"), queue=participant_queue, days=5, actions=[act.AGREE, act.OBJECT],
    ).Next(this.consultation_done)
    consultation_done = flow.Join().Next(this.order)


def rectify_step(*actions) -> HumanStep:
    """整改: due on the deadline the order set (or a failed review set again)."""
    return HumanStep(_("Rectify"), queue=lead_queue, deadline=ordered_deadline, actions=actions)


def review_step(title=_("Review")) -> HumanStep:
    """复查: another officer than the rectifier checks the rectification on site."""
    return HumanStep(
        title, queue=lead_queue, days=10, not_by=this.rectify, actions=[act.PASS_REVIEW, act.FAIL_REVIEW],
        help_text=_("复查: another officer than the one who submitted the rectification checks it on site."),
        basis="整改期满后10日内复查（各地实践；安监总局令第16号，待核对原文）",
    )


class ClosingSteps:
    rectify = rectify_step(act.SUBMIT_RECTIFICATION).Next(this.review)
    review = review_step().Next(this.after_review)
    after_review = If(outcome("pass")).Then(this.close).Else(this.rectify)
    close = HumanStep(
        _("Close"), queue=closure_queue, days=3, actions=[act.APPROVE_CLOSURE, act.REJECT_CLOSURE],
    ).Next(this.after_close)
    after_close = If(outcome("approve")).Then(this.closed).Else(this.review)
    closed = flow.End()
    dismissed = flow.End()
