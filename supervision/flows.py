"""督办: the safety office supervises a case listed for supervision.

    start --> supervise --warn / interview--> supervise (again)
                 +--resolve--> resolved
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from flows.common import outcome
from flows.locks import case_lock
from flows.models import CaseTask
from flows.nodes import HumanStep, safety_office_queue

from .models import SupervisionProcess


class SupervisionFlow(flow.Flow):
    """Supervision (督办)"""

    process_class = SupervisionProcess
    task_class = CaseTask
    lock_impl = case_lock

    start = flow.StartHandle(this.start_process).Next(this.supervise)
    supervise = (
        HumanStep(queue=safety_office_queue, escalate=False)
        .Annotation(title=_("Supervise"))
        .Next(this.after_supervise)
    )
    after_supervise = flow.If(outcome("resolve")).Then(this.resolved).Else(this.supervise)
    resolved = flow.End()

    def start_process(self, activation, case, late_task):
        activation.process.case = case
        activation.process.late_task = late_task
        activation.process.lagging_agency = late_task.agency
        activation.task.case = case
        return activation.process
