"""The notification outbox: notifications are written in the same transaction
as the change that causes them, shown in the app at once, and delivered (by
e-mail) by a Celery task after commit; a broker outage delays them, loses none."""
import logging
from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification, User
from .roles import supervisor_q

logger = logging.getLogger(__name__)


def notify(*, recipients, subject: str, body: str = "", link: str = "", case_id: int | None = None,
           level: int = 0) -> list[Notification]:
    """Write notifications in the caller's transaction; deliver after commit.

    A broker outage delays delivery and loses nothing: the rows stay pending
    and the periodic sweep delivers them once the broker is back.
    """
    return enqueue_notifications(rows=[
        Notification(recipient=user, subject=subject, body=body, link=link, case_id=case_id, level=level)
        for user in {user.pk: user for user in recipients}.values()
    ])


def enqueue_notifications(*, rows: list[Notification]) -> list[Notification]:
    """Put built notifications in the outbox (the caller's transaction) and
    have them delivered after commit; ``notify`` and the escalation scan's
    digests both come through here."""
    now = timezone.now()
    for row in rows:
        row.subject = row.subject[:200]
        row.next_attempt_at = row.next_attempt_at or now
    rows = Notification.objects.bulk_create(rows)
    if rows:
        transaction.on_commit(schedule_delivery)
    return rows


def schedule_delivery() -> None:
    from .tasks import deliver_notifications

    try:
        deliver_notifications.apply_async(retry=False)
    except Exception as error:  # noqa: BLE001 - any broker failure: the sweep delivers later
        logger.warning("notification delivery not queued (%s); the periodic sweep will deliver", type(error).__name__)


def deliver_pending(*, now=None, batch: int = 200) -> int:
    """E-mail the pending notifications; a failure is retried with backoff."""
    now = now or timezone.now()
    delivered = 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(delivered_at__isnull=True, next_attempt_at__lte=now)
            .select_related("recipient")
            .order_by("next_attempt_at")[:batch]
        )
        for note in pending:
            try:
                if note.recipient.email and note.recipient.email_notifications:
                    send_mail(note.subject, f"{note.body}\n\n{note.link}".strip(), None, [note.recipient.email])
            except Exception as error:  # noqa: BLE001 - the mail server's failure is recorded, not raised
                note.failed(error, now=now)
                continue
            note.delivered(now=now)
            delivered += 1
    return delivered


def users_of(agency_ids: int | Iterable[int], *, leaders_only: bool = False):
    """The active users of an agency (or of several)."""
    if isinstance(agency_ids, int):
        agency_ids = [agency_ids]
    users = User.objects.filter(agency_id__in=agency_ids, is_active=True)
    return users.filter(role=User.Role.LEADER) if leaders_only else users


def supervisors():
    """The active safety-office supervisors (``org.roles``)."""
    return User.objects.filter(supervisor_q(), is_active=True)
