"""The enterprise's own fields edited on a page (企业档案维护): the same
service as ``PATCH enterprises/{uscc}`` (``services.update_enterprise``),
for whoever keeps the register (the emergency bureau, the supervisors)."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cases.models import Activity, Risk
from common.exceptions import InvalidInput, NotFound
from org.selectors import streets

from . import services
from .rules import keeps_register
from .selectors import get_visible_enterprise

LOCATION = ("latitude", "longitude")


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Enterprise name"), max_length=200)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)
    street = forms.ChoiceField(label=gettext_lazy("Street"))
    activities = forms.MultipleChoiceField(label=gettext_lazy("Activities"), choices=Activity.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    risk = forms.ChoiceField(label=gettext_lazy("Risk colour"), choices=[("", "—"), *Risk.choices], required=False)
    legal_representative = forms.CharField(label=gettext_lazy("Legal representative"), max_length=100,
                                           required=False)
    safety_contact = forms.CharField(label=gettext_lazy("Safety contact"), max_length=100, required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    latitude = forms.DecimalField(label=gettext_lazy("Latitude (WGS-84)"), required=False, min_value=-90,
                                  max_value=90, decimal_places=6)
    longitude = forms.DecimalField(label=gettext_lazy("Longitude (WGS-84)"), required=False, min_value=-180,
                                   max_value=180, decimal_places=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [(street.code, street.label) for street in streets()]

    def body(self) -> dict:
        """The PATCH body of the service."""
        data = {key: value for key, value in self.cleaned_data.items() if key not in LOCATION}
        lat, lng = self.cleaned_data.get("latitude"), self.cleaned_data.get("longitude")
        data["location"] = {"lat": str(lat), "lng": str(lng)} if lat is not None and lng is not None else None
        return data


def _initial(enterprise) -> dict:
    return {"name": enterprise.name, "address": enterprise.address,
            "street": enterprise.street.code if enterprise.street_id else "", "activities": enterprise.activities,
            "risk": enterprise.risk, "legal_representative": enterprise.legal_representative,
            "safety_contact": enterprise.safety_contact, "phone": enterprise.phone,
            "latitude": enterprise.latitude, "longitude": enterprise.longitude}


@require_http_methods(["GET", "POST"])
@login_required
def enterprise_edit(request, uscc):
    try:
        enterprise = get_visible_enterprise(request.user, uscc)
    except NotFound:
        raise Http404 from None
    if not keeps_register(request.user):
        raise PermissionDenied
    form = EnterpriseForm(request.POST if request.method == "POST" else None, initial=_initial(enterprise))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_enterprise(actor=request.user, enterprise=enterprise, data=form.body())
        except InvalidInput as error:
            for name, problems in error.fields.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(request, _("The enterprise's file is saved."))
            return redirect("register:enterprise", uscc=enterprise.uscc)
    return render(request, "register/enterprise_edit.html", {"enterprise": enterprise, "form": form})
