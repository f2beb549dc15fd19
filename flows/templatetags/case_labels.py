"""Words for the codes shown on pages: kinds, states, steps, actions, task
statuses, by the declarations that own them (``flows.registry``,
``flows.labels``)."""
from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.models import Grade
from org import deadlines

from .. import labels
from ..registry import kind_label as _kind_label
from ..registry import state_label as _state_label

register = template.Library()

TASK_STATUS = {"NEW": _("In the queue"), "ASSIGNED": _("Claimed"), "STARTED": _("In progress"),
               "DONE": _("Done"), "CANCELED": _("Cancelled")}


@register.filter
def kind_label(code: str):
    return _kind_label(code)


@register.filter
def grade_label(code: str):
    """A case's grade code in words (``get_grade_display`` without the case)."""
    return dict(Grade.choices).get(code, code)


@register.filter
def state_label(code: str, kind: str = ""):
    """A state in the words of the case's kind when given: ``row.to_state|state_label:case.kind``."""
    return _state_label(code, kind or "")


@register.filter
def case_state(case):
    """The case's state in its kind's words (a penalty 已结案, a hazard 已销号)."""
    return _state_label(case.state, case.kind)


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


@register.filter
def time_left(task) -> str:
    """剩N个工作日 / 今天到期 / 逾期N个工作日 for an open task (``org.deadlines.time_left``)."""
    return time_left_words(getattr(task, "due_at", None), paused=bool(getattr(task, "paused_at", None)))


def time_left_words(due_at, *, paused: bool = False, now=None) -> str:
    """``time_left``'s words for a due time, its clock paused or not (a row read as values)."""
    if paused:
        return str(_("Clock paused"))
    left = deadlines.time_left(due_at, now=now)
    if left is None:
        return ""
    if left.overdue:
        if left.working_days == 0:
            return str(_("Overdue"))
        return ngettext("Overdue by %(n)d working day", "Overdue by %(n)d working days",
                        left.working_days) % {"n": left.working_days}
    if left.working_days == 0:
        return str(_("Due today"))
    return ngettext("%(n)d working day left", "%(n)d working days left", left.working_days) % {"n": left.working_days}
