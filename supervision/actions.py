"""What the supervise step's actions do."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from flows.actions import Action

from . import forms
from .models import SupervisionProcess
from .warnings import issue_warning, record_interview


def _open_supervision(case) -> SupervisionProcess:
    return case.supervisions.filter(finished__isnull=True).select_related("lagging_agency").latest("created")


def warn(case, history, data):
    """警示提醒 the lagging agency; its leaders are notified."""
    supervision = _open_supervision(case)
    issue_warning(actor=history["actor"], agency=supervision.lagging_agency, case=case, note=data["note"],
                  subject=_("Warning (警示提醒): %(number)s") % {"number": case.number}, link=f"/cases/{case.pk}/")
    case.record(**{**history, "data": {**history["data"], "agency": supervision.lagging_agency.code}})


def interview(case, history, data):
    """约谈 the lagging agency: the record of the interview."""
    supervision = _open_supervision(case)
    record_interview(actor=history["actor"], agency=supervision.lagging_agency, case=case, held_on=data["held_on"],
                     attendees=data["attendees"], minutes=data["minutes"])
    case.record(**{**history, "data": {**history["data"], "agency": supervision.lagging_agency.code}})


def resolve(case, history, data):
    """解除督办: the case is no longer under supervision for running late."""
    case.supervision_level = 0
    case.record(**history)


WARN = Action("warn", gettext_lazy("Warn the agency"), forms.WarnForm, warn)
INTERVIEW = Action("interview", gettext_lazy("Record an interview"), forms.InterviewForm, interview)
RESOLVE = Action("resolve", gettext_lazy("End the supervision"), forms.ResolveForm, resolve)
