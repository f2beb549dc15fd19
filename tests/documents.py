"""What the tests of documents share: the PDF's text read back with poppler,
and a case whose rectification order was issued."""
import os
import shutil
import subprocess

import pytest

from enforcement.models import Document
from enforcement.rendering import render

from .scenarios import complete, register


def requires_poppler():
    if shutil.which("pdftotext") is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but pdftotext is absent (apt-get install poppler-utils)")
        pytest.skip("needs pdftotext (apt-get install poppler-utils)")


def pdf_text(document: Document) -> str:
    requires_poppler()
    document = render(document.pk)
    return subprocess.run(["pdftotext", "-layout", document.pdf.path, "-"], capture_output=True, text=True,
                          check=True).stdout


def issued_order(street_officer, lead_officer, future_date) -> Document:
    """A hazard verified and ordered to rectify: its rectification order (责令限期整改指令书)."""
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    complete(lead_officer, case["id"], "order", "issue", measures="加装紧急切断阀", responsible_person="王五",
             funds="5万元", deadline=future_date, contingency_plan="停用储罐")
    return Document.objects.get(case_id=case["id"], type="rectification_order")
