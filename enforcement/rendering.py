"""Drawing a document's PDF (A4, Chinese fonts embedded, page numbers,
signature and seal blocks) from its frozen facts, with WeasyPrint and the
Django template of its type (templates/enforcement/documents/<type>.html).

A document is drawn once: the PDF is stored, its SHA-256 kept on the document
and appended to the case's history chain in the same transaction, and the file
never changes after (``verify_history`` compares the file with the chain)."""
import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cases.history import Entry, append

from .models import Document

logger = logging.getLogger(__name__)


def document_html(document: Document) -> str:
    """The document as HTML, in Chinese whatever the reader's language (it is the record)."""
    with translation.override("zh-hans"):
        return render_to_string(f"enforcement/documents/{document.type}.html", {"doc": document.facts,
                                                                                "document": document})


def pdf_bytes(document: Document) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs time a page without documents need not pay

    return HTML(string=document_html(document)).write_pdf()


def render(document_id: int, *, wait: bool = True) -> Document | None:
    """Draw the document's PDF if it has none yet (idempotent: a second call, or
    a second worker, finds it drawn). ``wait=False``: None at once when another
    worker is drawing it (the sweep moves on to the next)."""
    with transaction.atomic():
        document = (Document.objects.select_for_update(of=("self",), skip_locked=not wait).select_related("case")
                    .filter(pk=document_id).first())
        if document is None:
            if wait:
                raise Document.DoesNotExist(document_id)
            return None
        if document.rendered_at is not None:
            return document
        content = pdf_bytes(document)
        digest = hashlib.sha256(content).hexdigest()
        document.pdf.save(f"{document.pk}.pdf", ContentFile(content), save=False)
        document.sha256, document.rendered_at = digest, timezone.now()
        document.save(update_fields=["pdf", "sha256", "rendered_at"])
        case = document.case
        append([Entry(case_id=case.pk, action="document_rendered", from_state=case.state, to_state=case.state,
                      note=document.number, data={"document": document.pk, "sha256": digest})])
    logger.info("document rendered", extra={"document": document.pk, "bytes": len(content)})
    return document


def render_pending(*, limit: int = 50) -> int:
    """Draw the documents still without a PDF, oldest first (the periodic sweep, and a web worker's
    nudge after a step: a broker outage delays them, loses none); one another worker is drawing is
    skipped, not waited for. How many of them are drawn now."""
    ids = list(Document.objects.filter(rendered_at__isnull=True).order_by("issued_at").values_list("pk", flat=True)[:limit])
    return sum(render(document_id, wait=False) is not None for document_id in ids)
