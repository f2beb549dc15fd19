"""Celery tasks of the outbox."""
from celery import shared_task

from .outbox import deliver_pending


@shared_task(acks_late=True, ignore_result=True)
def deliver_notifications():
    """Deliver pending notifications; also run every minute by beat as a sweep."""
    return deliver_pending()
