"""Reads for the supervision board and the assessment figures."""
from django.db.models import Count, QuerySet
from django.utils import timezone

from cases.models import Case, listed_q
from cases.selectors import visible_cases
from org.models import Agency, User

from .models import Interview, Warning


def escalated_cases(user: User, *, min_level: int = 2) -> QuerySet[Case]:
    """Open cases the user may see at a rung of the ladder: 2 = overdue, 3 =
    listed for supervision (a leader sees their agency's, the safety office all)."""
    return (
        visible_cases(user).open().filter(supervision_level__gte=min_level)
        .select_related("lead_agency", "street", "enterprise")
        .order_by("-supervision_level", "due_at", "id")
    )


def escalations_by(user: User, field: str, *, min_level: int = 2) -> list[dict]:
    """Counts of escalated and listed cases by lead agency or street."""
    rows = (
        escalated_cases(user, min_level=min_level)
        .order_by()
        .values(f"{field}__code", f"{field}__name")
        .annotate(escalated=Count("id"), listed=Count("id", filter=listed_q()))
        .order_by("-listed", "-escalated")
    )
    return [{"code": r[f"{field}__code"], "name": r[f"{field}__name"], "escalated": r["escalated"],
             "listed": r["listed"]} for r in rows]


def assessment(year: int | None = None) -> list[dict]:
    """Warnings (警示提醒) and interviews (约谈) per agency this year (年度考核)."""
    year = year or timezone.localdate().year
    warnings = dict(Warning.objects.filter(issued_at__year=year).values_list("agency").annotate(n=Count("id")))
    interviews = dict(Interview.objects.filter(held_on__year=year).values_list("agency").annotate(n=Count("id")))
    agencies = Agency.objects.filter(pk__in=set(warnings) | set(interviews)).order_by("code")
    return [{"code": a.code, "name": a.name, "warnings": warnings.get(a.pk, 0), "interviews": interviews.get(a.pk, 0)}
            for a in agencies]


def overdue_days(case: Case, now=None) -> float | None:
    if case.due_at is None:
        return None
    return round(max((now or timezone.now()) - case.due_at, timezone.timedelta(0)).total_seconds() / 86400, 1)
