"""What each action of each step means for the case.

``STEPS[step][action]`` gives the form that validates the action's fields and
the handler that applies it to the case: exactly one ``Case`` transition, or
one ``Case.record`` when the case state does not move. The flow (for example
``flows.hazard``) then decides which task comes next.
"""
from dataclasses import dataclass
from typing import Callable

from django.utils.translation import gettext_lazy as _

from cases.models import Grade

from . import forms


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form: type[forms.ActionForm]
    apply: Callable  # (case, history: dict, data: dict) -> None


def _record(case, history, data):
    case.record(**history)


def _confirm(case, history, data):
    """确认: the grade, the criteria met, and the co-agencies for 会商."""
    case.grade = data["grade"]
    case.criteria = sorted(data.get("criteria") or [])
    co_agencies = [a for a in data.get("agencies") or [] if a.pk != case.lead_agency_id]
    if case.grade == Grade.MAJOR or co_agencies:
        case.start_consultation(agencies=co_agencies, **history)
    else:
        case.record(**history)


def _dismiss(case, history, data):
    case.dismiss(**history)


def _issue_order(case, history, data):
    order = {
        "measures": data["measures"],
        "responsible_person": data["responsible_person"],
        "funds": data["funds"],
        "deadline": data["deadline"].isoformat(),
        "contingency_plan": data["contingency_plan"],
    }
    case.order_rectification(order=order, **history)


def _submit(case, history, data):
    case.submit_rectification(**history)


def _fail_review(case, history, data):
    case.fail_review(deadline=data["deadline"], **history)


def _approve(case, history, data):
    case.approve_closure(**history)


def _actions(*actions: Action) -> dict[str, Action]:
    return {action.name: action for action in actions}


DISMISS = Action("dismiss", _("Dismiss"), forms.ReasonForm, _dismiss)

STEPS: dict[str, dict[str, Action]] = {
    "verify": _actions(
        Action("confirm", _("Confirm"), forms.ConfirmForm, _confirm),
        DISMISS,
    ),
    "consult": _actions(
        Action("agree", _("Agree"), forms.OpinionForm, _record),
        Action("object", _("Object"), forms.OpinionForm, _record),
    ),
    "order": _actions(
        Action("issue", _("Issue the order"), forms.OrderForm, _issue_order),
        DISMISS,
    ),
    "rectify": _actions(
        Action("submit", _("Submit rectification"), forms.ReportForm, _submit),
    ),
    "review": _actions(
        Action("pass", _("Pass"), forms.NoteForm, _record),
        Action("fail", _("Fail"), forms.FailReviewForm, _fail_review),
    ),
    "close": _actions(
        Action("approve", _("Approve closure"), forms.NoteForm, _approve),
        Action("reject", _("Reject"), forms.RequiredNoteForm, _record),
    ),
}

STEP_TITLES = {
    "verify": _("Verify"),
    "consult": _("Consult"),
    "order": _("Order rectification"),
    "rectify": _("Rectify"),
    "review": _("Review"),
    "close": _("Close"),
}


def actions_of(step: str) -> list[str]:
    return list(STEPS.get(step, {}))
