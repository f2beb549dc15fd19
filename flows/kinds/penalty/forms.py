"""The penalty kind's registration and step forms (行政处罚; see the package)."""
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.selectors import visible_cases
from common.exceptions import InvalidInput
from common.inputs import parse_id
from enforcement import penalties
from enforcement.models import Document
from org.limits import basis_note, latest_day
from org.models import Agency
from org.roles import leads

from ...forms import ActionForm, CoOfficerForm, NoteForm
from .reads import CODE, LABEL, _date, _today, fine_of, investigators, notice_periods_end

PARTY_TYPES = (("unit", _("A unit")), ("person", _("A person")))


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
    if source.kind == CODE:
        raise InvalidInput(fields={"source_case": [_("A penalty case is opened from a case of another kind.")]})
    from cases.services import grant_access

    case.details = {**case.details, "source_case": source.pk}  # kept as the id: cases.selectors.linked_cases
    case.save(update_fields=["details"])
    grant_access(case_id=case.pk, agency_ids=[source.lead_agency_id])
    source.record(actor=actor, action="linked", note=f"{LABEL} {case.number}", data={"case": case.pk})
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
        elif self.case.details.get("hearing_requested"):
            self.add_error("requested_on", forms.ValidationError(
                _("A hearing was asked for already."), code="hearing_asked"))
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


