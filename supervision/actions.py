"""What the supervise step's actions do (registered with ``flows.steps``)."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enforcement.services import notify, users_of
from flows.steps import Action

from . import forms
from .models import Interview, SupervisionProcess, Warning


def _open_supervision(case) -> SupervisionProcess:
    return case.supervisions.filter(finished__isnull=True).select_related("lagging_agency").latest("created")


def warn(case, history, data):
    """警示提醒 the lagging agency; its leaders are notified."""
    supervision = _open_supervision(case)
    Warning.objects.create(agency=supervision.lagging_agency, case=case, note=data["note"], issued_by=history["actor"])
    notify(
        recipients=users_of(supervision.lagging_agency_id, leaders_only=True),
        subject=_("Warning (警示提醒): %(number)s") % {"number": case.number},
        body=data["note"], link=f"/cases/{case.pk}/", case_id=case.pk, level=3,
    )
    case.record(**{**history, "data": {**history["data"], "agency": supervision.lagging_agency.code}})


def interview(case, history, data):
    supervision = _open_supervision(case)
    Interview.objects.create(
        agency=supervision.lagging_agency, case=case, held_on=data["held_on"], attendees=data["attendees"],
        minutes=data["minutes"], recorded_by=history["actor"],
    )
    case.record(**{**history, "data": {**history["data"], "agency": supervision.lagging_agency.code}})


def resolve(case, history, data):
    """摘牌: the case is no longer listed for supervision."""
    case.supervision_level = 0
    case.record(**history)


SUPERVISE_ACTIONS = (
    Action("warn", gettext_lazy("Warn the agency"), forms.WarnForm, warn),
    Action("interview", gettext_lazy("Record an interview"), forms.InterviewForm, interview),
    Action("resolve", gettext_lazy("Resolve"), forms.ResolveForm, resolve),
)
