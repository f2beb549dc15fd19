"""The fields of each step action. The pages render these forms and the API
validates its JSON with the same ones, so a rule is written once."""
import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Grade
from enforcement.models import Agency

MAJOR_HAZARD_CRITERIA = range(1, 21)  # 安监总管三〔2017〕121号, reference/major-hazard-criteria.md


def _future_date(value: dt.date) -> dt.date:
    if value <= timezone.localdate():
        raise forms.ValidationError(_("The deadline must be a date in the future."), code="past_deadline")
    return value


class FutureDateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})
    default_validators = [_future_date]


class ActionForm(forms.Form):
    """Base: ``note`` text that goes into the history row."""

    def history_note(self) -> str:
        for name in ("note", "reason", "opinion", "report"):
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


class ConfirmForm(ActionForm):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Co-agencies"), required=False, to_field_name="code",
        queryset=Agency.objects.exclude(kind=Agency.Kind.SAFETY_OFFICE),
        help_text=_("Agencies that join the consultation (会商)."),
    )
    criteria = forms.TypedMultipleChoiceField(
        label=_("Major-hazard criteria met"), required=False, coerce=int,
        choices=[(n, str(n)) for n in MAJOR_HAZARD_CRITERIA],
        help_text=_("Numbers of the criteria of 安监总管三〔2017〕121号 the hazard meets."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("grade") == Grade.GENERAL and data.get("criteria"):
            self.add_error(
                "criteria",
                forms.ValidationError(
                    _("A hazard that meets a major-hazard criterion is major, not general."),
                    code="criteria_need_major",
                ),
            )
        return data


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(ActionForm):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))


class OrderForm(ActionForm):
    """整改“五到位”: measures, responsibility, funds, time limit, contingency plan."""

    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=100)
    funds = forms.CharField(label=_("Funds"), max_length=200)
    deadline = FutureDateField(label=_("Deadline"))
    contingency_plan = forms.CharField(label=_("Contingency plan"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(ActionForm):
    report = forms.CharField(label=_("Rectification report"), widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RequiredNoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class FailReviewForm(RequiredNoteForm):
    deadline = FutureDateField(label=_("New deadline"))
