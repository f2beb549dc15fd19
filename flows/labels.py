"""Words for the codes a person would otherwise see: the title of a step and
the label of an action, by the kind whose flow declares them (an illegal
site's ``review`` is 回头看, a hazard's is 复查), and for the steps of the
processes that serve every kind (supervision's ``supervise``)."""
import functools

from viewflow.workflow.flow import Flow

from cases.history import ACTION_LABELS

from .models import CaseTask
from .nodes import HumanStep
from .registry import kinds


def step_node(kind: str, step: str) -> HumanStep | None:
    """The step as the kind's flow declares it, else as a shared process does."""
    found = kinds().get(kind)
    node = found.step(step) if found is not None else None
    return node or shared_steps().get(step)


@functools.cache
def shared_steps() -> dict[str, HumanStep]:
    """Human steps of the case processes that are no kind's own flow (found
    once the apps are loaded: every flow module is imported by then)."""
    own = {kind.flow for kind in kinds().values()}
    steps = {}
    for flow_class in _flow_classes(Flow):
        if flow_class in own or flow_class.task_class is not CaseTask:
            continue
        for node in flow_class.instance.nodes():
            if isinstance(node, HumanStep):
                steps.setdefault(node.name, node)
    return steps


def _flow_classes(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _flow_classes(subclass)


def step_title(kind: str, step: str):
    node = step_node(kind, step)
    return node.task_title if node is not None else step


def action_label(kind: str, step: str, action: str):
    """The label of a history row's action: the step's own, else the system's."""
    node = step_node(kind, step) if step else None
    if node is not None and action in node.actions:
        return node.actions[action].label
    return ACTION_LABELS.get(action, action)
