"""Celery tasks run by beat (config/settings.py CELERY_BEAT_SCHEDULE)."""
from celery import shared_task

from .escalation import scan


@shared_task(acks_late=True, ignore_result=True)
def escalation_scan():
    """The same scan as ``manage.py escalate``; idempotent, so a rerun after a
    worker crash loses no rung and doubles none."""
    return scan().summary()

