"""Registration of a case (发现登记): one form for the page, the API and the
alarm intake. The common fields are here; a kind adds its own fields with a
``registration_form`` (``flows.registry.Kind``), kept in ``Case.details``."""
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Campaign, Enterprise, Grade
from cases.validators import validate_uscc
from common.inputs import InputFormMixin
from org.models import Agency

from .registry import kind_choices, kinds

COMMON_FIELDS = ("title", "description", "address", "street", "grade", "enterprise_name", "enterprise_uscc", "source",
                 "campaign")


class StreetField(forms.ModelChoiceField):
    """A sub-district office, by its code (``street_changhong``) or short name (``changhong``)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Agency.objects.streets(), to_field_name="code", **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value and not value.startswith("street_"):
            value = f"street_{value}"
        return super().to_python(value)


class CaseRegistrationForm(InputFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    address = forms.CharField(
        label=_("Address"), max_length=300, required=False,
        help_text=_("May be left empty for an enterprise the register holds: its address is taken."),
    )
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
    campaign = forms.ModelChoiceField(
        label=_("Special campaign (专项行动)"), required=False, queryset=Campaign.objects.none(),
        help_text=_("If the case was found during a running campaign your agency takes part in."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.fields["campaign"].queryset = Campaign.objects.running()

    def clean_enterprise_uscc(self):
        return self.cleaned_data["enterprise_uscc"].strip().upper()

    def clean(self):
        data = super().clean()
        name, uscc = data.get("enterprise_name"), data.get("enterprise_uscc")
        if name and not uscc and "enterprise_uscc" not in self.errors:
            self.add_error("enterprise_uscc", _("Give the enterprise's unified social credit code."))
        known = Enterprise.objects.filter(uscc=uscc).only("address").first() if uscc else None
        if uscc and not name and known is None:
            self.add_error("enterprise_name", _("Give the enterprise's name (the register does not hold this code)."))
        if not data.get("address") and "address" not in self.errors and not (known and known.address):
            self.add_error("address", forms.Field.default_error_messages["required"])
        kind = kinds().get(data.get("kind"))
        if kind is not None and not kind.graded:
            data["grade"] = ""
        return data

    def common_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in COMMON_FIELDS}

    def details(self) -> dict:
        """The kind's own fields, as JSON (none for a kind without a ``registration_form``)."""
        return {}


def registration_form(data=None, *, kind: str | None = None, **kwargs) -> CaseRegistrationForm:
    """The registration form of the kind named in ``data`` (or ``kind``): the
    common fields (a grade only for a kind that has one) plus the kind's own."""
    code = kind or (data.get("kind") if data is not None and hasattr(data, "get") else None)
    found = kinds().get(code) if isinstance(code, str) else None
    if found is None or found.registration_form is None:
        form = CaseRegistrationForm(data, **kwargs)
    else:
        form_class = type(f"{found.flow.__name__}RegistrationForm", (found.registration_form, CaseRegistrationForm), {
            "details": lambda self: {name: _jsonable(self.cleaned_data[name])
                                     for name in found.registration_form.base_fields},
        })
        form = form_class(data, **kwargs)
    if found is not None and not found.graded:
        form.fields["grade"].widget = forms.HiddenInput()  # (cleaned to "" for a kind without grades)
    return form


def kinds_opened_from(case, user) -> list:
    """The kinds ``user`` may open from ``case`` (``source_case``): a penalty
    from a hazard, an illegal site or a transport check, by an agency that punishes."""
    from common.exceptions import DomainError

    found = []
    for kind in kinds().values():
        form = kind.registration_form
        if kind.code == case.kind or form is None or "source_case" not in form.base_fields:
            continue
        if kind.lead_for is not None:
            try:
                kind.lead_for(user)
            except DomainError:
                continue
        found.append(kind)
    return found


def _jsonable(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
