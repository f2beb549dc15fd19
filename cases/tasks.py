"""Celery tasks of the cases, run by beat (config/settings.py CELERY_BEAT_SCHEDULE)."""
import logging

from celery import shared_task

from .integrity import write_checkpoint

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def history_checkpoint():
    """The same as ``manage.py history_checkpoint``: verify every chain and write
    a signed checkpoint; each broken chain is logged as an error."""
    written = write_checkpoint()
    for problem in written.report.broken:
        log.error("history: %s", problem)
    return {"checkpoint": written.path.name, "cases": written.report.cases, "rows": written.report.rows,
            "broken": len(written.report.broken)}
