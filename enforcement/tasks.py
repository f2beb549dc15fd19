"""Celery task of the documents: draw every document still without its PDF,
asked for by a web worker after a step (at most once in
``DOCUMENTS_RENDER_NUDGE_SECONDS``) and run by beat every minute, so that a
broker outage delays a PDF and loses none."""
from celery import shared_task

from .rendering import render_pending


@shared_task(acks_late=True, ignore_result=True)
def render_pending_documents():
    return render_pending()
