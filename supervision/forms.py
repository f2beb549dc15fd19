"""Fields of the supervise step's actions."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from flows.forms import ActionForm, RequiredNoteForm


class WarnForm(RequiredNoteForm):
    """警示提醒."""


class SummonForm(ActionForm):
    """约谈通知: when and where."""

    interview_on = forms.DateField(label=_("Interview on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_interview_on(self):
        day = self.cleaned_data["interview_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("An interview is called for a day to come."), code="past")
        return day


class InterviewForm(ActionForm):
    """约谈 record."""

    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(label=_("Attendees"), widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("An interview is recorded after it was held."), code="future")
        if self.case is not None and held_on < timezone.localtime(self.case.created_at).date():
            raise forms.ValidationError(_("An interview about the case is held after the case was registered."),
                                        code="before_case")
        return held_on

    def history_note(self) -> str:
        return self.cleaned_data["minutes"]


class ResolveForm(RequiredNoteForm):
    """解除督办: the supervision of a late case ends (摘牌 is a listing's end)."""
