"""The actions of each step, per case kind (DESIGN.md section 2).

``actions_for(kind, step)[action]`` gives the form that validates the action's
fields and the handler (``flows.actions``) that applies it to the case.
"""
import functools
from dataclasses import dataclass
from typing import Callable

from django.utils.translation import gettext_lazy as _

from cases.models import CaseKind

from . import actions as act
from . import forms


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form: type[forms.ActionForm]
    apply: Callable  # (case, history: dict, data: dict) -> None


def _table(*actions: Action) -> dict[str, Action]:
    return {action.name: action for action in actions}


DISMISS = Action("dismiss", _("Dismiss"), forms.ReasonForm, act.dismiss)
HANDOFF = Action("handoff", _("Hand off"), forms.HandoffForm, act.hand_off)

COMMON = {
    "consult": _table(
        Action("agree", _("Agree"), forms.OpinionForm, act.record),
        Action("object", _("Object"), forms.OpinionForm, act.record),
    ),
    "accept_handoff": _table(
        Action("accept", _("Accept the lead"), forms.NoteForm, act.accept_handoff),
        Action("return", _("Return"), forms.ReasonForm, act.return_handoff),
    ),
    "settle_lead": _table(
        Action("name_lead", _("Name the lead agency"), forms.NameLeadForm, act.name_lead),
    ),
    "rectify": _table(
        Action("submit", _("Submit rectification"), forms.ReportForm, act.submit_rectification),
    ),
    "review": _table(
        Action("pass", _("Pass"), forms.NoteForm, act.record),
        Action("fail", _("Fail"), forms.FailReviewForm, act.fail_review),
    ),
    "close": _table(
        Action("approve", _("Approve closure"), forms.NoteForm, act.approve_closure),
        Action("reject", _("Reject"), forms.RequiredNoteForm, act.record),
    ),
}

STEPS: dict[str, dict[str, dict[str, Action]]] = {
    CaseKind.HAZARD: {
        **COMMON,
        "verify": _table(Action("confirm", _("Confirm"), forms.ConfirmForm, act.confirm_hazard), DISMISS, HANDOFF),
        "order": _table(Action("issue", _("Issue the order"), forms.OrderForm, act.issue_hazard_order), DISMISS),
    },
    CaseKind.ILLEGAL_SITE: {
        **COMMON,
        "verify": _table(
            Action("confirm", _("Confirm"), forms.ConfirmCaseForm, act.confirm_with_joint_step), DISMISS, HANDOFF
        ),
        "inspect": _table(Action("record", _("Record findings"), forms.FindingsForm, act.record)),
        "decide": _table(Action("ban", _("Ban"), forms.BanForm, act.ban), DISMISS),
        "police_review": _table(
            Action("accept", _("Accept the referral"), forms.PoliceAcceptForm, act.police_accept),
            Action("return", _("Return the referral"), forms.ReasonForm, act.police_return),
        ),
    },
    CaseKind.WASTE_REFERRAL: {
        **COMMON,
        "verify": _table(
            Action("confirm", _("Confirm"), forms.ConfirmCaseForm, act.confirm_with_joint_step), DISMISS, HANDOFF
        ),
        "order": _table(Action("issue", _("Issue the order"), forms.WasteOrderForm, act.issue_waste_order), DISMISS),
        "rectify": _table(
            Action("submit", _("Submit rectification"), forms.WasteReportForm, act.submit_rectification)
        ),
    },
}

STEP_TITLES = {
    "verify": _("Verify"),
    "consult": _("Consult"),
    "inspect": _("Joint inspection"),
    "decide": _("Decide"),
    "police_review": _("Police review"),
    "accept_handoff": _("Accept hand-off"),
    "settle_lead": _("Name the lead agency"),
    "order": _("Order rectification"),
    "rectify": _("Rectify"),
    "review": _("Review"),
    "close": _("Close"),
}


# Steps of processes that serve every kind (supervision's ``supervise``),
# registered by the app that owns them (flows does not import it).
SHARED_STEPS: dict[str, dict[str, Action]] = {}


def register_step(step: str, title, *actions: Action) -> None:
    SHARED_STEPS[step] = _table(*actions)
    STEP_TITLES[step] = title
    action_labels.cache_clear()


def actions_for(kind: str, step: str) -> dict[str, Action]:
    return STEPS.get(kind, {}).get(step) or SHARED_STEPS.get(step, {})


@functools.cache
def action_labels() -> dict[str, str]:
    """Every action name with a (lazy) label, for the history timeline."""
    labels = {"register": _("Registered"), "claim": _("Claimed"), "unclaim": _("Returned to the queue"),
              "assign": _("Assigned"), "comment": _("Commented"), "evidence": _("Evidence added")}
    for steps in [*STEPS.values(), SHARED_STEPS]:
        for table in steps.values():
            for action in table.values():
                labels.setdefault(action.name, action.label)
    labels.update({"escalate": _("Escalated"), "pause": _("Clock paused"), "resume": _("Clock resumed"),
                   "supervision_ended": _("Supervision ended")})
    return labels
