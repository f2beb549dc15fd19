"""Administrative penalties (行政处罚; the plan's key task 11: 依法从严从重查处),
led by the agency that opens the case, on its own or from another case (an
order not complied with, an illegal site, a transport violation), linked both
ways (``details.source_case``).

    file (立案, a leader) --refuse (不予立案)--> dismissed
       +--approve (立案审批表)--> investigate (two officers) --dismiss (撤销立案)--> dismissed
    investigate --submit--> legal_review (法制审核, not the investigator) --return--> investigate
       +--pass--> notify (行政处罚告知书; 听证告知书 when the law gives a hearing)
    notify --> answer (陈述申辩) --request_hearing (within the time)--> hearing --> decide
                              +--statement / none--> decide --request_hearing (still in time)--> hearing
    decide (due 90 days from filing; a leader extends) --no_penalty--> dismissed
       |--extend--> decide
       +--decide (行政处罚决定书: the amount within the provision's range)--> serve --> execute
    execute --paid (receipt) / enforce (申请强制执行) / done (no fine)--> close (结案审批表, a leader)
    close --reject--> execute

行政处罚法 (2021) arts 54-73; the provisions, their fine ranges and the amounts
and time limits the procedure turns on are data (enforcement.penalties,
org.limits), each with its source and status (docs/rules.md).
"""
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases.models import Case
from enforcement import penalties
from org.limits import basis_note

from ...nodes import HumanStep, If, Switch, lead_leader_queue, lead_queue
from ...registry import Kind
from ...steps import CaseFlow, outcome
from .forms import RegistrationForm, lead_for, on_open
from .handlers import (
    APPROVE_CLOSING,
    APPROVE_FILING,
    DECIDE,
    DONE,
    DROP_CASE,
    ENFORCE,
    EXTEND,
    HOLD_HEARING,
    NO_ANSWER,
    NO_PENALTY,
    NOTIFY,
    PAID,
    PARTY_ABSENT,
    PASS_LEGAL_REVIEW,
    REFUSE_FILING,
    REJECT_CLOSING,
    REQUEST_HEARING,
    RETURN_LEGAL_REVIEW,
    SERVE,
    STATEMENT,
    SUBMIT_INVESTIGATION,
)
from .reads import CODE, LABEL, answer_deadline, decision_deadline, payment_deadline


# --- the flow -----------------------------------------------------------------------------------
class PenaltyFlow(CaseFlow, flow.Flow):
    """Administrative penalty (行政处罚)"""

    start = flow.StartHandle(this.start_process).Next(this.file)

    file = HumanStep(
        _("File the case (立案)"), queue=lead_leader_queue, days=3, actions=[APPROVE_FILING, REFUSE_FILING],
        basis="行政处罚法第五十四条：符合立案标准的，应当及时立案（无日数规定；3个工作日为区内做法）",
    ).Next(this.after_file)
    after_file = If(outcome("approve")).Then(this.investigate).Else(this.dismissed)

    investigate = HumanStep(
        _("Investigate"), queue=lead_queue, days=20, actions=[SUBMIT_INVESTIGATION, DROP_CASE],
        help_text=_("Two officers at least, with their credentials shown (行政处罚法 arts 42, 55)."),
        basis="区内做法：在九十日决定期限内安排调查20个工作日",
    ).Next(this.after_investigate)
    after_investigate = If(outcome("dismiss")).Then(this.dismissed).Else(this.legal_review)

    legal_review = HumanStep(
        _("Legal review (法制审核)"), queue=lead_queue, days=5, not_by=this.investigate,
        actions=[PASS_LEGAL_REVIEW, RETURN_LEGAL_REVIEW],
        help_text=_("Reviewed by another officer than the investigator (行政处罚法 art. 58)."),
        basis="行政处罚法第五十八条（无日数规定；5个工作日为区内做法）",
    ).Next(this.after_legal_review)
    after_legal_review = If(outcome("pass")).Then(this.notify).Else(this.investigate)

    notify = HumanStep(
        _("Notify the party (告知)"), queue=lead_queue, days=3, actions=[NOTIFY],
        basis="行政处罚法第四十四条、第六十二条（无日数规定；3个工作日为区内做法）",
    ).Next(this.answer)

    answer = HumanStep(
        _("Statement and defence (陈述申辩)"), queue=lead_queue, deadline=answer_deadline,
        actions=[STATEMENT, REQUEST_HEARING, NO_ANSWER],
    ).Next(this.after_answer)
    after_answer = If(outcome("request_hearing")).Then(this.hearing).Else(this.decide)

    hearing = HumanStep(
        _("Hearing (听证)"), queue=lead_queue, days=15, actions=[HOLD_HEARING, PARTY_ABSENT],
        basis="行政处罚法第六十四条：举行听证七日前通知（15个工作日为区内做法）",
    ).Next(this.decide)

    decide = HumanStep(
        _("Decide"), queue=lead_queue, deadline=decision_deadline,
        actions=[DECIDE, NO_PENALTY, EXTEND, REQUEST_HEARING],  # a hearing asked for after a statement, in time
        help_text=_("Due 90 days from the filing (行政处罚法 art. 60); a leader may extend it with a reason."),
    ).Next(this.after_decide)
    after_decide = (
        Switch()
        .Case(this.dismissed, outcome("no_penalty"))
        .Case(this.decide, outcome("extend"))
        .Case(this.hearing, outcome("request_hearing"))
        .Default(this.serve)
    )

    serve = HumanStep(
        _("Serve the decision (送达)"), queue=lead_queue, days=7, actions=[SERVE],
        basis="行政处罚法第六十一条：当场交付，或者七日内送达",
    ).Next(this.execute)

    execute = HumanStep(
        _("Execute (执行)"), queue=lead_queue, deadline=payment_deadline, actions=[PAID, ENFORCE, DONE],
        help_text=_("The fine is paid within 15 days of service (行政处罚法 art. 67); after that, a surcharge "
                    "runs and enforcement may be applied for."),
    ).Next(this.close)

    close = HumanStep(
        _("Close (结案)"), queue=lead_leader_queue, days=3, actions=[APPROVE_CLOSING, REJECT_CLOSING],
    ).Next(this.after_close)
    after_close = If(outcome("approve")).Then(this.closed).Else(this.execute)

    closed = flow.End()
    dismissed = flow.End()


# --- what the case page shows ---------------------------------------------------------------------
def describe(case: Case) -> list[tuple[object, object]]:
    details, rows = case.details or {}, []
    if details.get("party_type") == "person" and details.get("party_name"):
        rows.append((_("Party"), details["party_name"]))
    if details.get("filed_on"):
        rows.append((_("Filed on"), details["filed_on"]))
        rows.append((_("Decision due"), f"{details['decision_due']}（{basis_note('penalty_decision')}）"))
    if details.get("provisions"):
        by_code = penalties.provisions()
        rows.append((_("Provisions violated"), "；".join(
            penalties.provision_label(by_code[p["code"]]) if p["code"] in by_code else f"《{p['law']}》{p['article']}"
            for p in details["provisions"])))
    notice = details.get("notice")
    if notice:
        rows.append((_("Notified"), _("%(day)s: %(amount)s yuan; statement until %(until)s%(hearing)s") % {
            "day": notice["notified_on"], "amount": penalties.yuan(notice["amount"]), "until": notice["statement_until"],
            "hearing": (_("; hearing asked for until %(day)s") % {"day": notice["hearing_until"]})
            if notice.get("hearing") else ""}))
    decision = details.get("decision")
    if decision:
        others = dict(penalties.OTHER_PENALTIES)
        rows.append((_("Decision"), "；".join(filter(None, [
            _("fine of %(amount)s yuan") % {"amount": penalties.yuan(decision["amount"])} if Decimal(decision["amount"])
            else "", *(str(others.get(code, code)) for code in decision.get("others", []))]))))
    if details.get("payment_due") and not details.get("execution"):
        rows.append((_("Payment due"), details["payment_due"]))
    execution = details.get("execution") or {}
    if execution.get("paid"):
        rows.append((_("Paid"), f"{execution['paid_on']} {penalties.yuan(execution['amount_paid'])}（{execution['receipt_no']}）"))
    if execution.get("enforcement"):
        rows.append((_("Enforcement applied for"), f"{execution['applied_on']} {execution['court']}"))
    return rows


KIND = Kind(
    code=CODE,
    number_code="AP",
    label=LABEL,
    flow=PenaltyFlow,
    lead_agency="emergency",  # the default (the benchmark's seed); a case is led by the agency that opens it
    registration_form=RegistrationForm,
    detail_fields=(("act_on", _("Date of the act")),),
    main_path=("file", "investigate", "legal_review", "notify", "answer", "decide", "serve", "execute", "close"),
    describe=describe,
    lead_for=lead_for,
    on_open=on_open,
    state_labels={"discovered": _("Awaiting filing"), "closed": _("Concluded"), "dismissed": _("Ended without a penalty")},
)

