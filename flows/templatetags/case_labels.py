"""Labels for codes shown on the pages (actions, states, task statuses)."""
from django import template
from django.utils.translation import gettext_lazy as _

from cases.models import State

from ..steps import STEP_TITLES, action_labels

register = template.Library()

TASK_STATUS = {"NEW": _("In the queue"), "ASSIGNED": _("Claimed"), "STARTED": _("In progress"),
               "DONE": _("Done"), "CANCELED": _("Cancelled")}


@register.filter
def action_label(code: str) -> str:
    return action_labels().get(code, code)


@register.filter
def state_label(code: str) -> str:
    try:
        return State(code).label
    except ValueError:
        return code


@register.filter
def step_label(code: str) -> str:
    return STEP_TITLES.get(code, code)


@register.filter
def task_status(code: str) -> str:
    return TASK_STATUS.get(code, code)
