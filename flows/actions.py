"""Step actions: what an officer may do at a step, and what it does to the case.

An ``Action`` names the form that validates its fields (``flows.forms``, or a
kind's own) and the handler that applies it. A handler gets the locked case,
the history fields of the action (actor, action, note, step, task_id, data)
and the form's cleaned data; it makes exactly one ``Case`` transition or one
``Case.record`` (one history row), and writes what the action creates. The
flow then decides which task comes next.

An action may issue documents of record (``Issues``): the engine issues them
after the handler, in the same transaction, from the case as the action left it.

The actions here are shared by several kinds; a kind's own actions live in its
module under ``flows/kinds/``.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Handoff
from common.exceptions import Conflict

from . import forms


@dataclass(frozen=True)
class Issues:
    """A document of record (文书) the action issues, of type ``type``
    (enforcement's ``DocumentType`` codes), when ``when(data)`` holds (always
    when ``when`` is None)."""

    type: str
    when: Callable | None = None

    def applies(self, data: dict) -> bool:
        return self.when is None or bool(self.when(data))


@dataclass(frozen=True)
class Action:
    name: str
    label: object  # a lazy translation
    form: type[forms.ActionForm]
    apply: Callable  # (case, history: dict, data: dict) -> dict | None: facts its documents state beyond the form's
    documents: tuple[Issues, ...] = ()


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


def pass_review(case, history, data):
    """复查合格; a suspended unit resumes production with it (复产验收)."""
    if case.is_suspended:
        case.rectification_order = {**case.rectification_order, "resumed_on": timezone.localdate().isoformat()}
        history = {**history, "data": {**history["data"], "resumed": True}}
    case.record(**history)


def submit_rectification(case, history, data):
    case.submit_rectification(**history)


def fail_review(case, history, data):
    case.fail_review(deadline=data["deadline"], **history)


def approve_closure(case, history, data):
    """销号; a case listed for supervision (挂牌督办) is closed only after its removal (摘牌)."""
    if case.listed:
        raise Conflict(_("The case is listed for supervision (挂牌督办): it is closed only after the listing is "
                         "removed (摘牌)."), code="listed")
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
PASS_REVIEW = Action("pass", _("Pass"), forms.PassReviewForm, pass_review, documents=(Issues("review_opinion"),))
FAIL_REVIEW = Action("fail", _("Fail"), forms.FailReviewForm, fail_review, documents=(Issues("review_opinion"),))
APPROVE_CLOSURE = Action("approve", _("Approve closure"), forms.NoteForm, approve_closure)
REJECT_CLOSURE = Action("reject", _("Reject"), forms.RequiredNoteForm, record)
