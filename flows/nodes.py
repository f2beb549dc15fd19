"""Two small nodes of our own for the case flows.

``HumanStep``  a step done by a person, declared once, in its flow: its title,
               the actions that complete it, its default time limit in working
               days (or the deadline its order sets), the documents it issues,
               and the queue its task goes to (an agency's, its leaders', or the
               supervisors'). It may name a step whose performer must not do
               this one (四眼). Its name is the flow attribute's: the API's
               ``step``.
``AgencySplit`` a parallel split with one branch per agency named at run time
               (the free viewflow lacks ``Split.Next(data_source=...)``).
``If``, ``Switch`` viewflow's gateways, written once: the task row is inserted
               when the gateway has chosen (DONE), not inserted NEW and updated,
               and the choice, a pure reading of the case, runs without a
               savepoint (four statements fewer a gateway; a case flow must use
               these, flows.E014).
"""
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.base import Edge
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.if_gate import IfActivation
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.nodes.switch import SwitchActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import task_finished
from viewflow.workflow.status import STATUS

from cases.services import grant_access
from org.backends import SUPERVISOR_PERMISSION, agency_permission, leader_permission
from org.deadlines import DEFAULT_GRACE_WORKING_DAYS, clock_for_step
from org.selectors import agency_by_code

from .arrivals import task_arrived
from .task_rows import insert_task


# --- queues: who a step's task is for -------------------------------------
def lead_queue(activation):
    """The lead agency's queue."""
    lead = activation.process.case.lead_agency
    return lead, agency_permission(lead.code)


def lead_leader_queue(activation):
    """The lead agency's leaders (the head's approval)."""
    lead = activation.process.case.lead_agency
    return lead, leader_permission(lead.code)


def participant_queue(activation):
    """The queue of the agency this parallel branch was created for."""
    agency = agency_by_code(activation.task.data["agency"])
    return agency, agency_permission(agency.code)


def safety_office_queue(activation):
    """The safety office's supervisors (区安委会办公室)."""
    return agency_by_code("safety_office"), SUPERVISOR_PERMISSION


def police_queue(activation):
    """Public security (行刑衔接)."""
    police = agency_by_code("police")
    return police, agency_permission(police.code)


def handoff_queue(activation):
    """The agency the pending hand-off is offered to."""
    handoff = activation.process.case.handoffs.get(status="pending")
    return handoff.to_agency, agency_permission(handoff.to_agency.code)


def closure_queue(activation):
    """销号: a lead-agency leader, or the safety office for a major hazard."""
    case = activation.process.case
    if case.is_major:
        return safety_office_queue(activation)
    return case.lead_agency, leader_permission(case.lead_agency.code)


def ordered_deadline(activation):
    """The rectification deadline set by the order (or by a failed review)."""
    import datetime as dt

    raw = activation.process.case.rectification_order.get("deadline")
    return dt.date.fromisoformat(raw) if raw else None


_created_tasks: ContextVar[list | None] = ContextVar("created_tasks", default=None)


@contextmanager
def collect_created_tasks() -> Iterator[list]:
    """The human tasks the flow creates inside the block, in order."""
    created: list = []
    token = _created_tasks.set(created)
    try:
        yield created
    finally:
        _created_tasks.reset(token)


class HumanStepActivation(ViewActivation):
    @ViewActivation.status.transition(source=STATUS.NEW, target=STATUS.ASSIGNED)
    def take(self, user):
        """Assign in memory: the step that follows saves the task once (a
        completion straight from the queue writes the task row once, not three
        times)."""
        self.task.owner = user
        self.task.assigned = timezone.now()

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        """Create the task row once, with its queue, case and due time."""
        flow_class = flow_task.flow_class
        process = prev_activation.process
        task = flow_class.task_class(process=process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        flow_task.route(task, activation, case=process.case, created=timezone.now())
        insert_task(task, previous=prev_activation.task)
        grant_access(case_id=task.case_id, agency_ids=[task.agency_id])
        task_arrived(task=task, case=process.case)
        if flow_task._on_create is not None:
            flow_task._on_create(activation)
        if (created := _created_tasks.get()) is not None:
            created.append(task)
        return activation


class HumanStep(flow.View):
    """A human task of a case flow, with everything about the step declared here."""

    activation_class = HumanStepActivation

    def __init__(self, title, *, queue, actions, days: int | None = None, deadline=None,
                 grace: int = DEFAULT_GRACE_WORKING_DAYS, documents: tuple[str, ...] = (), not_by=None,
                 escalate: bool = True, help_text="", basis: str = ""):
        super().__init__(view=None)
        self.task_title = title
        self.actions = {action.name: action for action in actions}
        self.days = days
        self.grace = grace
        self.documents = tuple(documents)
        self.help_text = help_text
        self.basis = basis  # the legal basis of the time limit, shown with the deadline policy
        self._escalate = escalate
        self._queue = queue
        self._deadline = deadline
        self._not_by = not_by

    def _resolve(self, instance):
        super()._resolve(instance)
        self._queue = this.resolve(instance, self._queue)
        self._deadline = this.resolve(instance, self._deadline)
        self._not_by = this.resolve(instance, self._not_by)

    @property
    def escalates(self) -> bool:
        return self._escalate

    @property
    def has_ordered_deadline(self) -> bool:
        return self._deadline is not None

    def route(self, task, activation, *, case, created) -> None:
        """Give a new task its queue, case and escalation ladder (in memory)."""
        task.agency, task.owner_permission = self._queue(activation)
        task.case_id = case.pk
        task.created = created
        clock = clock_for_step(
            self.name, created=created, kind=case.kind, grade=case.grade, default_days=self.days,
            default_grace=self.grace, ordered_deadline=self._deadline(activation) if self._deadline else None,
        )
        task.remind_at, task.due_at, task.supervise_at = clock.remind_at, clock.due_at, clock.supervise_at
        task.due_provisional = clock.provisional
        task.next_escalation_at = task.next_rung_time() if self._escalate else None

    @property
    def excluded_step(self):
        """The step whose last doer may not do this one (``not_by``), or None."""
        return self._not_by

    def excluded_user_id(self, task) -> int | None:
        """The user who may not do ``task``: whoever did the last ``not_by`` step."""
        if self._not_by is None:
            return None
        return (
            type(task)._default_manager.filter(
                process_id=task.process_id, flow_task=self._not_by, status=STATUS.DONE
            )
            .order_by("-finished", "-id")
            .values_list("owner_id", flat=True)
            .first()
        )


class AgencySplitActivation(SplitActivation):
    @SplitActivation.status.super()
    def activate(self):
        node = self.flow_task._each
        codes = self.flow_task._agencies(self)
        self.next_tasks = [(node, {"agency": code}) for code in codes]


class AgencySplit(flow.Split):
    """One parallel ``each`` task per agency code returned by ``agencies``."""

    activation_class = AgencySplitActivation

    def __init__(self, agencies, **kwargs):
        super().__init__(**kwargs)
        self._agencies = agencies
        self._each = None

    def Each(self, node):
        self._each = node
        return self

    def _outgoing(self):
        if self._each is not None:
            yield Edge(src=self, dst=self._each, edge_class="default")

    def _resolve(self, instance):
        super()._resolve(instance)
        self._each = this.resolve(instance, self._each)
        self._agencies = this.resolve(instance, self._agencies)


# --- gateways written once -------------------------------------------------------------
class _WrittenOnce:
    """A gateway's task built in memory, inserted once it has chosen."""

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation.previous_task = prev_activation.task
        return activation

    # viewflow keeps activations in sets; an unsaved task has no hash of its own
    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def written(self):
        self.task.finished = timezone.now()
        insert_task(self.task, previous=self.previous_task)
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


def chosen_branch(branches, activation):
    """A Switch's choice, as viewflow's: the first branch whose condition
    holds, else the default (a branch without a condition), else None."""
    default = None
    for node, condition in branches:
        if condition is None:
            default = node
        elif condition(activation):
            return node
    return default


class IfOnceActivation(_WrittenOnce, IfActivation):
    @IfActivation.status.super()
    def activate(self):
        self._condition_result = self.flow_task._condition(self)

    @IfActivation.status.super()
    def complete(self):
        self.written()


class SwitchOnceActivation(_WrittenOnce, SwitchActivation):
    @SwitchActivation.status.super()
    def activate(self):
        self.next_task = chosen_branch(self.flow_task._branches, self)
        if self.next_task is None:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")

    @SwitchActivation.status.super()
    def complete(self):
        self.written()


class If(flow.If):
    """``flow.If``, its task written once (see the module's docstring)."""

    activation_class = IfOnceActivation


class Switch(flow.Switch):
    """``flow.Switch``, its task written once (see the module's docstring)."""

    activation_class = SwitchOnceActivation
