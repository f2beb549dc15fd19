"""Celery tasks of the plan, run by beat (config/settings.py CELERY_BEAT_SCHEDULE)."""
from celery import shared_task
from django.db import transaction

from .plan import load_plan_tasks
from .reminders import run_report_reminders


@shared_task(acks_late=True, ignore_result=True)
def report_reminders():
    """Reminders from the 15th, late units from the 21st; each fires once."""
    return run_report_reminders().summary()


@shared_task(acks_late=True, ignore_result=True)
def plan_units():
    """The key tasks' units expanded again (相关街道办事处 follow the register)."""
    with transaction.atomic():
        return load_plan_tasks()
