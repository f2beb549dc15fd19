"""Administrative penalties (行政处罚; the plan's key task 11: 依法从严从重查处),
led by the agency that opens the case, on its own or from another case (an
order not complied with, an illegal site, a transport violation), linked both
ways (``details.source_case``).

    file (立案, a leader) --refuse (不予立案)--> dismissed
       +--approve (立案审批表)--> investigate (two officers) --dismiss (撤销立案)--> dismissed
    investigate --submit--> legal_review (法制审核, not the investigator) --return--> investigate
       +--pass--> notify (行政处罚告知书; 听证告知书 when the law gives a hearing)
    notify --> answer (陈述申辩) --request_hearing (within the time)--> hearing --> decide
                              +--statement / none--> decide
    decide (due 90 days from filing; a leader extends) --no_penalty--> dismissed
       |--extend--> decide
       +--decide (行政处罚决定书: the amount within the provision's range)--> serve --> execute
    execute --paid (receipt) / enforce (申请强制执行) / done (no fine)--> close (结案审批表, a leader)
    close --reject--> execute

行政处罚法 (2021) arts 54-73; the provisions, their fine ranges and the amounts
and time limits the procedure turns on are data (enforcement.penalties,
org.limits), each with its source and status (docs/rules.md).
"""
import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases.models import Case
from cases.selectors import visible_cases
from common.exceptions import Conflict, InvalidInput
from common.inputs import parse_id
from enforcement import documents as docs
from enforcement import penalties
from enforcement.models import Document
from org.limits import basis_note, latest_day
from org.models import Agency
from org.roles import leads

from .. import actions as act
from ..actions import Action, Issues
from ..forms import ActionForm, CoOfficerForm, NoteForm, OpinionForm, ReasonForm, RequiredNoteForm
from ..nodes import HumanStep, lead_leader_queue, lead_queue
from ..registry import Kind
from ..steps import CaseFlow, outcome

PARTY_TYPES = (("unit", _("A unit")), ("person", _("A person")))


def _today() -> dt.date:
    return timezone.localdate()


def _date(raw) -> dt.date | None:
    return dt.date.fromisoformat(raw) if raw else None


# --- registration ------------------------------------------------------------------------
class CaseReferenceField(forms.IntegerField):
    """A case named by its number (NK-HZ-2026-000123, on the page) or its id (the API's
    ``source_case``); kept as given, resolved against what the opener may see (``on_open``)."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return ""
        text = str(value).strip()
        if len(text) > 32:
            raise forms.ValidationError(_("Give a case number such as NK-HZ-2026-000123."), code="case_reference")
        return text

    def widget_attrs(self, widget):
        return {}


class RegistrationForm(forms.Form):
    """The penalty case's own fields: the party and the case it comes from."""

    party_type = forms.ChoiceField(label=_("Party"), choices=PARTY_TYPES, initial="unit", required=False,
                                   help_text=_("A unit is named by the enterprise fields; a person by name."))
    party_name = forms.CharField(label=_("Name of the person"), max_length=100, required=False)
    act_on = forms.DateField(label=_("Date of the act"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                             help_text=_("The law in force on that day applies, unless a later one is lighter "
                                         "(行政处罚法 art. 37)."))
    source_case = CaseReferenceField(label=_("Opened from case"), required=False,
                                  help_text=_("The number of the case it comes from (a hazard, an illegal site, a "
                                              "roadside check), e.g. NK-HZ-2026-000123; empty when opened on its own."))

    def clean(self):
        data = super().clean()
        data["party_type"] = data.get("party_type") or "unit"
        if data["party_type"] == "person" and not data.get("party_name"):
            self.add_error("party_name", _("Name the person punished."))
        if data["party_type"] == "unit" and not data.get("enterprise_uscc") and "enterprise_uscc" not in self.errors:
            self.add_error("enterprise_uscc", _("Name the unit punished by its unified social credit code."))
        if data.get("act_on") and data["act_on"] > _today():
            self.add_error("act_on", _("The act cannot be in the future."))
        return data


def lead_for(actor) -> Agency:
    """The agency that opens the case leads it: an enforcement agency (a bureau or the police)."""
    agency = getattr(actor, "agency", None)
    if agency is None or agency.kind not in (Agency.Kind.BUREAU, Agency.Kind.POLICE):
        raise InvalidInput(fields={"kind": [_("Only an agency with enforcement powers (a bureau or the police) "
                                              "opens a penalty case.")]})
    return agency


def on_open(case: Case, actor) -> None:
    """Link the case it was opened from, both ways: a history row on each, and
    the source's lead agency sees the penalty."""
    given = str(case.details.get("source_case") or "").strip()
    if not given:
        return
    source_id = parse_id(given)
    visible = visible_cases(actor).select_related("lead_agency")
    source = (visible.filter(pk=source_id) if source_id is not None else visible.filter(number=given.upper())).first()
    if source is None:
        raise InvalidInput(fields={"source_case": [_("No case with this number that you may see.")]})
    if source.kind == KIND.code:
        raise InvalidInput(fields={"source_case": [_("A penalty case is opened from a case of another kind.")]})
    from cases.services import grant_access

    case.details = {**case.details, "source_case": source.pk}  # kept as the id: cases.selectors.linked_cases
    case.save(update_fields=["details"])
    grant_access(case_id=case.pk, agency_ids=[source.lead_agency_id])
    source.record(actor=actor, action="linked", note=f"{KIND.label} {case.number}", data={"case": case.pk})
    case.record(actor=actor, action="linked", note=source.number, data={"case": source.pk})


# --- forms ----------------------------------------------------------------------------------
class PenaltyForm(ActionForm):
    def json_data(self) -> dict:
        return {key: str(value) if isinstance(value, Decimal) else value for key, value in super().json_data().items()}


class InvestigationForm(CoOfficerForm, PenaltyForm):
    """调查取证: by two officers at least (行政处罚法 art 42, 55)."""

    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(label=_("Evidence gathered"), widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Records of questioning and inspection (笔录), photos, documents."))
    provisions = forms.MultipleChoiceField(label=_("Provisions violated"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provisions"].choices = penalties.provision_choices()
        self.fields["co_officer"].required = True
        self.fields["co_officer"].help_text = _("At least two officers investigate (行政处罚法 art. 42): name the second.")


class AmountForm(PenaltyForm):
    """The provision, the fine within its range, and the other penalties."""

    provision = forms.ChoiceField(label=_("Provision applied"))
    amount = forms.DecimalField(label=_("Fine (yuan)"), min_value=0, max_digits=12, decimal_places=2,
                                help_text=_("0 when no fine is imposed."))
    others = forms.MultipleChoiceField(label=_("Other penalties"), required=False,
                                       widget=forms.CheckboxSelectMultiple, choices=penalties.OTHER_PENALTIES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provision"].choices = penalties.provision_choices()

    def clean(self):
        data = super().clean()
        provision = penalties.provisions().get(data.get("provision"))
        if provision is not None and data.get("amount") is not None:
            refusal = penalties.check_amount(provision, data["amount"])
            if refusal:
                self.add_error("amount", forms.ValidationError(refusal, code="amount_out_of_range"))
        return data

    def party_is_person(self) -> bool:
        return self.case is not None and self.case.details.get("party_type") == "person"


class NotifyForm(AmountForm):
    """告知: the intended penalty, its facts, reasons and basis, and the party's rights."""

    reasons = forms.CharField(label=_("Facts and reasons"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        if data.get("amount") is not None:
            data["hearing"] = penalties.hearing_offered(amount=data["amount"], others=data.get("others"),
                                                        party_is_person=self.party_is_person())
        return data


class StatementForm(PenaltyForm):
    statement = forms.CharField(label=_("Statement and defence (陈述申辩)"), widget=forms.Textarea(attrs={"rows": 4}))
    adopted = forms.BooleanField(label=_("Well founded: adopted"), required=False,
                                 help_text=_("A defence never makes the penalty heavier (行政处罚法 art. 45)."))
    note = forms.CharField(label=_("Review of the statement"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoAnswerForm(PenaltyForm):
    waived = forms.BooleanField(label=_("The party waived its rights in writing"), required=False,
                                help_text=_("Otherwise the decision waits until the periods of the notice end."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HearingRequestForm(PenaltyForm):
    requested_on = forms.DateField(label=_("Asked for on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        notice = (self.case.details.get("notice") or {}) if self.case is not None else {}
        asked = data.get("requested_on")
        if asked is None:
            return data
        if asked > _today():
            self.add_error("requested_on", _("The request cannot be in the future."))
        elif not notice.get("hearing"):
            self.add_error("requested_on", forms.ValidationError(
                _("The notice gave no right to a hearing for this penalty (行政处罚法 art. 63)."), code="no_hearing"))
        elif asked > _date(notice["hearing_until"]):
            self.add_error("requested_on", forms.ValidationError(
                _("A hearing is asked for by %(day)s; this request came late. %(basis)s")
                % {"day": notice["hearing_until"], "basis": basis_note("penalty_hearing_request")},
                code="hearing_late"))
        return data


class HearingForm(PenaltyForm):
    told_on = forms.DateField(label=_("Party told of the time and place on"),
                              widget=forms.DateInput(attrs={"type": "date"}),
                              help_text=_("At least 7 working days before the hearing (行政处罚法 art. 64)."))
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    chair = forms.CharField(label=_("Chair (user name)"), max_length=150,
                            help_text=_("Not an officer who investigated the case (行政处罚法 art. 64)."))
    transcript = forms.CharField(label=_("Transcript (听证笔录)"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        if self.case is not None and data.get("chair") in investigators(self.case):
            self.add_error("chair", forms.ValidationError(
                _("An officer who investigated the case does not chair its hearing."), code="chair_investigated"))
        told, held = data.get("told_on"), data.get("held_on")
        if held and held > _today():
            self.add_error("held_on", _("The hearing cannot be in the future."))
        elif told and held and held < latest_day("penalty_hearing_notice", told):
            self.add_error("held_on", forms.ValidationError(
                _("The party told on %(told)s is heard on %(day)s at the earliest. %(basis)s")
                % {"told": told.isoformat(), "day": latest_day("penalty_hearing_notice", told).isoformat(),
                   "basis": basis_note("penalty_hearing_notice")}, code="hearing_notice"))
        return data


class DecisionForm(AmountForm):
    """决定: the penalty within the provision's range, never heavier than notified,
    after the notice's periods; the leaders' collective discussion when it calls for one."""

    reasons = forms.CharField(label=_("Facts, evidence and reasons"), widget=forms.Textarea(attrs={"rows": 4}))
    discussed_on = forms.DateField(label=_("Collective discussion held on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    discussion = forms.CharField(label=_("Collective discussion: attendees and conclusion"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if self.case is None or self.errors:
            return data
        details, amount, others = self.case.details, data["amount"], data.get("others")
        notice = details.get("notice") or {}
        waiting_until = notice_periods_end(details)
        if waiting_until is not None and _today() <= waiting_until:
            self.add_error(None, forms.ValidationError(
                _("The party may state its case and ask for a hearing until %(day)s: decide after that day, or "
                  "record that the party waived its rights. %(basis)s")
                % {"day": waiting_until.isoformat(), "basis": basis_note("penalty_statement")}, code="notice_period"))
        if notice and (amount > Decimal(notice["amount"]) or set(others or ()) - set(notice.get("others") or ())):
            self.add_error("amount", forms.ValidationError(
                _("The penalty is heavier than the one notified (%(amount)s yuan): notify the party again first.")
                % {"amount": penalties.yuan(notice["amount"])}, code="heavier_than_notified"))
        if penalties.needs_collective_discussion(amount=amount, others=others):
            if not data.get("discussed_on"):
                self.add_error("discussed_on", forms.ValidationError(
                    _("This penalty is decided by the leaders' collective discussion: give its date. %(basis)s")
                    % {"basis": penalties.setting_note("collective_discussion_amount")}, code="discussion_required"))
            if not data.get("discussion"):
                self.add_error("discussion", _("Record who took part and what they concluded."))
        return data


class ExtendForm(PenaltyForm):
    """A leader extends the time to decide, with a reason."""

    until = forms.DateField(label=_("Decide by"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if self.user is not None and self.case is not None and not leads(self.user, self.case.lead_agency_id):
            self.add_error(None, forms.ValidationError(
                _("Only a leader of the agency extends the time to decide."), code="not_leader"))
            return data
        until, details = data.get("until"), (self.case.details if self.case is not None else {})
        filed = _date(details.get("filed_on"))
        if until is None or filed is None:
            return data
        longest = latest_day("penalty_decision_extended_max", filed)
        if until <= _date(details.get("decision_due")):
            self.add_error("until", _("An extension ends after the present limit (%(day)s).")
                           % {"day": details.get("decision_due")})
        elif until > longest:
            self.add_error("until", _("A decision is due at the latest by %(day)s. %(basis)s")
                           % {"day": longest.isoformat(), "basis": basis_note("penalty_decision_extended_max")})
        return data


class ServiceForm(PenaltyForm):
    served_on = forms.DateField(label=_("Served on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Method"), choices=Document.Method.choices)
    recipient = forms.CharField(label=_("Received by"), max_length=100)

    def clean_served_on(self):
        served = self.cleaned_data["served_on"]
        decided = _date(((self.case.details if self.case is not None else {}).get("decision") or {}).get("decided_on"))
        if served > _today():
            raise forms.ValidationError(_("The service cannot be in the future."))
        if decided is not None and served < decided:
            raise forms.ValidationError(_("A decision is served after it is made (%(day)s).") % {"day": decided})
        return served


class PaidForm(PenaltyForm):
    receipt_no = forms.CharField(label=_("Receipt number (缴款凭证号)"), max_length=60)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_paid = forms.DecimalField(label=_("Amount paid (yuan)"), min_value=0, max_digits=12, decimal_places=2)

    def clean(self):
        data = super().clean()
        fine = fine_of(self.case) if self.case is not None else None
        if fine is not None and data.get("amount_paid") is not None and data["amount_paid"] < fine:
            self.add_error("amount_paid", forms.ValidationError(
                _("The fine is %(fine)s yuan; %(paid)s yuan is not payment in full. Record the payment when it is "
                  "complete, or apply to the court for enforcement.")
                % {"fine": penalties.yuan(fine), "paid": penalties.yuan(data["amount_paid"])}, code="unpaid"))
        return data


class EnforceForm(PenaltyForm):
    applied_on = forms.DateField(label=_("Applied to the court on"), widget=forms.DateInput(attrs={"type": "date"}))
    court = forms.CharField(label=_("Court"), max_length=100)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        due = _date((self.case.details if self.case is not None else {}).get("payment_due"))
        if due is not None and data.get("applied_on") and data["applied_on"] <= due:
            self.add_error("applied_on", forms.ValidationError(
                _("The time to pay runs until %(day)s: enforcement is applied for after it. %(basis)s")
                % {"day": due.isoformat(), "basis": basis_note("penalty_payment")}, code="payment_period"))
        return data


class DoneForm(NoteForm):
    def clean(self):
        data = super().clean()
        if self.case is not None and fine_of(self.case):
            self.add_error(None, forms.ValidationError(
                _("A fine was imposed: record its payment or the application for enforcement."), code="unpaid"))
        return data


# --- reads ---------------------------------------------------------------------------------
def investigators(case: Case) -> set[str]:
    """The user names of the officers who investigated the case."""
    names = set()
    for row in case.history.filter(step="investigate", action="submit").select_related("actor"):
        names.add(row.actor.username if row.actor else "")
        names.add((row.data or {}).get("co_officer", ""))
    return names - {""}


def notice_periods_end(details: dict) -> dt.date | None:
    """The last day the party may answer the notice (the statement period,
    and the hearing request period where a hearing is offered and not asked
    for), or None when the party answered in full or waived."""
    notice = details.get("notice") or {}
    if not notice or details.get("waived") or details.get("hearing_requested"):
        return None
    days = [_date(notice.get("statement_until"))]
    if notice.get("hearing"):
        days.append(_date(notice.get("hearing_until")))
    return max(day for day in days if day is not None)


def fine_of(case: Case) -> Decimal | None:
    decision = case.details.get("decision") or {}
    return Decimal(decision["amount"]) if decision.get("amount") is not None else None


def answer_deadline(activation):
    details = activation.process.case.details
    return notice_periods_end(details) or _date((details.get("notice") or {}).get("statement_until"))


def decision_deadline(activation):
    return _date(activation.process.case.details.get("decision_due"))


def payment_deadline(activation):
    return _date(activation.process.case.details.get("payment_due"))


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


# --- the flow -----------------------------------------------------------------------------------
class PenaltyFlow(CaseFlow, flow.Flow):
    """Administrative penalty (行政处罚)"""

    start = flow.StartHandle(this.start_process).Next(this.file)

    file = HumanStep(
        _("File the case (立案)"), queue=lead_leader_queue, days=3, actions=[APPROVE_FILING, REFUSE_FILING],
        basis="行政处罚法第五十四条：符合立案标准的，应当及时立案（无日数规定；3个工作日为区内做法）",
    ).Next(this.after_file)
    after_file = flow.If(outcome("approve")).Then(this.investigate).Else(this.dismissed)

    investigate = HumanStep(
        _("Investigate"), queue=lead_queue, days=20, actions=[SUBMIT_INVESTIGATION, DROP_CASE],
        help_text=_("Two officers at least, with their credentials shown (行政处罚法 arts 42, 55)."),
        basis="区内做法：在九十日决定期限内安排调查20个工作日",
    ).Next(this.after_investigate)
    after_investigate = flow.If(outcome("dismiss")).Then(this.dismissed).Else(this.legal_review)

    legal_review = HumanStep(
        _("Legal review (法制审核)"), queue=lead_queue, days=5, not_by=this.investigate,
        actions=[PASS_LEGAL_REVIEW, RETURN_LEGAL_REVIEW],
        help_text=_("Reviewed by another officer than the investigator (行政处罚法 art. 58)."),
        basis="行政处罚法第五十八条（无日数规定；5个工作日为区内做法）",
    ).Next(this.after_legal_review)
    after_legal_review = flow.If(outcome("pass")).Then(this.notify).Else(this.investigate)

    notify = HumanStep(
        _("Notify the party (告知)"), queue=lead_queue, days=3, actions=[NOTIFY],
        basis="行政处罚法第四十四条、第六十二条（无日数规定；3个工作日为区内做法）",
    ).Next(this.answer)

    answer = HumanStep(
        _("Statement and defence (陈述申辩)"), queue=lead_queue, deadline=answer_deadline,
        actions=[STATEMENT, REQUEST_HEARING, NO_ANSWER],
    ).Next(this.after_answer)
    after_answer = flow.If(outcome("request_hearing")).Then(this.hearing).Else(this.decide)

    hearing = HumanStep(
        _("Hearing (听证)"), queue=lead_queue, days=15, actions=[HOLD_HEARING, PARTY_ABSENT],
        basis="行政处罚法第六十四条：举行听证七日前通知（15个工作日为区内做法）",
    ).Next(this.decide)

    decide = HumanStep(
        _("Decide"), queue=lead_queue, deadline=decision_deadline, actions=[DECIDE, NO_PENALTY, EXTEND],
        help_text=_("Due 90 days from the filing (行政处罚法 art. 60); a leader may extend it with a reason."),
    ).Next(this.after_decide)
    after_decide = (
        flow.Switch()
        .Case(this.dismissed, outcome("no_penalty"))
        .Case(this.decide, outcome("extend"))
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
    after_close = flow.If(outcome("approve")).Then(this.closed).Else(this.execute)

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
    code="penalty",
    number_code="AP",
    label=_("Administrative penalty"),
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
