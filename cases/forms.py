"""Registration of a case: one form for the page and the API."""
from django import forms
from django.utils.translation import gettext_lazy as _

from enforcement.inputs import InputFormMixin
from enforcement.models import Agency

from .models import CaseKind, Grade
from .validators import validate_uscc


class StreetField(forms.ModelChoiceField):
    """A sub-district office, by its code (``street_changhong``) or short name (``changhong``)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Agency.objects.filter(kind=Agency.Kind.STREET), to_field_name="code", **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value and not value.startswith("street_"):
            value = f"street_{value}"
        return super().to_python(value)


class CaseRegistrationForm(InputFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    address = forms.CharField(label=_("Address"), max_length=300)
    street = StreetField(label=_("Street"))
    grade = forms.ChoiceField(
        label=_("Grade (if known)"), required=False, choices=[("", "—"), *Grade.choices],
        help_text=_("Confirmed at verification."),
    )
    enterprise_name = forms.CharField(label=_("Enterprise name"), max_length=200, required=False)
    enterprise_uscc = forms.CharField(
        label=_("Unified social credit code"), max_length=18, min_length=18, required=False,
        validators=[validate_uscc],
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [c for c in CaseKind.choices if c[0] in set(kinds)]

    def clean_enterprise_uscc(self):
        return self.cleaned_data["enterprise_uscc"].strip().upper()

    def clean(self):
        data = super().clean()
        name, uscc = data.get("enterprise_name"), data.get("enterprise_uscc")
        if name and not uscc and "enterprise_uscc" not in self.errors:
            self.add_error("enterprise_uscc", _("Give the enterprise's unified social credit code."))
        if uscc and not name:
            self.add_error("enterprise_name", _("Give the enterprise's name."))
        return data
