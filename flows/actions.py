"""Step actions: what an officer may do at a step, and what it does to the case.

An ``Action`` names the form that validates its fields (``flows.forms``, or a
kind's own) and the handler that applies it. A handler gets the locked case,
the history fields of the action (actor, action, note, step, task_id, data)
and the form's cleaned data; it makes exactly one ``Case`` transition or one
``Case.record`` (one history row), and writes what the action creates. The
flow then decides which task comes next.

The actions here are shared by several kinds; a kind's own actions live in its
module under ``flows/kinds/``.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Handoff

from . import forms


@dataclass(frozen=True)
class Action:
    name: str
    label: object  # a lazy translation
    form: type[forms.ActionForm]
    apply: Callable  # (case, history: dict, data: dict) -> None


# --- handlers ------------------------------------------------------------------
def record(case, history, data):
    """The action moves nothing: one history row."""
    case.record(**history)


def dismiss(case, history, data):
    case.dismiss(**history)


def hand_off(case, history, data):
    """移交: the lead offers the case to another agency."""
    Handoff.objects.create(
        case=case, from_agency=case.lead_agency, to_agency=data["to_agency"], reason=data["reason"],
        requested_by=history["actor"],
    )
    case.record(**history)


def accept_handoff(case, history, data):
    handoff = _answer_handoff(case, history, Handoff.Status.ACCEPTED)
    case.change_lead(agency=handoff.to_agency, **history)


def return_handoff(case, history, data):
    _answer_handoff(case, history, Handoff.Status.RETURNED, answer=data["reason"])
    case.record(**history)


def name_lead(case, history, data):
    """The safety office names the lead of a disputed case."""
    case.change_lead(agency=data["agency"], **history)


def start_joint_step(case, history, data):
    """确认 followed by a joint step (会商, joint inspection) with the co-agencies named."""
    case.start_consultation(agencies=co_agencies(case, data), **history)


def submit_rectification(case, history, data):
    case.submit_rectification(**history)


def fail_review(case, history, data):
    case.fail_review(deadline=data["deadline"], **history)


def approve_closure(case, history, data):
    case.approve_closure(**history)


def co_agencies(case, data) -> list:
    """The agencies named to join the case, the lead left out."""
    return [agency for agency in data.get("agencies") or [] if agency.pk != case.lead_agency_id]


def order_of(data: dict, *fields: str) -> dict:
    """The rectification order as stored on the case: the named fields and the deadline."""
    order = {field: data[field] for field in fields}
    order["deadline"] = data["deadline"].isoformat()
    return order


def _answer_handoff(case, history, status, answer="") -> Handoff:
    handoff = case.handoffs.select_for_update().get(status=Handoff.Status.PENDING)
    handoff.status = status
    handoff.answer = answer or history.get("note", "")
    handoff.answered_by = history["actor"]
    handoff.answered_at = timezone.now()
    handoff.save()
    return handoff


# --- the shared actions ------------------------------------------------------------
DISMISS = Action("dismiss", _("Dismiss"), forms.ReasonForm, dismiss)
HANDOFF = Action("handoff", _("Hand off"), forms.HandoffForm, hand_off)
CONFIRM_WITH_JOINT_STEP = Action("confirm", _("Confirm"), forms.ConfirmCaseForm, start_joint_step)
AGREE = Action("agree", _("Agree"), forms.OpinionForm, record)
OBJECT = Action("object", _("Object"), forms.OpinionForm, record)
ACCEPT_HANDOFF = Action("accept", _("Accept the lead"), forms.NoteForm, accept_handoff)
RETURN_HANDOFF = Action("return", _("Return"), forms.ReasonForm, return_handoff)
NAME_LEAD = Action("name_lead", _("Name the lead agency"), forms.NameLeadForm, name_lead)
SUBMIT_RECTIFICATION = Action("submit", _("Submit rectification"), forms.ReportForm, submit_rectification)
PASS_REVIEW = Action("pass", _("Pass"), forms.NoteForm, record)
FAIL_REVIEW = Action("fail", _("Fail"), forms.FailReviewForm, fail_review)
APPROVE_CLOSURE = Action("approve", _("Approve closure"), forms.NoteForm, approve_closure)
REJECT_CLOSURE = Action("reject", _("Reject"), forms.RequiredNoteForm, record)
