"""Celery tasks of the register: the workbook import (queued by the page and
the API, swept up by beat if the broker was down), and the licence reminders
(beat)."""
import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ImportJob
from .services import remind_licences, run_import

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def import_workbook(job_id: int) -> str:
    return run_import(job_id).status


@shared_task(acks_late=True, ignore_result=True)
def licence_reminders() -> int:
    return remind_licences()


@shared_task(acks_late=True, ignore_result=True)
def pending_imports() -> int:
    """Run the imports that waited more than two minutes (the broker was down when they were queued)."""
    waiting = list(ImportJob.objects.filter(status=ImportJob.Status.PENDING,
                                            created_at__lt=timezone.now() - dt.timedelta(minutes=2))
                   .values_list("pk", flat=True)[:10])
    for job_id in waiting:
        run_import(job_id)
    return len(waiting)


def queue_import(job_id: int) -> None:
    """Run the import in a worker once the job is committed; without a broker
    (or with ``REGISTER_IMPORT_IN_WORKER`` off), now, in this process."""
    if not (settings.CELERY_BROKER_URL and settings.REGISTER_IMPORT_IN_WORKER):
        run_import(job_id)
        return

    def send():
        try:
            import_workbook.apply_async(args=[job_id], retry=False)
        except Exception as error:  # noqa: BLE001 - any broker failure: the sweep runs it later
            logger.warning("register import %s not queued (%s); the sweep will run it", job_id, type(error).__name__)

    transaction.on_commit(send)
