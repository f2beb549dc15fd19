"""The fields of the step actions shared by several kinds (a kind's own forms
live in its module under ``flows/kinds/``). The pages render these forms and
the API validates its JSON with the same ones, so a rule is written once."""
import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.inputs import InputFormMixin
from org.limits import basis_note, latest_day
from org.models import Agency


def _future_date(value: dt.date) -> dt.date:
    """A rectification deadline: after today, and at most the limit
    ``rectification_deadline_max`` ahead (one year, data an administrator edits)."""
    today = timezone.localdate()
    if value <= today:
        raise forms.ValidationError(_("The deadline must be a date in the future."), code="past_deadline")
    last = latest_day("rectification_deadline_max", today)
    if value > last:
        raise forms.ValidationError(
            _("The deadline may be at most %(days)d days ahead (by %(last)s). %(basis)s")
            % {"days": (last - today).days, "last": last.isoformat(), "basis": basis_note("rectification_deadline_max")},
            code="deadline_too_far",
        )
    return value


class FutureDateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})
    default_validators = [_future_date]


class ActionForm(InputFormMixin, forms.Form):
    """Base: the fields of one action; ``case`` is the case it acts on, ``user`` who acts."""

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user

    def history_note(self) -> str:
        for name in ("note", "reason", "opinion", "report", "findings"):
            if self.cleaned_data.get(name):
                return self.cleaned_data[name]
        return ""

    def json_data(self) -> dict:
        """The cleaned data as JSON-safe values, kept in the history row."""
        out = {}
        for key, value in self.cleaned_data.items():
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, Agency):
                value = value.code
            elif hasattr(value, "__iter__") and not isinstance(value, str | dict):
                value = [v.code if isinstance(v, Agency) else v for v in value]
            out[key] = value
        return out


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(ActionForm):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(ActionForm):
    report = forms.CharField(label=_("Rectification report"), widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RequiredNoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class CoOfficerForm(ActionForm):
    """Enforcement is done by two officers together: the second one, named on
    the documents the action issues (blank: the second signature is left to
    fill in by hand)."""

    co_officer = forms.CharField(
        label=_("Second officer (user name)"), required=False, max_length=150,
        help_text=_("Another officer of your agency who took part; printed on the document beside you."),
    )

    def clean_co_officer(self):
        from org.models import User

        username = self.cleaned_data["co_officer"].strip()
        if not username:
            return ""
        other = User.objects.filter(username=username, is_active=True).first()
        if other is None or (self.user is not None and (other.agency_id != self.user.agency_id or other.pk == self.user.pk)):
            raise forms.ValidationError(_("Name another active officer of your agency."), code="co_officer")
        return username


class PassReviewForm(CoOfficerForm, NoteForm):
    """复查合格."""


class FailReviewForm(CoOfficerForm, RequiredNoteForm):
    deadline = FutureDateField(label=_("New deadline"))


def agencies_field() -> forms.ModelMultipleChoiceField:
    """Co-agencies named at verification, who join the consultation (会商)."""
    return forms.ModelMultipleChoiceField(
        label=_("Co-agencies"), required=False, to_field_name="code", widget=forms.CheckboxSelectMultiple,
        queryset=Agency.objects.case_agencies(),
        help_text=_("Agencies that join the consultation (会商)."),
    )


class ConfirmCaseForm(ActionForm):
    """确认 without a grade: the co-agencies of the joint step that follows."""

    agencies = agencies_field()
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class HandoffForm(ActionForm):
    """移交: offer the lead to another agency."""

    to_agency = forms.ModelChoiceField(
        label=_("Hand over to"), to_field_name="code",
        queryset=Agency.objects.case_agencies(),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_to_agency(self):
        agency = self.cleaned_data["to_agency"]
        if self.case is not None and agency.pk == self.case.lead_agency_id:
            raise forms.ValidationError(_("The case is already led by this agency."), code="same_lead")
        return agency


class NameLeadForm(ActionForm):
    """The safety office settles a dispute over responsibility."""

    agency = forms.ModelChoiceField(
        label=_("Lead agency"), to_field_name="code", queryset=Agency.objects.case_agencies()
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
