"""Writes to cases. Each function is atomic and keyword-only."""
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from enforcement.models import Agency, User

from .models import KIND_NUMBER_CODES, Case, CaseAccess, CaseNumberSequence, Enterprise


def next_case_number(*, kind: str) -> str:
    """``NK-HZ-2026-000123``: per kind and year, unique and never reused."""
    year = timezone.localdate().year
    with transaction.atomic():
        CaseNumberSequence.objects.get_or_create(kind=kind, year=year)
        sequence = CaseNumberSequence.objects.select_for_update().get(kind=kind, year=year)
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return f"NK-{KIND_NUMBER_CODES[kind]}-{year}-{sequence.last:06d}"


def grant_access(*, case_id: int, agency_ids: Iterable[int]) -> None:
    """Let agencies see a case (lead, participant, street, task holder)."""
    CaseAccess.objects.bulk_create(
        [CaseAccess(case_id=case_id, agency_id=agency_id) for agency_id in set(agency_ids) if agency_id],
        ignore_conflicts=True,
    )


@transaction.atomic
def register_case(
    *,
    actor: User,
    kind: str,
    title: str,
    street: Agency,
    lead_agency: Agency,
    description: str = "",
    address: str = "",
    grade: str = "",
    enterprise_name: str = "",
    enterprise_uscc: str = "",
    source: str = "",
) -> Case:
    """发现登记: a new case in state ``discovered``, with its first history row."""
    enterprise = None
    if enterprise_uscc:
        enterprise, _ = Enterprise.objects.get_or_create(uscc=enterprise_uscc, defaults={"name": enterprise_name})
    case = Case.objects.create(
        number=next_case_number(kind=kind),
        kind=kind,
        title=title,
        description=description,
        address=address,
        street=street,
        grade=grade,
        enterprise=enterprise,
        source=source,
        lead_agency=lead_agency,
        created_by=actor,
    )
    grant_access(case_id=case.pk, agency_ids=[street.pk, lead_agency.pk, actor.agency_id])
    case.record(actor=actor, action="register", note=title, step="register")
    return case
