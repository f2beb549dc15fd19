"""Reads that may lag go to the read replica; writes and what a user just
changed go to the primary. Here the ``replica`` alias is a second connection
to the test database (a streaming replica's contents, without the lag)."""
import copy
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.replica import REPLICA, ReplicaRouter, replica_reads
from org.models import Agency

from .conftest import requires_postgres
from .factories import make_uscc
from .scenarios import register, task_id
from .tampering import superuser_params


@pytest.fixture
def replica(transactional_db):
    connections.settings[REPLICA] = copy.deepcopy(connections["default"].settings_dict)
    connection = connections[REPLICA]
    # Django's test case forbids aliases a test does not declare, unless made during the test (as here):
    # it tells them apart by their alias (django.test.testcases, patched_ensure_connection)
    connection.alias = "replica (made by the test)"
    try:
        yield connection
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def test_without_a_replica_everything_reads_the_primary(db):
    assert REPLICA not in connections.settings
    with replica_reads():
        assert ReplicaRouter().db_for_read(Agency) is None
        assert Agency.objects.all().db == "default"


def test_the_dashboard_reads_the_replica_and_a_completion_the_primary(replica, street_officer, lead_officer,
                                                                       supervisor):
    case = register(street_officer, enterprise={"name": "甲", "uscc": make_uscc(601)})
    client = Client()
    client.force_login(supervisor)
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_primary:
        response = client.get("/plan/dashboard/")
    assert response.status_code == 200
    replica_sql = " ".join(query["sql"] for query in on_replica.captured_queries)
    assert "cases_case" in replica_sql, "the figures were not read on the replica"
    # the session and the user are read on the primary (a login just made may not have reached the replica)
    primary_sql = " ".join(query["sql"] for query in on_primary.captured_queries)
    assert "django_session" in primary_sql and "cases_case" not in primary_sql

    with CaptureQueriesContext(replica) as on_replica:
        assert client.get("/api/v1/stats?period=2026-11").status_code == 200
        assert client.get("/api/v1/reports/monthly.xlsx?period=2026-11").status_code == 200
    assert on_replica.captured_queries

    officer = Client()
    officer.force_login(lead_officer)
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_primary:
        response = officer.post(f"/api/v1/tasks/{task_id(case['id'], 'verify')}/complete",
                                {"action": "confirm", "grade": "general"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert not on_replica.captured_queries
    assert any("UPDATE" in query["sql"] for query in on_primary.captured_queries)


PG_BIN = Path("/usr/lib/postgresql")


def _pg_tool(name: str) -> str:
    found = sorted(PG_BIN.glob(f"*/bin/{name}"))
    if not found:
        pytest.skip(f"no {name} under {PG_BIN}")
    return str(found[-1])


@pytest.fixture
def streaming_replica(transactional_db):
    """A hot standby of the test's PostgreSQL cluster on another port, made with
    pg_basebackup -R and fed by streaming replication, as `replica`."""
    requires_postgres()
    if os.geteuid() != 0:
        pytest.skip("starting a second PostgreSQL server here needs root (to run it as postgres)")
    params = superuser_params()
    data = Path(tempfile.mkdtemp(prefix="nankai-replica-"))
    shutil.chown(data, "postgres", "postgres")
    data.chmod(0o700)
    as_postgres = ["runuser", "-u", "postgres", "--"]
    backup = subprocess.run([*as_postgres, _pg_tool("pg_basebackup"), "-h", str(params["host"]), "-p", str(params["port"]),
                             "-U", params["user"], "-D", str(data / "pgdata"), "-R", "-X", "stream", "--checkpoint=fast"],
                            capture_output=True, text=True)
    if backup.returncode != 0:
        shutil.rmtree(data, ignore_errors=True)
        message = f"pg_basebackup refused: {backup.stderr.strip()} (.ci/run allows replication from 127.0.0.1)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    pgdata = data / "pgdata"
    (pgdata / "postgresql.conf").write_text("hot_standby = on\nfsync = off\nlogging_collector = off\n")
    (pgdata / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    (pgdata / "pg_ident.conf").write_text("")
    for path in (pgdata / "postgresql.conf", pgdata / "pg_hba.conf", pgdata / "pg_ident.conf"):
        shutil.chown(path, "postgres", "postgres")
    pg_ctl = _pg_tool("pg_ctl")
    subprocess.run([*as_postgres, pg_ctl, "-D", str(pgdata), "-l", str(data / "log"), "-w", "-t", "60", "-o",
                    f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "start"], check=True, capture_output=True)
    connections.settings[REPLICA] = {**copy.deepcopy(connections["default"].settings_dict), "HOST": "127.0.0.1",
                                     "PORT": str(port)}
    connection = connections[REPLICA]
    connection.alias = "replica (made by the test)"  # see the replica fixture above
    try:
        yield connection
    finally:
        connection.close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        subprocess.run([*as_postgres, pg_ctl, "-D", str(pgdata), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _caught_up(replica) -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    for _ in range(100):
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.1)
    pytest.fail("the replica did not catch up in 10 s")


def test_a_streaming_replica_serves_the_dashboard_and_the_primary_a_completion(streaming_replica, street_officer,
                                                                                lead_officer, supervisor):
    with streaming_replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0], "not a standby"
    case = register(street_officer, enterprise={"name": "甲", "uscc": make_uscc(602)})
    _caught_up(streaming_replica)
    client = Client()
    client.force_login(supervisor)
    with CaptureQueriesContext(streaming_replica) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        response = client.get("/plan/dashboard/")
        period = timezone.localdate().strftime("%Y-%m")
        assert client.get(f"/api/v1/stats?period={period}").json()["totals"]["opened"] >= 1
    assert response.status_code == 200
    assert "cases_case" in " ".join(query["sql"] for query in on_replica.captured_queries)
    assert "cases_case" not in " ".join(query["sql"] for query in on_primary.captured_queries)

    officer = Client()
    officer.force_login(lead_officer)
    with CaptureQueriesContext(streaming_replica) as on_replica:
        response = officer.post(f"/api/v1/tasks/{task_id(case['id'], 'verify')}/complete",
                                {"action": "confirm", "grade": "general"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert not on_replica.captured_queries
