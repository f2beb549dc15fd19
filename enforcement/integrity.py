"""Checking the documents' PDFs against the SHA-256 the case's history
recorded when each was drawn (``verify_history``)."""
from dataclasses import dataclass, field

from cases.evidence import file_sha256
from cases.models import CaseHistory

from .models import Document


@dataclass
class DocumentReport:
    checked: int = 0
    broken: list[str] = field(default_factory=list)


def verify_documents() -> DocumentReport:
    """Every drawn document: its file exists and hashes to what the history
    chain recorded (and the document row says the same)."""
    report = DocumentReport()
    recorded = {
        row["data"].get("document"): row["data"].get("sha256")
        for row in CaseHistory.objects.filter(action="document_rendered").values("data").iterator(chunk_size=2000)
    }
    for document in Document.objects.filter(rendered_at__isnull=False).select_related("case").iterator(chunk_size=500):
        report.checked += 1
        expected = recorded.get(document.pk)
        where = f"case {document.case.number}: document {document.number} (version {document.version})"
        if expected is None:
            report.broken.append(f"{where}: its PDF's SHA-256 is missing from the case's history")
            continue
        try:
            actual = file_sha256(document.pdf)
        except (FileNotFoundError, ValueError):
            report.broken.append(f"{where}: its PDF file is missing")
            continue
        if actual != expected or document.sha256 != expected:
            report.broken.append(f"{where}: its PDF does not match the SHA-256 in the case's history (changed)")
    return report
