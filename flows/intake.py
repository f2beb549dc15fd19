"""Alarms from the municipal risk-monitoring system (重点任务19).

Each request is signed with a shared secret: header ``X-Signature:
sha256=<hex HMAC-SHA256 of the raw body>``. Each new alarm opens a hazard case
in ``verify``; an alarm id seen before is acknowledged and opens nothing.
"""
import datetime as dt
import hashlib
import hmac

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Alarm, Case
from cases.validators import validate_uscc
from common.exceptions import InvalidInput, Unauthenticated
from common.inputs import InputFormMixin, loads_checked

from .registration import StreetField
from .services import open_case

# An alarm is about something that has happened, since the system went live.
EARLIEST_ALARM = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)


class AlarmForm(InputFormMixin, forms.Form):
    alarm_id = forms.CharField(max_length=64)
    enterprise_uscc = forms.CharField(max_length=18, validators=[validate_uscc])
    enterprise_name = forms.CharField(max_length=200)
    type = forms.CharField(max_length=60)
    level = forms.CharField(max_length=20)
    occurred_at = forms.DateTimeField()
    street = StreetField()
    address = forms.CharField(max_length=300, required=False)
    description = forms.CharField(required=False)

    def clean_occurred_at(self):
        occurred = self.cleaned_data["occurred_at"]
        if not EARLIEST_ALARM <= occurred <= timezone.now() + dt.timedelta(days=1):
            raise forms.ValidationError(_("Not a time at which an alarm can have occurred."), code="out_of_range")
        return occurred


ALARM_KIND = "hazard"  # an alarm is a suspected hidden hazard, verified like any other
ALARM_TITLE = gettext_lazy("Monitoring alarm: %(type)s (level %(level)s)")


def verify_signature(body: bytes, header: str) -> None:
    secret = settings.ALARM_INTAKE_SECRET
    if not secret:
        raise Unauthenticated(_("Alarm intake is not configured."))
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not header or not hmac.compare_digest(expected, header.strip()):
        raise Unauthenticated(_("Missing or wrong signature."))


@transaction.atomic
def receive_alarm(*, body: bytes, signature: str) -> tuple[bool, Case | None]:
    """(True, case) for a new alarm, (False, its case) for one seen before."""
    verify_signature(body, signature)
    payload = loads_checked(body)
    if not isinstance(payload, dict):
        raise InvalidInput(_("The body must be a JSON object."))
    form = AlarmForm(payload)
    if not form.is_valid():
        raise InvalidInput(fields=form.errors)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            alarm = Alarm.objects.create(
                alarm_id=data["alarm_id"], enterprise_uscc=data["enterprise_uscc"], alarm_type=data["type"],
                level=data["level"], occurred_at=data["occurred_at"], payload=payload,
            )
    except IntegrityError:
        return False, Alarm.objects.select_related("case").get(alarm_id=data["alarm_id"]).case
    alarm.case = open_case(
        actor=None,
        data={
            "kind": ALARM_KIND,
            "title": str(ALARM_TITLE % {"type": data["type"], "level": data["level"]}),
            "description": data["description"],
            "address": data["address"] or data["enterprise_name"],
            "street": data["street"].code,
            "enterprise_name": data["enterprise_name"],
            "enterprise_uscc": data["enterprise_uscc"],
            "source": f"municipal-monitoring:{data['alarm_id']}",
        },
    )
    alarm.save(update_fields=["case"])
    return True, alarm.case
