"""What the penalty's reads and actions do, and its action table (行政处罚; see the package)."""
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from common.exceptions import Conflict
from enforcement import documents as docs
from enforcement import penalties
from org.limits import latest_day

from ... import actions as act
from ...actions import Action, Issues
from ...forms import NoteForm, OpinionForm, ReasonForm, RequiredNoteForm
from .forms import (
    DecisionForm,
    DoneForm,
    EnforceForm,
    ExtendForm,
    HearingForm,
    HearingRequestForm,
    InvestigationForm,
    NoAnswerForm,
    NotifyForm,
    PaidForm,
    ServiceForm,
    StatementForm,
)
from .reads import _today


# --- what the actions do -------------------------------------------------------------------------
def _update(case: Case, **values) -> None:
    case.details = {**case.details, **values}


def approve_filing(case, history, data):
    """立案: the 90-day clock to decide starts (行政处罚法 art 60)."""
    filed = _today()
    _update(case, filed_on=filed.isoformat(), decision_due=latest_day("penalty_decision", filed).isoformat())
    case.start_investigation(**history)


def submit_investigation(case, history, data):
    """The provisions violated, with their law and version as they stood (art 37)."""
    chosen = [penalties.provisions()[code] for code in data["provisions"]]
    _update(case, provisions=[{"code": p.code, "law": p.law, "version": p.version, "article": p.article,
                               "status": p.status} for p in chosen])
    case.submit_for_decision(**history)


def return_to_investigation(case, history, data):
    case.resume_investigation(**history)


def notify(case, history, data):
    """告知: the periods to state a case and to ask for a hearing start today."""
    today = _today()
    notice = {
        "notified_on": today.isoformat(), "provision": data["provision"], "amount": str(data["amount"]),
        "others": list(data.get("others") or ()), "hearing": data["hearing"],
        "statement_until": latest_day("penalty_statement", today).isoformat(),
    }
    if data["hearing"]:
        notice["hearing_until"] = latest_day("penalty_hearing_request", today).isoformat()
    _update(case, notice=notice, waived=False, hearing_requested=False)
    case.record(**history)
    return {"notice": notice}


def state_case(case, history, data):
    _update(case, statement={"text": data["statement"], "adopted": bool(data.get("adopted"))})
    case.record(**history)


def no_answer(case, history, data):
    _update(case, waived=bool(data.get("waived")))
    case.record(**history)


def request_hearing(case, history, data):
    _update(case, hearing_requested=True)
    case.record(**history)


def hold_hearing(case, history, data):
    _update(case, hearing={"told_on": data["told_on"].isoformat(), "held_on": data["held_on"].isoformat(),
                           "chair": data["chair"]})
    case.record(**history)


def party_absent(case, history, data):
    """Absent without good reason: the hearing is waived (art 64(8))."""
    _update(case, hearing={"absent": True})
    case.record(**history)


def decide(case, history, data):
    _update(case, decision={
        "decided_on": _today().isoformat(), "provision": data["provision"], "amount": str(data["amount"]),
        "others": list(data.get("others") or ()),
        "discussed_on": data["discussed_on"].isoformat() if data.get("discussed_on") else "",
    })
    case.record(**history)


def no_penalty(case, history, data):
    case.dismiss(**history)


def extend(case, history, data):
    _update(case, decision_due=data["until"].isoformat(),
            extensions=[*case.details.get("extensions", []), {"until": data["until"].isoformat(),
                                                               "reason": data["reason"]}])
    case.record(**history)


def serve(case, history, data):
    """送达 of the decision (recorded on the document too); the time to pay starts."""
    decision = case.documents.filter(type="penalty_decision").order_by("-issued_at", "-id").first()
    if decision is not None and decision.served_at is None:
        served_at = timezone.make_aware(dt.datetime.combine(data["served_on"], dt.time(12)))
        served_at = max(served_at, decision.issued_at)
        docs.record_service(actor=history["actor"], document_id=decision.pk, served_at=min(served_at, timezone.now()),
                            method=data["method"], recipient=data["recipient"])
    _update(case, served_on=data["served_on"].isoformat(),
            payment_due=latest_day("penalty_payment", data["served_on"]).isoformat())
    case.begin_execution(**history)


def paid(case, history, data):
    _update(case, execution={"paid": True, "receipt_no": data["receipt_no"], "paid_on": data["paid_on"].isoformat(),
                             "amount_paid": str(data["amount_paid"])})
    case.record(**history)


def enforce(case, history, data):
    _update(case, execution={"enforcement": True, "applied_on": data["applied_on"].isoformat(),
                             "court": data["court"]})
    case.record(**history)


def done(case, history, data):
    _update(case, execution={"done": True})
    case.record(**history)


def approve_closing(case, history, data):
    """结案: a decision carried out (paid, enforcement applied for, or no fine)."""
    if not case.details.get("execution"):
        raise Conflict(_("The decision is not carried out yet: record the payment or the application for "
                         "enforcement before closing."), code="unpaid")
    case.conclude(**history)


def hearing_offered(data) -> bool:
    return bool(data.get("hearing"))


APPROVE_FILING = Action("approve", _("Approve the filing (立案)"), NoteForm, approve_filing,
                        documents=(Issues("filing_approval"),))
REFUSE_FILING = Action("refuse", _("Do not file (不予立案)"), ReasonForm, act.dismiss)
SUBMIT_INVESTIGATION = Action("submit", _("Submit the investigation"), InvestigationForm, submit_investigation)
DROP_CASE = Action("dismiss", _("Withdraw the filing (撤销立案)"), ReasonForm, act.dismiss)
PASS_LEGAL_REVIEW = Action("pass", _("Pass the legal review"), OpinionForm, act.record)
RETURN_LEGAL_REVIEW = Action("return", _("Return for more investigation"), ReasonForm, return_to_investigation)
NOTIFY = Action("notify", _("Notify the party"), NotifyForm, notify,
                documents=(Issues("penalty_notice"), Issues("hearing_notice", when=hearing_offered)))
STATEMENT = Action("statement", _("Record the statement and defence"), StatementForm, state_case)
REQUEST_HEARING = Action("request_hearing", _("Record a request for a hearing"), HearingRequestForm, request_hearing)
NO_ANSWER = Action("none", _("No statement (or rights waived)"), NoAnswerForm, no_answer)
HOLD_HEARING = Action("held", _("Record the hearing"), HearingForm, hold_hearing)
PARTY_ABSENT = Action("absent", _("The party did not attend"), NoteForm, party_absent)
DECIDE = Action("decide", _("Decide the penalty"), DecisionForm, decide, documents=(Issues("penalty_decision"),))
NO_PENALTY = Action("no_penalty", _("Decide no penalty (不予处罚)"), ReasonForm, no_penalty)
EXTEND = Action("extend", _("Extend the time to decide"), ExtendForm, extend)
SERVE = Action("served", _("Record the service"), ServiceForm, serve)
PAID = Action("paid", _("Paid"), PaidForm, paid)
ENFORCE = Action("enforce", _("Enforcement applied for"), EnforceForm, enforce)
DONE = Action("done", _("Carried out (no fine)"), DoneForm, done)
APPROVE_CLOSING = Action("approve", _("Approve the closing (结案)"), NoteForm, approve_closing,
                         documents=(Issues("closing_approval"),))
REJECT_CLOSING = Action("reject", _("Reject"), RequiredNoteForm, act.record)

