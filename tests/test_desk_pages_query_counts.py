"""What each page an officer opens costs in statements, pinned per persona:
the landing page (their tasks, the queue's preview and, for a leader, every
officer's workload), the queue, a task and its case. The figure stays the same
as the lists and the case file grow: no statement per row. (Speed is measured
by ``manage.py bench``, never by a test.)"""
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .conftest import Api
from .factories import make_uscc
from .scenarios import complete, register, task_id

# Every page: the session, the user with their agency and their unread notifications counted.
# inbox: the inbox counted and read, the queue counted and read (a page with no row is not read), the saved filters;
# queue: the same for the queue alone; the leader's add their officers' workload (officers and counts in one).
# task: the task, its case with participants, evidence, history, handoffs, referrals, documents, and what the
# person may do with it (the officer's action forms read the agencies, the supervisor's permissions are read,
# the leader's assignees counted); case: the same file, its listing (only if the case is listed), linked cases,
# open tasks and diagram, comments.
EXPECTED = {
    "officer": {"inbox": 7, "queue": 5, "task": 12, "case": 13},
    "leader": {"inbox": 7, "queue": 6, "task": 11, "case": 13},
    "supervisor": {"inbox": 5, "queue": 4, "task": 12, "case": 13},
    "empty_queue": {"inbox": 5, "queue": 4},
}


def statements(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


def grow(street_officer, lead_officer, start: int) -> dict:
    """Three more cases for the emergency bureau: one claimed by the officer,
    one in the queue, one consulted with the police (more history, more tasks)."""
    cases = [register(street_officer, enterprise={"name": f"企业{start + n}", "uscc": make_uscc(start + n)})
             for n in range(3)]
    Api(lead_officer).post(f"tasks/{task_id(cases[0]['id'], 'verify')}/claim")
    complete(lead_officer, cases[2]["id"], "verify", "confirm", grade="general", agencies=["police"])
    return cases[0]


@pytest.fixture
def personas(lead_officer, lead_leader, supervisor, other_officer):
    return {"officer": lead_officer, "leader": lead_leader, "supervisor": supervisor, "empty_queue": other_officer}


def test_each_page_costs_the_same_statements_however_long_the_lists(personas, street_officer, lead_officer):
    counted = []
    for start in (10, 20):
        held = grow(street_officer, lead_officer, start)
        figures = {}
        for name, user in personas.items():
            client = Client()
            client.force_login(user)
            paths = {"inbox": "/", "queue": "/?box=queue"}
            if name != "empty_queue":
                held_task = task_id(held["id"], "verify")
                paths |= {"task": f"/tasks/{held_task}/", "case": f"/cases/{held['id']}/"}
            client.get("/")  # the session's first use
            figures[name] = {page: statements(client, path) for page, path in paths.items()}
        counted.append(figures)
    assert counted[0] == counted[1] == EXPECTED
