"""Celery tasks of the outbox."""
from celery import shared_task

from .outbox import deliver_pending
from .robots import deliver_robot_messages


@shared_task(acks_late=True, ignore_result=True)
def deliver_notifications():
    """Deliver pending notifications (e-mail) and robot messages; also run
    every minute by beat as a sweep."""
    return deliver_pending() + deliver_robot_messages()
