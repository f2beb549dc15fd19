"""A document's PDF (enforcement.rendering): A4 with its fonts embedded, drawn
once with its hash in the history, asked for by a web worker at most once in
its interval after a step, and drawn by a sweep that passes over what another
worker is drawing."""
import subprocess
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections, transaction

from cases.models import CaseHistory
from enforcement import documents
from enforcement.models import Document
from enforcement.rendering import render, render_pending

from .conftest import requires_postgres
from .documents import issued_order, pdf_text, requires_poppler
from .scenarios import complete, register


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def order(street_officer, lead_officer, future_date):
    return issued_order(street_officer, lead_officer, future_date)


def test_the_pdf_is_a4_with_its_fonts_embedded_and_page_numbers(order):
    requires_poppler()
    drawn = render(order.pk)
    info = subprocess.run(["pdfinfo", drawn.pdf.path], capture_output=True, text=True, check=True).stdout
    assert "x 841.89 pts (A4)" in info and "595.2" in info
    fonts = subprocess.run(["pdffonts", drawn.pdf.path], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all("yes" in row[-5:-2] for row in rows), fonts  # every font embedded
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    text = "".join(pdf_text(drawn).split())
    assert all(f"共{pages}页第{page}页" in text for page in range(1, pages + 1)), text


def test_a_pdf_is_drawn_once_its_hash_enters_the_history_and_verify_history_sees_a_changed_file(order):
    drawn = render(order.pk)
    again = render(order.pk)
    assert again.sha256 == drawn.sha256 and again.rendered_at == drawn.rendered_at
    row = CaseHistory.objects.get(case_id=order.case_id, action="document_rendered")
    assert row.data == {"document": order.pk, "sha256": drawn.sha256}
    out = StringIO()
    call_command("verify_history", stdout=out)
    assert "1 document files checked" in out.getvalue()
    with open(drawn.pdf.path, "r+b") as handle:  # someone edits the file on disk
        handle.seek(200)
        handle.write(b"X")
    with pytest.raises(CommandError, match=f"document {order.number} .*does not match"):
        call_command("verify_history", stdout=StringIO(), stderr=StringIO())


def test_with_a_broker_the_pdf_is_drawn_right_after_the_step_commits(settings, street_officer, lead_officer,
                                                                     django_capture_on_commit_callbacks, monkeypatch):
    from config.celery import app

    settings.CELERY_BROKER_URL, settings.DOCUMENTS_RENDER_AFTER_ISSUE = "memory://", True
    monkeypatch.setattr(documents, "_last_nudge", [float("-inf")])  # this process has not asked yet
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        case = register(street_officer)
        with django_capture_on_commit_callbacks(execute=True):
            complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    finally:
        app.conf.task_always_eager = eager
    assert Document.objects.get(case_id=case["id"]).is_rendered


def test_a_busy_web_worker_asks_for_drawing_once_in_its_interval(settings, street_officer, lead_officer,
                                                                 django_capture_on_commit_callbacks, monkeypatch):
    """Each step that issues a document would cost a message; one a couple of seconds asks for them all."""
    from enforcement.tasks import render_pending_documents

    settings.CELERY_BROKER_URL, settings.DOCUMENTS_RENDER_AFTER_ISSUE = "memory://", True
    settings.DOCUMENTS_RENDER_NUDGE_SECONDS = 2
    clock, sent = [1000.0], []
    monkeypatch.setattr(documents, "_last_nudge", [float("-inf")])
    monkeypatch.setattr(documents.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(render_pending_documents, "apply_async", lambda **options: sent.append(options))
    cases = [register(street_officer)["id"] for _ in range(3)]

    def verify(case_id):
        with django_capture_on_commit_callbacks(execute=True):
            complete(lead_officer, case_id, "verify", "confirm", grade="general")

    verify(cases[0])
    clock[0] += 1.5
    verify(cases[1])  # within the interval: the worker drawing the first finds this one too
    assert len(sent) == 1
    clock[0] += 1.0
    verify(cases[2])
    assert len(sent) == 2 and Document.objects.filter(case_id__in=cases).count() == 3


def test_the_sweep_draws_every_document_waiting_oldest_first(order):
    waiting = list(Document.objects.filter(rendered_at__isnull=True).order_by("issued_at").values_list("pk", flat=True))
    assert order.pk in waiting and len(waiting) >= 2
    assert render_pending(limit=1) == 1
    assert Document.objects.get(pk=waiting[0]).is_rendered and not Document.objects.get(pk=waiting[1]).is_rendered
    assert render_pending() == len(waiting) - 1
    assert not Document.objects.filter(rendered_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_the_sweep_passes_over_a_document_another_worker_is_drawing(street_officer, lead_officer, future_date):
    """Two workers asked at once: the second does not wait for the first's document, it draws the next."""
    requires_postgres()
    for _ in range(2):
        complete(lead_officer, register(street_officer)["id"], "verify", "confirm", grade="general")
    first, second = Document.objects.order_by("issued_at").values_list("pk", flat=True)
    held, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                Document.objects.select_for_update().get(pk=first)
                held.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert held.wait(30)
        assert render_pending() == 1
    finally:
        release.set()
        thread.join(30)
    assert Document.objects.get(pk=second).is_rendered and not Document.objects.get(pk=first).is_rendered
    assert render(first).is_rendered  # a download waits for the lock instead
