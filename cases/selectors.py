"""Reads of cases, always through the user's visibility:
a user sees a case when their agency is its lead or a participant, has or had
a task on it, when it lies in their street, or when they are a supervisor."""
from django.db.models import Exists, OuterRef, QuerySet

from common.exceptions import NotFound
from common.inputs import parse_id
from common.prepared import Prepared
from org.models import User

from .models import Case, CaseAccess, CaseHistory, Comment, Evidence, Handoff


def visible_cases(user: User) -> QuerySet[Case]:
    return seen_by(**seer(user))


def seer(user: User) -> dict:
    """Whose eyes ``visible_cases`` looks through: none, all (a supervisor), or an agency's."""
    if user.is_anonymous or not user.is_active or (user.agency_id is None and not user.is_supervisor):
        return {"scope": "none"}
    if user.is_supervisor:
        return {"scope": "all"}
    return {"scope": "agency", "agency_id": user.agency_id}


def seen_by(scope: str, agency_id: int | None = None) -> QuerySet[Case]:
    """The cases ``seer``'s eyes see (a query of its values, for ``common.prepared`` shapes)."""
    if scope == "none":
        return Case.objects.none()
    if scope == "all":
        return Case.objects.all()
    return Case.objects.filter(Exists(CaseAccess.objects.filter(case_id=OuterRef("pk"), agency_id=agency_id)))


# The reads of every case and task page, compiled once per shape (common.prepared): Django's query
# compiler cost more than these indexed reads of one case's rows (docs/performance.md, 2026-12-04).
_CASE = Prepared(lambda case_id, scope, **eyes: seen_by(scope, **eyes).filter(pk=case_id)
                 .select_related("street", "lead_agency", "enterprise", "created_by", "campaign")
                 .prefetch_related("participants"))
_HISTORY = Prepared(lambda case_id: CaseHistory.objects.filter(case_id=case_id).select_related("actor", "agency")
                    .order_by("seq"))
_EVIDENCE = Prepared(lambda case_id: Evidence.objects.filter(case_id=case_id).select_related("uploaded_by", "agency"))
_COMMENTS = Prepared(lambda case_id: Comment.objects.filter(case_id=case_id).select_related("author", "agency"))
_HANDOFFS = Prepared(lambda case_id: Handoff.objects.filter(case_id=case_id)
                     .select_related("from_agency", "to_agency", "requested_by", "answered_by"))


def get_visible_case(user: User, case_id) -> Case:
    """The case, or ``NotFound`` (404) when absent or not visible."""
    case_id = parse_id(case_id)
    if case_id is None:
        raise NotFound()
    eyes = seer(user)
    found = _CASE.objects(shape={"scope": eyes.pop("scope")}, case_id=case_id, **eyes)
    if not found:
        raise NotFound()
    return found[0]


def case_history(case: Case) -> QuerySet[CaseHistory]:
    return case.history.select_related("actor", "agency").order_by("seq")


def case_file(case: Case) -> dict:
    """What the case and task pages show beside the case itself (lists, read once each; the
    case page adds ``case_comments``)."""
    evidence = _EVIDENCE.objects(case_id=case.pk, known={"case": case})
    return {
        "history": _HISTORY.objects(case_id=case.pk, known={"case": case}),
        "before_photos": [e for e in evidence if e.stage == "before"],
        "after_photos": [e for e in evidence if e.stage == "after"],
        "other_evidence": [e for e in evidence if e.stage == "other"],
        "handoffs": _HANDOFFS.objects(case_id=case.pk, known={"case": case}),
    }


def case_comments(case: Case) -> list:
    return _COMMENTS.objects(case_id=case.pk, known={"case": case})


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
