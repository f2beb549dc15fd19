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
        """Supervisions are started in bulk by the escalation scan
        (``supervision.listing.start_supervisions`` writes this start's rows);
        one definition of how a supervision starts, not two."""
        raise NotImplementedError("start supervisions with supervision.listing.start_supervisions")
