"""The fields of each step action. The pages render these forms and the API
validates its JSON with the same ones, so a rule is written once."""
import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Grade, MajorHazardCriterion
from enforcement.inputs import InputFormMixin
from enforcement.models import Agency
from enforcement.refcache import cached


def _future_date(value: dt.date) -> dt.date:
    """A rectification deadline: after today, and at most
    ``RECTIFICATION_DEADLINE_MAX_DAYS`` ahead (one year by default)."""
    today = timezone.localdate()
    if value <= today:
        raise forms.ValidationError(_("The deadline must be a date in the future."), code="past_deadline")
    longest = settings.RECTIFICATION_DEADLINE_MAX_DAYS
    if value > today + dt.timedelta(days=longest):
        raise forms.ValidationError(
            _("The deadline may be at most %(days)d days ahead (by %(last)s).")
            % {"days": longest, "last": (today + dt.timedelta(days=longest)).isoformat()},
            code="deadline_too_far",
        )
    return value


class FutureDateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})
    default_validators = [_future_date]


class ActionForm(InputFormMixin, forms.Form):
    """Base: the fields of one action; ``case`` is the case it acts on."""

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

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


class ConfirmForm(ActionForm):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Co-agencies"), required=False, to_field_name="code",
        queryset=Agency.objects.exclude(kind__in=[Agency.Kind.SAFETY_OFFICE, Agency.Kind.UNIT]),
        help_text=_("Agencies that join the consultation (会商)."),
    )
    criteria = forms.TypedMultipleChoiceField(
        label=_("Major-hazard criteria met"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=_("The criteria of 安监总管三〔2017〕121号 the hazard meets; any one makes it major."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = cached(MajorHazardCriterion._meta.label_lower, lambda: [
            (c.number, f"{c.number}. {c.text}") for c in MajorHazardCriterion.objects.order_by("number")
        ])

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

    measures = forms.CharField(
        label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the enterprise must do to remove the hazard."),
    )
    responsible_person = forms.CharField(
        label=_("Responsible person"), max_length=100,
        help_text=_("The person at the enterprise answerable for the rectification."),
    )
    funds = forms.CharField(
        label=_("Funds"), max_length=200, help_text=_("The money set aside for it, for example 5万元."),
    )
    deadline = FutureDateField(
        label=_("Deadline"), help_text=_("The rectification step is due on this day."),
    )
    contingency_plan = forms.CharField(
        label=_("Contingency plan"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the risk is kept under control until the rectification is done."),
    )


class ReportForm(ActionForm):
    report = forms.CharField(label=_("Rectification report"), widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RequiredNoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class FailReviewForm(RequiredNoteForm):
    deadline = FutureDateField(label=_("New deadline"))


class ConfirmCaseForm(ActionForm):
    """确认 for illegal sites and waste referrals: no grade, optional co-agencies."""

    agencies = ConfirmForm.base_fields["agencies"]
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class HandoffForm(ActionForm):
    """移交: offer the lead to another agency."""

    to_agency = forms.ModelChoiceField(
        label=_("Hand over to"), to_field_name="code",
        queryset=Agency.objects.exclude(kind__in=[Agency.Kind.SAFETY_OFFICE, Agency.Kind.UNIT]),
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
        label=_("Lead agency"), to_field_name="code", queryset=Agency.objects.exclude(kind__in=[Agency.Kind.SAFETY_OFFICE, Agency.Kind.UNIT])
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class FindingsForm(ActionForm):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))


class BanForm(ActionForm):
    """取缔/责令停止: measures and deadline, optionally referring the case to the police."""

    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = FutureDateField(label=_("Deadline"))
    refer_police = forms.BooleanField(label=_("Refer to the police (涉嫌犯罪移送)"), required=False)
    referral_reason = forms.CharField(label=_("Referral reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    documents = forms.MultipleChoiceField(
        label=_("Documents transferred"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[
            ("transfer_letter", _("Transfer letter")),
            ("investigation_report", _("Investigation report")),
            ("seized_items", _("List of seized items")),
            ("expert_opinion", _("Inspection or expert opinion")),
        ],
    )

    def clean(self):
        data = super().clean()
        if data.get("refer_police"):
            if not data.get("referral_reason"):
                self.add_error("referral_reason", _("Give the reason for the referral."))
            if "transfer_letter" not in (data.get("documents") or []):
                self.add_error("documents", _("A referral carries at least the transfer letter (移送书)."))
        return data


class PoliceAcceptForm(ActionForm):
    police_case_no = forms.CharField(label=_("Police case number"), max_length=60)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WasteOrderForm(ActionForm):
    deadline = FutureDateField(label=_("Deadline"))
    disposal_unit = forms.CharField(label=_("Licensed disposal unit"), max_length=200)
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}))


class WasteReportForm(ReportForm):
    manifest_no = forms.CharField(label=_("Transfer manifest number (转移联单号)"), max_length=60)
