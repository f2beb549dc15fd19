"""Celery tasks of the documents: drawn right after the step that issued them,
and a periodic sweep for any a broker outage left undrawn."""
from celery import shared_task

from .rendering import render, render_pending


@shared_task(acks_late=True, ignore_result=True)
def render_document(document_id: int):
    render(document_id)


@shared_task(acks_late=True, ignore_result=True)
def render_pending_documents():
    return render_pending()
