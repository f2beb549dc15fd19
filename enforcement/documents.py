"""Documents of record (文书): issuing, numbering, correcting, serving.

A step that in law produces a document issues it in the step's own transaction
(``issue``): the next number of the issuing agency for the type and year, and
the frozen facts the document states. The PDF is drawn from those facts after
the commit (``enforcement.rendering``), once: its SHA-256 enters the case's
history chain and the file never changes after. A correction is a new version
with its reason, under the same number; service (送达) is recorded once.
"""
import datetime as dt
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Evidence
from cases.selectors import visible_cases
from common.exceptions import Conflict, InvalidInput, NotFound, NotPermitted
from common.prepared import Prepared
from common.refcache import cached
from org.models import Agency, User

from .doctypes import FORMS, Issue, common_facts
from .models import Document, DocumentSequence, DocumentType, NumberingRule

FALLBACK_PATTERN = "{agency}{type}〔{year}〕{serial}号"


# --- numbering (文号) ---------------------------------------------------------------------
def next_serial(*, agency: Agency, type: str, year: int) -> int:
    """The agency's next serial for the type and year, in the caller's
    transaction: gap-free (a rolled-back step gives its number back) and never
    twice (the upsert locks the sequence row until the step commits; a second
    issuer waits for it, then counts on from the committed value)."""
    table = DocumentSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, type, year, last) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (agency_id, type, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [agency.pk, type, year],
        )
        return cursor.fetchone()[0]


def document_types() -> dict[str, DocumentType]:
    return cached(DocumentType._meta.label_lower, lambda: {t.code: t for t in DocumentType.objects.all()})


def numbering_patterns() -> dict[int, str]:
    return cached(NumberingRule._meta.label_lower,
                  lambda: dict(NumberingRule.objects.values_list("agency_id", "pattern")))


def format_number(*, agency: Agency, doc_type: DocumentType, year: int, serial: int) -> str:
    pattern = numbering_patterns().get(agency.pk) or FALLBACK_PATTERN
    return pattern.format(agency=agency.name, type=doc_type.abbreviation, year=year, serial=serial)


# --- issuing ----------------------------------------------------------------------------------
def issue(*, type: str, case: Case, actor: User, data: dict | None = None, step: str = "", action: str = "",
          task_id: int | None = None, extra: dict | None = None, agency: Agency | None = None) -> Document:
    """Issue a document of ``type`` for ``case`` in the caller's transaction
    (the step's): its number, its frozen facts, a history row; the PDF follows
    after the commit."""
    doc_type = document_types().get(type)
    if doc_type is None or type not in FORMS:
        raise InvalidInput(_("Unknown document type: %(type)s") % {"type": type})
    agency = agency or actor.agency
    now = timezone.now()
    year = timezone.localtime(now).year
    request = Issue(case=case, actor=actor, data=data or {}, step=step, action=action, task_id=task_id,
                    extra=extra or {})
    facts = {
        **common_facts(request, agency),
        "title": doc_type.title, "issued_on": timezone.localtime(now).date().isoformat(),
        "basis": doc_type.basis, "remedies": doc_type.remedies, "copies": doc_type.copies,
        **FORMS[type].build(request),
    }
    # the number last: drawing it locks the agency's sequence row until the commit (next_serial)
    serial = next_serial(agency=agency, type=type, year=year)
    facts["number"] = number = format_number(agency=agency, doc_type=doc_type, year=year, serial=serial)
    document = Document.objects.create(
        case=case, type=type, agency=agency, year=year, serial=serial, number=number, facts=facts, issued_by=actor,
        issued_at=now, step=step, action=action, task_id=task_id,
    )
    case.record(actor=actor, action="document_issued", step=step, task_id=task_id, note=f"{doc_type.title} {number}",
                data={"document": document.pk, "type": type, "number": number, "version": 1})
    _render_after_commit(document)
    return document


def _render_after_commit(document: Document) -> None:
    """With a broker, a worker draws the PDF right after the commit; without
    one (a single-process install) it is drawn when first downloaded."""
    if settings.CELERY_BROKER_URL and settings.DOCUMENTS_RENDER_AFTER_ISSUE:
        transaction.on_commit(_nudge_renderer)


_last_nudge = [float("-inf")]  # when this process last asked a worker to draw (time.monotonic)


def _nudge_renderer() -> None:
    """Ask a worker to draw every document still without its PDF: at most once
    in ``DOCUMENTS_RENDER_NUDGE_SECONDS`` per process, so a busy web worker
    sends one message a second or two, not one a step (a message costs a step
    about a twentieth of its time, docs/performance.md). A document issued
    after a nudge is drawn by the next one, by the periodic sweep, or when
    first downloaded, whichever comes first."""
    from .tasks import render_pending_documents

    now = time.monotonic()
    if now - _last_nudge[0] < settings.DOCUMENTS_RENDER_NUDGE_SECONDS:
        return
    _last_nudge[0] = now
    try:
        render_pending_documents.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - the broker is down: the periodic sweep draws them later
        pass


# --- reading ---------------------------------------------------------------------------------
def documents_of(case: Case):
    """The case's documents, every version, oldest first; ``corrected`` marks a
    version a later one replaced."""
    return _documents(case.documents)


def _documents(documents):
    return (documents.select_related("agency", "issued_by")
            .annotate(corrected=Exists(Document.objects.filter(supersedes=OuterRef("pk"))))
            .order_by("issued_at", "id"))


_ON_FILE = Prepared(lambda case_id: _documents(Document.objects.filter(case_id=case_id)))


def documents_on_file(case: Case) -> list[Document]:
    """``documents_of`` as a list, read by SQL compiled once (common.prepared: every task and case page reads it)."""
    return _ON_FILE.objects(case_id=case.pk, known={"case": case})


def get_visible_document(user: User, document_id) -> Document:
    """The document if the user may see its case; ``NotFound`` (404) otherwise."""
    if not (isinstance(document_id, int) or (isinstance(document_id, str) and document_id.isascii()
                                             and document_id.isdigit())):
        raise NotFound()
    document = (Document.objects.select_related("case", "agency", "issued_by")
                .filter(pk=int(document_id), case__in=visible_cases(user)).first())
    if document is None:
        raise NotFound()
    return document


def may_act_for(user: User, document: Document) -> bool:
    """Service and corrections are recorded by the issuing agency's officers."""
    return user.is_authenticated and user.agency_id == document.agency_id


# --- correcting ------------------------------------------------------------------------------
@transaction.atomic
def correct(*, actor: User, document_id, reason: str, changes: dict) -> Document:
    """A new version of the document, with its reason; the old one stays readable."""
    document = _locked(actor, document_id)
    if not may_act_for(actor, document):
        raise NotPermitted(_("Only the issuing agency corrects its documents."))
    if Document.objects.filter(supersedes=document).exists():
        raise Conflict(_("This version has already been corrected; correct the latest one."), code="superseded")
    reason = reason.strip() if isinstance(reason, str) else ""
    errors = {}
    if not reason:
        errors["reason"] = [_("Say why the document is corrected.")]
    editable = FORMS[document.type].editable
    if not isinstance(changes, dict) or not changes:
        errors["changes"] = [_("Give the corrected facts.")]
    else:
        for key, value in changes.items():
            if key not in editable:
                errors[f"changes.{key}"] = [_("This fact cannot be corrected; editable: %(fields)s")
                                            % {"fields": ", ".join(editable) or "—"}]
            elif not isinstance(value, str) or not value.strip() or len(value) > 5000:
                errors[f"changes.{key}"] = [_("Give the corrected text (at most 5000 characters).")]
    if errors:
        raise InvalidInput(fields=errors)
    now = timezone.now()
    facts = {**document.facts, **{key: value.strip() for key, value in changes.items()},
             "issued_on": timezone.localtime(now).date().isoformat(), "version": document.version + 1,
             "correction_reason": reason}
    corrected = Document.objects.create(
        case=document.case, type=document.type, agency=document.agency, year=document.year, serial=document.serial,
        number=document.number, version=document.version + 1, supersedes=document, correction_reason=reason,
        facts=facts, issued_by=actor, issued_at=now, step=document.step, action=document.action,
        task_id=document.task_id,
    )
    document.case.record(actor=actor, action="document_corrected", note=f"{document.number}：{reason}",
                         data={"document": corrected.pk, "supersedes": document.pk, "version": corrected.version})
    _render_after_commit(corrected)
    return corrected


# --- service (送达) ----------------------------------------------------------------------------
@transaction.atomic
def record_service(*, actor: User, document_id, served_at, method: str, recipient: str, note: str = "",
                   receipt: Evidence | None = None) -> Document:
    """送达: when, how and to whom the document was served; recorded once."""
    document = _locked(actor, document_id)
    if not may_act_for(actor, document):
        raise NotPermitted(_("Only the issuing agency records the service of its documents."))
    if document.served_at is not None:
        raise Conflict(_("The service of this document is already recorded."), code="already_served")
    errors = {}
    if not isinstance(served_at, dt.datetime):
        errors["served_at"] = [_("Give the date and time of service.")]
    elif served_at < document.issued_at - dt.timedelta(minutes=1):
        errors["served_at"] = [_("A document is served after it is issued.")]
    elif served_at > timezone.now() + dt.timedelta(minutes=5):
        errors["served_at"] = [_("The service cannot be in the future.")]
    if method not in Document.Method.values:
        errors["method"] = [_("Choose how the document was served.")]
    recipient = recipient.strip() if isinstance(recipient, str) else ""
    if not recipient or len(recipient) > 100:
        errors["recipient"] = [_("Name the person who received it (at most 100 characters).")]
    if receipt is not None and receipt.case_id != document.case_id:
        errors["receipt"] = [_("The receipt must be evidence of the same case.")]
    if errors:
        raise InvalidInput(fields=errors)
    document.served_at, document.service_method, document.service_recipient = served_at, method, recipient
    document.service_note, document.service_recorded_by, document.receipt = (note or "")[:300], actor, receipt
    document.save(update_fields=["served_at", "service_method", "service_recipient", "service_note",
                                 "service_recorded_by", "receipt"])
    document.case.record(actor=actor, action="document_served", note=f"{document.number}：{recipient}",
                         data={"document": document.pk, "method": method, "served_at": served_at.isoformat()})
    return document


def _locked(user: User, document_id) -> Document:
    document = get_visible_document(user, document_id)
    return Document.objects.select_for_update(of=("self",)).select_related("case", "agency").get(pk=document.pk)
