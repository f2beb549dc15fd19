"""Words for the codes shown on pages: kinds, states, steps, actions, task
statuses, by the declarations that own them (``flows.registry``,
``flows.labels``)."""
from django import template
from django.utils.translation import gettext_lazy as _

from cases.models import State

from .. import labels
from ..registry import kind_label as _kind_label

register = template.Library()

TASK_STATUS = {"NEW": _("In the queue"), "ASSIGNED": _("Claimed"), "STARTED": _("In progress"),
               "DONE": _("Done"), "CANCELED": _("Cancelled")}


@register.filter
def kind_label(code: str):
    return _kind_label(code)


@register.filter
def state_label(code: str):
    try:
        return State(code).label
    except ValueError:
        return code


@register.simple_tag
def step_title(kind: str, step: str):
    return labels.step_title(kind, step)


@register.simple_tag
def action_label(kind: str, step: str, action: str):
    return labels.action_label(kind, step, action)


@register.filter
def task_title(task) -> str:
    """The title of a task's step, from the step's own declaration."""
    return task.flow_task.task_title if task.flow_task is not None else ""


@register.filter
def task_status(code: str):
    return TASK_STATUS.get(code, code)
