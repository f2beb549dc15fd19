"""Writes to cases. Each function is atomic and keyword-only."""
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.exceptions import InvalidInput
from common.inputs import check_text, clean_name
from org.models import Agency, User

from .evidence import check_upload, photo_metadata
from .models import Campaign, Case, CaseAccess, CaseNumberSequence, Comment, Enterprise, Evidence


def next_case_number(*, kind: str, number_code: str) -> str:
    """``NK-HZ-2026-000123``: per kind and year, unique and never reused
    (``number_code`` is the kind's two letters, declared by its kind module)."""
    year = timezone.localdate().year
    with transaction.atomic():
        CaseNumberSequence.objects.get_or_create(kind=kind, year=year)
        sequence = CaseNumberSequence.objects.select_for_update().get(kind=kind, year=year)
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return f"NK-{number_code}-{year}-{sequence.last:06d}"


def grant_access(*, case_id: int, agency_ids: Iterable[int]) -> None:
    """Let agencies see a case (lead, participant, street, task holder)."""
    grant_access_many(pairs=[(case_id, agency_id) for agency_id in agency_ids])


def grant_access_many(*, pairs: Iterable[tuple[int, int]]) -> None:
    """Let each (case, agency) pair's agency see its case (a pair ``access_known`` vouches for is not sent)."""
    wanted = {(case_id, agency_id) for case_id, agency_id in pairs if agency_id} - _known_access.get()
    if wanted:
        CaseAccess.objects.bulk_create([CaseAccess(case_id=case_id, agency_id=agency_id) for case_id, agency_id
                                        in wanted], ignore_conflicts=True)


# (case, agency) pairs whose access row the current step has read (``access_known``)
_known_access: ContextVar[frozenset[tuple[int, int]]] = ContextVar("known_access", default=frozenset())


@contextmanager
def access_known(pairs: Iterable[tuple[int, int]]) -> Iterator[None]:
    """Inside the block, ``grant_access_many`` takes these (case, agency)
    pairs as granted: the caller read their access rows in its transaction
    (a step's officer saw the case through their agency's row), and an access
    row is never deleted. The most common new task, one for the agency that
    just acted, then sends no statement for its access."""
    token = _known_access.set(_known_access.get() | frozenset(pairs))
    try:
        yield
    finally:
        _known_access.reset(token)


@transaction.atomic
def register_case(
    *,
    actor: User | None,
    kind: str,
    number_code: str,
    title: str,
    street: Agency,
    lead_agency: Agency,
    description: str = "",
    address: str = "",
    grade: str = "",
    enterprise_name: str = "",
    enterprise_uscc: str = "",
    source: str = "",
    details: dict | None = None,
    campaign: Campaign | None = None,
) -> Case:
    """发现登记: a new case in state ``discovered``, with its first history row.

    The enterprise is named by its USCC: one the register holds keeps its own
    name (a differing name given is noted in the history, not refused) and
    gives its address when none is given; an unknown one becomes a draft entry
    of the register."""
    enterprise, data = None, {}
    if enterprise_uscc:
        enterprise, created = Enterprise.objects.get_or_create(uscc=enterprise_uscc, defaults={
            "name": enterprise_name or enterprise_uscc, "address": address, "street": street, "draft": True})
        if not created and enterprise_name and enterprise_name != enterprise.name:
            data["enterprise_name_given"] = enterprise_name
        address = address or enterprise.address
    case = Case.objects.create(
        number=next_case_number(kind=kind, number_code=number_code),
        kind=kind,
        title=title,
        description=description,
        address=address,
        street=street,
        grade=grade,
        enterprise=enterprise,
        source=source,
        campaign=campaign,
        details=details or {},
        lead_agency=lead_agency,
        created_by=actor,
    )
    grant_access(case_id=case.pk, agency_ids=[street.pk, lead_agency.pk, getattr(actor, "agency_id", None)])
    case.record(actor=actor, action="register", note=title, step="register", data=data)
    return case


@transaction.atomic
def add_evidence(*, actor: User, case: Case, upload, stage: str = "other", description: str = "") -> Evidence:
    """Attach a photo or document to a case, at any step. Everything is checked
    before the file is written, and a failure after that removes the file."""
    if stage not in Evidence.Stage.values:
        raise InvalidInput(fields={"stage": [_("Must be before, after or other.")]})
    description = check_text(description, field="description", max_length=300)
    content_type, sha256 = check_upload(upload)
    metadata, notes = photo_metadata(upload) if content_type == "image/jpeg" else ({}, [])
    evidence = Evidence(
        case=case, original_name=clean_name(upload.name), content_type=content_type, size=upload.size,
        sha256=sha256, stage=stage, description=description, uploaded_by=actor, agency_id=actor.agency_id,
        metadata_note=" ".join(str(note) for note in notes)[:300], **metadata,
    )
    evidence.file.save("upload", upload, save=False)
    try:
        evidence.save()
        case.record(actor=actor, action="evidence", note=evidence.original_name, data={"sha256": sha256})
    except BaseException:
        evidence.file.storage.delete(evidence.file.name)  # no file without its row
        raise
    return evidence


def check_photo(upload) -> None:
    """Refuse an upload ``add_evidence`` would refuse, before anything is written."""
    check_upload(upload)
    upload.seek(0)


def add_photos(*, actor: User, case: Case, photos, stage: str, description: str) -> list[Evidence]:
    """Several uploads as evidence, in the caller's transaction: all or none
    (a photo refused after others were written takes their files with it)."""
    added: list[Evidence] = []
    try:
        for photo in photos:
            added.append(add_evidence(actor=actor, case=case, upload=photo, stage=stage, description=str(description)))
    except BaseException:
        for evidence in added:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return added


@transaction.atomic
def add_comment(*, actor: User, case: Case, text: str) -> Comment:
    text = check_text(text, field="text", required=True, max_length=5000)
    return Comment.objects.create(case=case, author=actor, agency_id=actor.agency_id, text=text)
