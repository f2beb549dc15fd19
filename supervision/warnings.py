"""警示提醒 and 约谈: a warning to a lagging agency, and the record of an
interview with it, whether it lags on a case (督办) or on its plan work or
reports; both are counted per agency for the annual assessment (年度考核)."""
import datetime as dt

from django.db import transaction

from cases.models import Case
from org.models import Agency, User
from org.outbox import notify, users_of

from .models import Interview, Warning


@transaction.atomic
def issue_warning(*, actor: User, agency: Agency, note: str, subject: str, link: str,
                  case: Case | None = None, plan_task: int | None = None) -> Warning:
    """Record the warning and tell the agency's leaders, in one transaction."""
    warning = Warning.objects.create(agency=agency, case=case, plan_task=plan_task, note=note, issued_by=actor)
    notify(recipients=users_of(agency.pk, leaders_only=True), subject=subject, body=note, link=link,
           case_id=case.pk if case else None, level=3)
    return warning


@transaction.atomic
def record_interview(*, actor: User, agency: Agency, held_on: dt.date, attendees: str, minutes: str,
                     case: Case | None = None, plan_task: int | None = None) -> Interview:
    return Interview.objects.create(agency=agency, case=case, plan_task=plan_task, held_on=held_on,
                                    attendees=attendees, minutes=minutes, recorded_by=actor)
