"""Celery tasks of the flows."""
from celery import shared_task

from .arrivals import send_digests


@shared_task(acks_late=True, ignore_result=True)
def send_arrival_digests():
    """The grouped notices of new work in the queues (``flows.arrivals``), run by beat."""
    return send_digests()
