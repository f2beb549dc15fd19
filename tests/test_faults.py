"""Faults on the real services (PostgreSQL and Redis; skipped with a reason
where they are absent, required in CI): two processes racing on 200 tasks,
Redis stopped during a burst, the database connection dropped mid-request,
and a Celery worker killed with SIGKILL during the escalation scan."""
import datetime as dt
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import psycopg2
import pytest
import time_machine
from django.db import close_old_connections, connection, connections

from cases.models import Case, CaseHistory
from common.exceptions import Conflict
from flows import services
from flows.models import CaseTask
from org.models import Notification
from supervision.models import Escalation, SupervisionProcess

from .conftest import Api, requires_postgres, reset_celery_connections
from .factories import hazard_payload, make_uscc, officer
from .scenarios import task_id

ROOT = Path(__file__).resolve().parent.parent


def requires_redis_server():
    if shutil.which("redis-server") is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but redis-server is not installed")
        pytest.skip("needs redis-server")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throwaway Redis of our own, so stopping it disturbs nothing else."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def redis_server():
    requires_redis_server()
    server = RedisServer().start()
    yield server
    server.stop()


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _start_worker(broker_url: str, **extra_env) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "CELERY_BROKER_URL": broker_url, "DEBUG": "1", **extra_env}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--without-heartbeat",
         "--without-gossip", "--without-mingle", "--loglevel", os.environ.get("WORKER_LOGLEVEL", "WARNING")],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(os.environ.get("WORKER_LOG", os.devnull), "ab"),
    )


def _wait_for(predicate, timeout=60.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def _open_cases(actor, n, *, first_serial=0):
    for i in range(n):
        payload = hazard_payload(enterprise={"name": f"企业{i}", "uscc": make_uscc(first_serial + i)})
        data = {k: v for k, v in payload.items() if k != "enterprise"}
        data.update(enterprise_name=payload["enterprise"]["name"], enterprise_uscc=payload["enterprise"]["uscc"])
        services.open_case(actor=actor, data=data)


# --- two processes, 200 tasks ----------------------------------------------------
def _complete_all(user_id, task_ids):
    from org.models import User

    connections.close_all()
    user = User.objects.get(pk=user_id)
    outcomes = {}
    for pk in task_ids:
        try:
            services.complete_task(user=user, task_id=pk, action="confirm", data={"grade": "general"})
            outcomes[pk] = "ok"
        except Conflict:
            outcomes[pk] = "conflict"
    connections.close_all()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_processes_completing_the_same_200_tasks(street_officer):
    requires_postgres()
    _open_cases(street_officer, 200)
    ids = list(CaseTask.objects.filter(status="NEW", flow_task_type="HUMAN").order_by("id").values_list("pk", flat=True))
    assert len(ids) == 200
    a, b = officer("emergency"), officer("emergency")
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        first, second = pool.starmap(_complete_all, [(a.pk, ids), (b.pk, ids)])
    for pk in ids:
        assert sorted([first[pk], second[pk]]) == ["conflict", "ok"], pk
    assert CaseTask.objects.filter(pk__in=ids, status="DONE").count() == 200
    orders = [t for t in CaseTask.objects.filter(status="NEW", flow_task_type="HUMAN") if t.step == "order"]
    assert len(orders) == 200 and len({t.case_id for t in orders}) == 200  # no duplicate next task
    confirms = CaseHistory.objects.filter(action="confirm")
    assert confirms.count() == 200 and set(confirms.values_list("task_id", flat=True)) == set(ids)  # no orphan row


# --- Redis stopped during a burst ------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_redis_stopped_during_a_burst_loses_no_notification(street_officer, lead_leader, redis_server, broker):
    requires_postgres()
    _open_cases(street_officer, 30)
    ids = list(CaseTask.objects.filter(status="NEW", flow_task_type="HUMAN").order_by("id").values_list("pk", flat=True))
    assignees = [officer("emergency") for _ in range(3)]
    broker(redis_server.url)
    for n, pk in enumerate(ids):
        if n == 15:
            redis_server.stop()  # the broker goes away mid-burst
        services.assign_task(user=lead_leader, task_id=pk, username=assignees[n % 3].username)
    assert CaseTask.objects.filter(pk__in=ids, owner__isnull=False).count() == 30  # every change committed
    assert Notification.objects.filter(delivered_at__isnull=True).count() == 30  # kept in the outbox

    redis_server.start()  # Redis is back; a worker and the periodic sweep deliver everything
    worker = _start_worker(redis_server.url)
    try:
        from org.tasks import deliver_notifications

        reset_celery_connections()
        deliver_notifications.delay()
        assert _wait_for(lambda: not Notification.objects.filter(delivered_at__isnull=True).exists(), timeout=60)
    finally:
        worker.kill()
        worker.wait(10)
    assert Notification.objects.filter(delivered_at__isnull=False).count() == 30


# --- the database connection dropped mid-request -------------------------------
@pytest.mark.django_db(transaction=True)
def test_database_connection_dropped_mid_request(street_officer, lead_officer):
    requires_postgres()
    _open_cases(street_officer, 1)
    case = Case.objects.get()
    verify = task_id(case.pk, "verify")
    before = (case.state, CaseHistory.objects.count(), sorted(CaseTask.objects.values_list("id", "status")))

    from cases import history

    original_save = history.insert_rows  # the history's writer: the connection drops as the step writes its row

    def drop_then_save(*args, **kwargs):
        pid = connection.connection.get_backend_pid()
        s = connection.settings_dict
        other = psycopg2.connect(dbname=s["NAME"], user=s["USER"], host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432)
        other.autocommit = True
        other.cursor().execute("SELECT pg_terminate_backend(%s)", [pid])
        other.close()
        return original_save(*args, **kwargs)

    with mock.patch.object(history, "insert_rows", drop_then_save):
        response = Api(lead_officer).post(f"tasks/{verify}/complete", {"action": "confirm", "grade": "general"})
    assert response.status_code == 503 and response.json()["error"]["code"] == "unavailable"

    close_old_connections()  # what the end of every request does: drop the dead connection
    connection.close()
    after = (Case.objects.get().state, CaseHistory.objects.count(), sorted(CaseTask.objects.values_list("id", "status")))
    assert after == before  # nothing half written
    retry = Api(lead_officer).post(f"tasks/{verify}/complete", {"action": "confirm", "grade": "general"})
    assert retry.status_code == 200


# --- a worker killed with SIGKILL during the escalation scan ---------------------
@pytest.mark.django_db(transaction=True)
def test_worker_killed_during_the_escalation_scan(street_officer, redis_server, broker):
    requires_postgres()
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.timezone.utc), tick=False):
        _open_cases(street_officer, 150)
    broker(redis_server.url)
    from supervision.tasks import escalation_scan

    # one task per transaction, so that the scan is still running when the worker is killed
    worker = _start_worker(redis_server.url, ESCALATION_BATCH_SIZE="1")
    try:
        escalation_scan.delay()
        assert _wait_for(lambda: Escalation.objects.count() >= 30, timeout=60, interval=0.02)
        os.kill(worker.pid, signal.SIGKILL)  # mid-scan
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    fired_before_the_kill = Escalation.objects.count()
    assert 30 <= fired_before_the_kill < 450

    rerun = _start_worker(redis_server.url)  # beat's next run, on a fresh worker
    try:
        reset_celery_connections()
        escalation_scan.delay()
        assert _wait_for(lambda: not CaseTask.objects.filter(next_escalation_at__isnull=False, escalation_level__lt=3,
                                                              flow_task_type="HUMAN").exists(), timeout=120)
        assert _wait_for(lambda: Escalation.objects.count() == 450, timeout=30)
    finally:
        rerun.kill()
        rerun.wait(10)
    for task in CaseTask.objects.filter(flow_task_type="HUMAN", escalation_level__gt=0):
        assert sorted(task.escalations.values_list("level", flat=True)) == [1, 2, 3]  # none lost, none doubled
    assert CaseHistory.objects.filter(action="escalate").count() == 450
    assert SupervisionProcess.objects.count() == 150
