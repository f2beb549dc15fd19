"""Reads that may lag go to the read replica; writes and what a user just
changed go to the primary. Here the ``replica`` alias is a second connection
to the test database (a streaming replica's contents, without the lag)."""
import copy

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from common.replica import REPLICA, ReplicaRouter, replica_reads
from org.models import Agency

from .factories import make_uscc
from .scenarios import register, task_id


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
