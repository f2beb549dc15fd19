"""Reads of cases, always through the user's visibility:
a user sees a case when their agency is its lead or a participant, has or had
a task on it, when it lies in their street, or when they are a supervisor."""
from django.db.models import Exists, OuterRef, QuerySet

from common.exceptions import NotFound
from common.inputs import parse_id
from org.models import User

from .models import Case, CaseAccess, CaseHistory


def visible_cases(user: User) -> QuerySet[Case]:
    if user.is_anonymous or not user.is_active:
        return Case.objects.none()
    if user.is_supervisor:
        return Case.objects.all()
    if user.agency_id is None:
        return Case.objects.none()
    return Case.objects.filter(
        Exists(CaseAccess.objects.filter(case_id=OuterRef("pk"), agency_id=user.agency_id))
    )


def get_visible_case(user: User, case_id) -> Case:
    """The case, or ``NotFound`` (404) when absent or not visible."""
    case_id = parse_id(case_id)
    if case_id is None:
        raise NotFound()
    case = (
        visible_cases(user)
        .select_related("street", "lead_agency", "enterprise", "created_by", "campaign")
        .prefetch_related("participants")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound()
    return case


def case_history(case: Case) -> QuerySet[CaseHistory]:
    return case.history.select_related("actor", "agency").order_by("seq")


def case_file(case: Case) -> dict:
    """What the case page shows beside the case itself."""
    evidence = list(case.evidence.select_related("uploaded_by", "agency"))
    return {
        "history": case_history(case),
        "before_photos": [e for e in evidence if e.stage == "before"],
        "after_photos": [e for e in evidence if e.stage == "after"],
        "other_evidence": [e for e in evidence if e.stage == "other"],
        "comments": case.comments.select_related("author", "agency"),
        "handoffs": case.handoffs.select_related("from_agency", "to_agency", "requested_by", "answered_by"),
    }


def linked_cases(case: Case, user: User) -> list[Case]:
    """The cases linked to ``case`` that ``user`` may see: the case it was
    opened from (``details.source_case``, a penalty opened from a hazard, an
    illegal site or a transport check) and the cases opened from it."""
    source_id = parse_id((case.details or {}).get("source_case"))
    # has_key: the condition of case_source_case_idx, so the lookup is an index probe, not a scan of every case
    query = Case.objects.filter(details__has_key="source_case", details__source_case=case.pk)
    if source_id is not None:
        query = query | Case.objects.filter(pk=source_id)
    return list(visible_cases(user).filter(pk__in=query.values("pk")).order_by("created_at", "id")
                .only("id", "number", "kind", "title", "state", "created_at"))
