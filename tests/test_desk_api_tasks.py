"""Task operations: claim, unclaim, assign, complete, and their refusals."""
import datetime as dt

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task

from cases.models import Case, CaseHistory
from flows.models import CaseTask
from org.backends import leader_permission

from .conftest import Api
from .factories import make_uscc
from .scenarios import complete, register, task_id


@pytest.fixture
def case(street_officer):
    return register(street_officer)


def _snapshot(case_id):
    return (
        Case.objects.get(pk=case_id).state,
        CaseHistory.objects.filter(case_id=case_id).count(),
        sorted(CaseTask.objects.filter(case_id=case_id).values_list("id", "status", "owner_id")),
    )


def test_inbox_queue_archive(case, lead_officer, lead_officer2):
    verify = task_id(case["id"], "verify")
    assert [t["id"] for t in Api(lead_officer).get("tasks", box="queue").json()["results"]] == [verify]
    assert Api(lead_officer).get("tasks").json()["count"] == 0  # inbox by default
    claimed = Api(lead_officer).post(f"tasks/{verify}/claim")
    assert claimed.status_code == 200 and claimed.json()["assignee"] == lead_officer.username
    assert [t["id"] for t in Api(lead_officer).get("tasks", box="inbox").json()["results"]] == [verify]
    assert Api(lead_officer2).get("tasks", box="queue").json()["count"] == 0
    # another officer of the agency cannot take it while it is held
    held = Api(lead_officer2).post(f"tasks/{verify}/claim")
    assert held.status_code == 409 and held.json()["error"]["code"] == "task_held"
    held = Api(lead_officer2).post(f"tasks/{verify}/complete", {"action": "dismiss", "reason": "x"})
    assert held.status_code == 409
    assert Api(lead_officer).post(f"tasks/{verify}/unclaim").status_code == 200
    assert Api(lead_officer2).get("tasks", box="queue").json()["count"] == 1
    complete(lead_officer2, case["id"], "verify", "dismiss", reason="不属实")
    archive = Api(lead_officer2).get("tasks", box="archive").json()["results"]
    assert [t["id"] for t in archive] == [verify] and archive[0]["status"] == "done" and archive[0]["actions"] == []
    assert Api(lead_officer).get("tasks", box="bogus").status_code == 400


def test_other_agency_cannot_claim_or_complete(case, lead_officer, street_officer, other_officer):
    verify = task_id(case["id"], "verify")
    before = _snapshot(case["id"])
    # the street sees the case but the task is the emergency bureau's: 403
    for path, body in ((f"tasks/{verify}/claim", None), (f"tasks/{verify}/complete", {"action": "dismiss", "reason": "x"})):
        response = Api(street_officer).post(path, body)
        assert response.status_code == 403 and response.json()["error"]["code"] == "not_your_task"
        # an agency with no part in the case does not even learn it exists: 404
        assert Api(other_officer).post(path, body).status_code == 404
    assert _snapshot(case["id"]) == before


def test_completing_a_done_task_is_409(case, lead_officer):
    verify = task_id(case["id"], "verify")
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    before = _snapshot(case["id"])
    response = Api(lead_officer).post(f"tasks/{verify}/complete", {"action": "confirm", "grade": "general"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "task_done"
    assert Api(lead_officer).post(f"tasks/{verify}/claim").status_code == 409
    assert _snapshot(case["id"]) == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"action": "approve"}, "action"),
        ({}, "action"),
        ({"action": "confirm"}, "grade"),
        ({"action": "confirm", "grade": "general", "criteria": [3]}, "criteria"),
        ({"action": "confirm", "grade": "major", "criteria": [99]}, "criteria"),
        ({"action": "confirm", "grade": "major", "agencies": ["mars"]}, "agencies"),
        ({"action": "dismiss"}, "reason"),
        ({"action": "dismiss", "reason": ""}, "reason"),
    ],
)
def test_bad_verify_input_is_400_and_writes_nothing(case, lead_officer, body, field):
    verify = task_id(case["id"], "verify")
    before = _snapshot(case["id"])
    response = Api(lead_officer).post(f"tasks/{verify}/complete", body)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert _snapshot(case["id"]) == before


@pytest.mark.parametrize("deadline", ["2020-01-01", "not-a-date", ""])
def test_an_order_with_a_past_or_bad_deadline_is_refused(case, lead_officer, deadline):
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    order = task_id(case["id"], "order")
    before = _snapshot(case["id"])
    body = {"action": "issue", "deadline": deadline, "measures": "m", "responsible_person": "p",
            "funds": "f", "contingency_plan": "c"}
    response = Api(lead_officer).post(f"tasks/{order}/complete", body)
    assert response.status_code == 400 and "deadline" in response.json()["error"]["fields"]
    assert _snapshot(case["id"]) == before


def test_order_needs_all_five_elements(case, lead_officer, future_date):
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    order = task_id(case["id"], "order")
    response = Api(lead_officer).post(f"tasks/{order}/complete", {"action": "issue", "deadline": future_date})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"measures", "responsible_person", "funds", "contingency_plan"}


def test_an_officer_may_not_approve_a_closure(case, lead_officer, lead_officer2, lead_leader, future_date):
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    complete(lead_officer, case["id"], "order", "issue", deadline=future_date, measures="m",
             responsible_person="p", funds="f", contingency_plan="c")
    complete(lead_officer, case["id"], "rectify", "submit", report="r")
    complete(lead_officer2, case["id"], "review", "pass")
    close = task_id(case["id"], "close")
    before = _snapshot(case["id"])
    response = Api(lead_officer).post(f"tasks/{close}/complete", {"action": "approve"})
    assert response.status_code == 403
    assert Api(lead_officer).get("tasks", box="queue").json()["count"] == 0
    assert [t["id"] for t in Api(lead_leader).get("tasks", box="queue").json()["results"]] == [close]
    assert _snapshot(case["id"]) == before


def test_leader_assigns_within_the_agency(case, lead_officer, lead_officer2, lead_leader, street_officer):
    verify = task_id(case["id"], "verify")
    assert Api(lead_officer).post(f"tasks/{verify}/assign", {"username": lead_officer2.username}).status_code == 403
    for bad in ({"username": street_officer.username}, {"username": "nobody"}, {}):
        response = Api(lead_leader).post(f"tasks/{verify}/assign", bad)
        assert response.status_code == 400 and "username" in response.json()["error"]["fields"]
    response = Api(lead_leader).post(f"tasks/{verify}/assign", {"username": lead_officer2.username})
    assert response.status_code == 200 and response.json()["assignee"] == lead_officer2.username
    # a leader may move it again
    response = Api(lead_leader).post(f"tasks/{verify}/assign", {"username": lead_officer.username})
    assert response.json()["assignee"] == lead_officer.username
    assert [t["id"] for t in Api(lead_officer).get("tasks").json()["results"]] == [verify]
    assert CaseHistory.objects.filter(case_id=case["id"], action="assign").count() == 2


def test_wrong_method_and_unknown_task(case, lead_officer):
    verify = task_id(case["id"], "verify")
    assert Api(lead_officer).get(f"tasks/{verify}/complete").status_code == 405
    assert Api(lead_officer).post("tasks/424242/claim").status_code == 404
    assert Api(lead_officer).client.delete("/api/v1/cases").status_code == 405


def test_unclaim_refusals(case, lead_officer, lead_officer2, lead_leader, street_officer):
    verify = task_id(case["id"], "verify")
    assert Api(street_officer).post(f"tasks/{verify}/unclaim").status_code == 403
    Api(lead_officer).post(f"tasks/{verify}/claim")
    assert Api(street_officer).post(f"tasks/{verify}/unclaim").status_code == 403
    assert Api(lead_officer2).post(f"tasks/{verify}/unclaim").status_code == 409
    # the agency's leader may put it back in the queue
    response = Api(lead_leader).post(f"tasks/{verify}/unclaim")
    assert response.status_code == 200 and response.json()["assignee"] is None


def test_openapi_schema_is_served(lead_officer):
    response = Api(lead_officer).client.get("/api/v1/schema", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/v1/tasks/{task_id}/complete" in response.content.decode()


def test_task_list_query_count_is_constant_and_pinned(street_officer, lead_officer, django_assert_num_queries):
    for n in range(3):
        register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(300 + n)})
    api = Api(lead_officer)
    api.get("tasks", box="queue")
    # the count (viewflow_task alone) and one page with case, agency and assignee columns
    with django_assert_num_queries(2):
        assert api.get("tasks", box="queue").json()["count"] == 3
    for n in range(4):
        register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(310 + n)})
    with django_assert_num_queries(2):
        assert api.get("tasks", box="queue").json()["count"] == 7


def test_task_json_is_the_declared_serializer_shape(case, lead_officer):
    """The hand-built representation of a task equals DRF's generic one."""
    from rest_framework import serializers as drf

    from desk.serializers import TaskSerializer
    from flows.selectors import task_row

    verify = task_id(case["id"], "verify")
    Api(lead_officer).post(f"tasks/{verify}/claim")
    Api(lead_officer).post(f"tasks/{verify}/pause", {"reason": "等待检测报告"})
    row = task_row(verify)
    serializer = TaskSerializer(row)
    assert serializer.data == drf.ModelSerializer.to_representation(serializer, row)
    assert serializer.data["assignee"] == lead_officer.username and serializer.data["paused"] is True


def test_an_empty_box_is_one_statement_its_count(lead_officer, django_assert_num_queries):
    api = Api(lead_officer)
    api.get("tasks", box="queue")
    with django_assert_num_queries(1):
        assert api.get("tasks", box="queue").json()["results"] == []


def test_a_whole_box_reads_as_its_queryset_and_writes_as_the_generic_serializer(
        street_officer, lead_officer, lead_officer2, lead_leader):
    """A box read by SQL compiled once per shape (``BoxRows``) holds the rows,
    counts and count key of its queryset, and ``task_payloads`` writes each
    row as DRF's generic serializer writes the task: queued (the agency's and
    the leaders' queue, with and without a due time), held, paused, overdue, done."""
    from rest_framework import serializers as drf

    from common.paging import count_key
    from desk.serializers import TaskSerializer, task_payloads
    from flows.selectors import BoxRows, count_in_box, task_row, task_values, tasks_in_box

    cases = [register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(350 + n)}) for n in range(5)]
    verify = [task_id(case["id"], "verify") for case in cases]
    complete(lead_officer2, cases[0]["id"], "verify", "confirm", grade="general")
    for held in verify[1:3]:
        Api(lead_officer).post(f"tasks/{held}/claim")
    Api(lead_officer).post(f"tasks/{verify[1]}/pause", {"reason": "等待检测报告"})
    CaseTask.objects.filter(pk=verify[2]).update(due_at=timezone.now() - dt.timedelta(days=1))
    Task.objects.filter(pk=verify[3]).update(owner_permission=leader_permission("emergency"))
    CaseTask.objects.filter(pk=verify[4]).update(due_at=None)
    for user, box, size in ((lead_officer, "inbox", 2), (lead_leader, "queue", 3), (lead_officer, "queue", 2),
                            (lead_officer2, "archive", 1), (street_officer, "queue", 0)):
        expected = list(task_values(tasks_in_box(user, box)))
        assert len(expected) == size
        rows = BoxRows(user, box)
        assert rows[0:50] == expected and rows[1:3] == expected[1:3] and rows[2:2] == []
        assert rows.count_up_to(1001) == rows.count() == count_in_box(user, box).count() == size
        assert rows.count_key() == count_key(*count_in_box(user, box).order_by().query.sql_with_params())
        generic = [drf.ModelSerializer.to_representation(TaskSerializer(), task_row(row["id"])) for row in expected]
        assert task_payloads(expected) == generic
        assert Api(user).get("tasks", box=box).json()["results"] == generic
    inbox = [row["id"] for row in Api(lead_officer).get("tasks").json()["results"]]
    assert inbox == [verify[2], verify[1]]  # overdue first
    overdue = Api(lead_officer).get("tasks", box="inbox", overdue="true").json()  # filtered: through the ORM
    assert [row["id"] for row in overdue["results"]] == [verify[2]] and overdue["results"][0]["overdue"] is True
    assert [row["id"] for row in Api(lead_leader).get("tasks", box="queue").json()["results"]][-1] == verify[4]


def test_long_lists_are_counted_exactly_up_to_the_cap_then_from_the_cache(street_officer, lead_officer, monkeypatch):
    from django.core.cache import cache

    from common import paging

    cache.clear()
    monkeypatch.setattr(paging, "EXACT_UP_TO", 3)
    for n in range(3):
        register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(320 + n)})
    body = Api(lead_officer).get("tasks", box="queue").json()
    assert (body["count"], body["count_exact"]) == (3, True)
    for n in range(2):
        register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(330 + n)})
    body = Api(lead_officer).get("tasks", box="queue", page_size=2).json()
    assert (body["count"], body["count_exact"], len(body["results"])) == (5, False, 2)
    register(street_officer, enterprise={"name": "企业x", "uscc": make_uscc(340)})
    # within the cache's minute the count is the one just taken; after it, the new one
    assert Api(lead_officer).get("tasks", box="queue").json()["count"] == 5
    cache.clear()
    assert Api(lead_officer).get("tasks", box="queue").json()["count"] == 6


def test_a_long_list_reads_its_cached_count_before_counting_again(street_officer, lead_officer, monkeypatch):
    """Past the cap, the next page reads the count the cache holds and counts no index entries;
    with the cache emptied it counts again, and a list grown short is counted exactly once its
    cached count has gone."""
    from django.core.cache import cache

    from common import paging
    from flows.selectors import BoxRows

    cache.clear()
    monkeypatch.setattr(paging, "EXACT_UP_TO", 2)
    for n in range(3):
        register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(350 + n)})
    counted = []
    for name in ("count_up_to", "count"):  # the box's two counting statements, recorded as they run
        original = getattr(BoxRows, name)
        monkeypatch.setattr(BoxRows, name, lambda self, *a, _o=original, _n=name: counted.append(_n) or _o(self, *a))

    def queue():
        counted.clear()
        body = Api(lead_officer).get("tasks", box="queue").json()
        return (body["count"], body["count_exact"]), len(counted)

    assert queue() == ((3, False), 2)  # capped, then whole
    assert queue() == ((3, False), 0)  # from the cache
    cache.clear()
    assert queue() == ((3, False), 2)
    monkeypatch.setattr(paging, "EXACT_UP_TO", 1000)
    cache.clear()
    assert queue() == ((3, True), 1)
