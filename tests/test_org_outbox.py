"""The notification outbox: written with the change, delivered by Celery,
kept through a broker outage and retried with backoff."""
import datetime as dt
import os
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from org import outbox as services
from org.models import Notification


def _notify_in_a_transaction(users):
    from django.db import transaction

    with transaction.atomic():
        return services.notify(recipients=users, subject="提醒", body="b", link="/", case_id=None, level=1)


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_commits_the_change_and_keeps_the_notifications(broker, lead_officer, lead_leader):
    lead_officer.email, lead_leader.email = "o@x.local", "l@x.local"
    lead_officer.save(), lead_leader.save()
    broker("redis://127.0.0.1:1/0")  # nothing listens there
    rows = _notify_in_a_transaction([lead_officer, lead_leader])
    assert Notification.objects.filter(delivered_at__isnull=True).count() == len(rows) == 2
    assert mail.outbox == []
    # the broker is back: the sweep (run by beat every minute) delivers every one
    assert services.deliver_pending() == 2
    assert not Notification.objects.filter(delivered_at__isnull=True).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["l@x.local", "o@x.local"]
    assert services.deliver_pending() == 0  # never twice


@pytest.mark.django_db(transaction=True)
def test_delivery_is_queued_on_the_real_broker(broker, lead_officer):
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but CELERY_BROKER_URL is not Redis")
        pytest.skip("needs Redis (set CELERY_BROKER_URL=redis://...)")
    import redis

    client = redis.Redis.from_url(url)
    client.delete("celery")
    broker(url)
    _notify_in_a_transaction([lead_officer])
    assert client.llen("celery") == 1  # the delivery task waits for a worker
    assert services.deliver_pending() == 1
    client.delete("celery")


def test_in_eager_mode_notifications_are_delivered_at_commit(db, broker, lead_officer, django_capture_on_commit_callbacks):
    broker("", eager=True)  # make run: no broker, tasks run in-process
    lead_officer.email = "o@x.local"
    lead_officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[lead_officer], subject="s")
    assert Notification.objects.get().delivered_at is not None and len(mail.outbox) == 1


def test_a_failing_mail_server_is_retried_with_backoff(db, lead_officer):
    lead_officer.email = "o@x.local"
    lead_officer.save()
    services.notify(recipients=[lead_officer], subject="s")
    now = timezone.now()
    with mock.patch("org.outbox.send_mail", side_effect=ConnectionRefusedError):
        assert services.deliver_pending(now=now) == 0
    note = Notification.objects.get()
    assert note.attempts == 1 and note.last_error == "ConnectionRefusedError"
    assert note.next_attempt_at == now + dt.timedelta(minutes=2)
    assert services.deliver_pending(now=now + dt.timedelta(minutes=1)) == 0  # not yet
    assert services.deliver_pending(now=now + dt.timedelta(minutes=3)) == 1


def test_notifications_page_and_api(client, lead_officer, street_officer):
    services.notify(recipients=[lead_officer], subject="提醒：NK-HZ 核实即将到期", link="/")
    services.notify(recipients=[lead_officer, street_officer], subject="提醒：另一件", link="/")
    client.force_login(lead_officer)
    html = client.get("/").content.decode()
    assert 'data-live-count="unread">2<' in html  # counted with the signed-in user (org.backends)
    assert "提醒：NK-HZ 核实即将到期" in client.get("/notifications/").content.decode()
    client.post("/notifications/read/")
    assert Notification.objects.filter(recipient=lead_officer, read_at__isnull=True).count() == 0
    assert 'data-live-count="unread" hidden>0<' in client.get("/").content.decode()
    client.force_login(street_officer)
    assert 'data-live-count="unread">1<' in client.get("/").content.decode()
    from .conftest import Api

    assert Api(lead_officer).get("notifications").json()["count"] == 2
    assert Api(street_officer).get("notifications").json()["count"] == 1
