"""Celery tasks of the plan, run by beat (config/settings.py CELERY_BEAT_SCHEDULE)."""
from celery import shared_task

from .reminders import run_report_reminders


@shared_task(acks_late=True, ignore_result=True)
def report_reminders():
    """Reminders from the 15th, late units from the 21st; each fires once."""
    return run_report_reminders().summary()
