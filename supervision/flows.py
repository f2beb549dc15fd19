"""督办: the safety office supervises a case whose task runs late.

    start --> supervise --warn / summon / interview--> supervise (again)
                 +--resolve (解除督办)--> resolved

A supervision is started only by ``supervision.listing.start_supervisions``,
which the escalation scan calls for many cases at once.
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from flows.locks import case_lock
from flows.models import CaseTask
from flows.nodes import HumanStep, If, safety_office_queue
from flows.steps import outcome

from .actions import INTERVIEW, RESOLVE, SUMMON, WARN
from .models import SupervisionProcess


class SupervisionFlow(flow.Flow):
    """Supervision (督办)"""

    process_class = SupervisionProcess
    task_class = CaseTask
    lock_impl = case_lock

    start = flow.StartHandle().Next(this.supervise)
    supervise = HumanStep(
        _("Supervise"), queue=safety_office_queue, escalate=False, actions=[WARN, SUMMON, INTERVIEW, RESOLVE],
    ).Next(this.after_supervise)
    after_supervise = If(outcome("resolve")).Then(this.resolved).Else(this.supervise)
    resolved = flow.End()
