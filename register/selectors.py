"""Reads of the register, always through the user's visibility
(``register.rules``): an enterprise a user may not see is 404, never 403."""
import datetime as dt

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import OPEN_STATES, Case, Enterprise, EnterpriseAccess, State
from cases.selectors import visible_cases
from common.exceptions import NotFound
from enforcement.models import Document
from enforcement.penalties import provisions, yuan
from flows.models import OPEN_STATUSES, CaseTask

from .models import Licence, Product
from .rules import sees_whole_register

EXPIRING_DAYS = 30
SHOWN = 20  # the rows of each list on the enterprise's page (the case list shows the rest)


def visible_enterprises(user) -> QuerySet[Enterprise]:
    if getattr(user, "is_anonymous", True) or not user.is_active:
        return Enterprise.objects.none()
    if sees_whole_register(user):
        return Enterprise.objects.all()
    if user.agency_id is None:
        return Enterprise.objects.none()
    # "named by a case the agency may see" is the mirror of its case access by enterprise, one probe of
    # (agency, enterprise) per enterprise: a list walks the (name, id) index and stops at its page
    # (docs/performance.md, 2026-12-04)
    through_cases = EnterpriseAccess.objects.filter(agency_id=user.agency_id, enterprise_id=OuterRef("pk"))
    return Enterprise.objects.filter(Q(street_id=user.agency_id) | Exists(through_cases))


def get_visible_enterprise(user, uscc) -> Enterprise:
    if not isinstance(uscc, str) or len(uscc) != 18:
        raise NotFound()
    enterprise = visible_enterprises(user).select_related("street").filter(uscc=uscc.upper()).first()
    if enterprise is None:
        raise NotFound()
    return enterprise


def expiring_q(today=None, days: int = EXPIRING_DAYS) -> Q:
    """Licences that expire within ``days`` (or have expired), as a condition on licences."""
    today = today or timezone.localdate()
    return Q(valid_to__lte=today + dt.timedelta(days=days))


def filter_enterprises(queryset: QuerySet[Enterprise], params, today=None) -> QuerySet[Enterprise]:
    """The list's filters: q (name, USCC or address), street, activity, risk,
    licence_expiring (expired or expiring within 30 days), open_hazards. Unknown
    values match nothing; the caller has checked them (``clean_filters``)."""
    today = today or timezone.localdate()
    if params.get("q"):
        q = params["q"]
        queryset = queryset.filter(Q(name__icontains=q) | Q(uscc=q.upper()) | Q(address__icontains=q))
    if params.get("street"):
        queryset = queryset.filter(street__code=params["street"])
    if params.get("activity"):
        queryset = queryset.filter(activities__contains=[params["activity"]]) if _json_contains() else \
            queryset.filter(activities__icontains=f'"{params["activity"]}"')
    if params.get("risk"):
        queryset = queryset.filter(risk=params["risk"])
    if params.get("licence_expiring"):
        queryset = queryset.filter(Exists(Licence.objects.filter(expiring_q(today), enterprise_id=OuterRef("pk"))))
    if params.get("open_hazards"):
        queryset = queryset.filter(Exists(Case.objects.filter(enterprise_id=OuterRef("pk"), state__in=OPEN_STATES)))
    return queryset


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def _count(queryset) -> Coalesce:
    """How many rows of ``queryset`` (filtered on ``enterprise_id=OuterRef("pk")``), as a subquery."""
    counted = queryset.order_by().values("enterprise_id").annotate(n=Count("*")).values("n")  # from an index alone
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def enterprise_rows(queryset: QuerySet[Enterprise], today=None) -> QuerySet[Enterprise]:
    """The list's columns in one query: street, open cases, licences expired or expiring."""
    today = today or timezone.localdate()
    licences = Licence.objects.filter(enterprise_id=OuterRef("pk"))
    return queryset.select_related("street").annotate(
        open_cases=_count(Case.objects.filter(enterprise_id=OuterRef("pk"), state__in=OPEN_STATES)),
        expired_licences=_count(licences.filter(valid_to__lt=today)),
        expiring_licences=_count(licences.filter(expiring_q(today), valid_to__gte=today)),
    ).order_by("name", "id")


def enterprise_file(user, enterprise: Enterprise, today=None) -> dict:
    """一企一档: what the enterprise page shows, limited to the cases the user
    may see: their counts by state, and of the lists only the newest
    ``SHOWN`` (cases, penalties, documents) and the ``SHOWN`` tasks due first,
    so that the page costs the same for an enterprise with ten cases or a
    thousand; ``more`` says that the case list holds more."""
    today = today or timezone.localdate()
    own = visible_cases(user).filter(enterprise=enterprise)
    labels = dict(State.choices)
    by_state = dict(own.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    listed = own.select_related("lead_agency").only(
        "id", "number", "kind", "title", "state", "details", "created_at", "lead_agency__name",
    ).order_by("-created_at", "-id")
    cases = list(listed[:SHOWN])
    open_tasks = [(task.case, task) for task in CaseTask.objects.filter(
        case_id__in=own.filter(state__in=OPEN_STATES).values("pk"), flow_task_type="HUMAN",
        status__in=OPEN_STATUSES,
    ).select_related("case", "agency").only(
        "id", "due_at", "paused_at", "status", "case__id", "case__number", "case__state", "agency__name",
    ).order_by("due_at", "id")[:SHOWN]]
    documents = (Document.objects.filter(case_id__in=own.values("pk")).select_related("case", "agency")
                 .only("id", "number", "issued_at", "case__number", "case__state", "agency__name").order_by("-issued_at", "-id"))
    licences = list(enterprise.licences.all())
    return {
        "cases": cases,
        "more": sum(by_state.values()) > len(cases),
        "penalties": penalties_of(listed.filter(kind="penalty")[:SHOWN]),
        "counts": [(labels.get(state, state), count) for state, count in sorted(by_state.items())],
        "open_tasks": open_tasks,
        "documents": list(documents[:SHOWN]),
        "shown": SHOWN,
        "licences": licences,
        "expired": [licence for licence in licences if licence.valid_to < today],
        "expiring": [licence for licence in licences if today <= licence.valid_to <= today + dt.timedelta(
            days=EXPIRING_DAYS)],
        "installations": list(enterprise.installations.all()),
        "products": list(enterprise.products.all()),
    }


def penalties_of(cases) -> list[dict]:
    """The administrative penalties (行政处罚) among ``cases``: what was notified
    or decided, the amount and the provision, and where the case stands."""
    known, rows = provisions(), []
    for case in cases:
        if case.kind != "penalty":
            continue
        details = case.details or {}
        decided, notified = details.get("decision") or {}, details.get("notice") or {}
        amount = decided.get("amount") or notified.get("amount")
        code = decided.get("provision") or notified.get("provision") or ""
        provision = known.get(code)
        rows.append({"case": case, "decided": bool(decided), "amount": yuan(amount) if amount else "",
                     "provision": f"《{provision.law}》{provision.article}" if provision else code,
                     "on": decided.get("decided_on") or notified.get("notified_on") or "",
                     "paid": bool((details.get("execution") or {}).get("paid"))})
    return rows


def product_by_code(code) -> Product:
    """The product of a safety code, for the public card; ``NotFound`` otherwise."""
    from .codes import is_code

    if not is_code(code):
        raise NotFound()
    product = Product.objects.select_related("enterprise").filter(code=code).first()
    if product is None:
        raise NotFound()
    return product


def risk_counts(queryset: QuerySet[Enterprise]) -> list[dict]:
    """Enterprises by street and risk colour (the leaders' risk list and the dashboard)."""
    rows = queryset.values("street__code", "street__name", "risk").annotate(n=Count("id")).order_by("street__code")
    table: dict = {}
    for row in rows:
        entry = table.setdefault(row["street__code"] or "", {"key": row["street__code"] or "",
                                                              "street": row["street__name"] or "—", "red": 0,
                                                              "orange": 0, "yellow": 0, "blue": 0, "none": 0,
                                                              "total": 0})
        entry[row["risk"] or "none"] += row["n"]
        entry["total"] += row["n"]
    return list(table.values())


def register_figures(today=None) -> dict:
    """The register in figures, as of today (the statistics and the dashboard): enterprises
    by risk colour and by street, and how many have a licence expired or expiring within 30 days.
    Draft entries (left by case registrations) are not counted."""
    today = today or timezone.localdate()
    enterprises = Enterprise.objects.filter(draft=False)
    by_street = risk_counts(enterprises)
    colours = ["red", "orange", "yellow", "blue", "none"]
    licences = Licence.objects.filter(enterprise_id=OuterRef("pk"))
    flags = enterprises.aggregate(
        expired=Count("id", filter=Q(Exists(licences.filter(valid_to__lt=today)))),
        expiring=Count("id", filter=Q(Exists(licences.filter(valid_to__gte=today).filter(expiring_q(today))))),
    )
    return {
        "as_of": today.isoformat(),
        "enterprises": sum(row["total"] for row in by_street),
        "by_risk": {colour: sum(row[colour] for row in by_street) for colour in colours},
        "by_street": by_street,
        "with_expired_licence": flags["expired"],
        "with_licence_expiring": flags["expiring"],
    }
