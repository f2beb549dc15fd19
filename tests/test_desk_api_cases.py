"""POST/GET cases: registration refusals, the list's filters and visibility."""
import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case, CaseHistory
from flows.models import CaseTask

from .conftest import Api
from .factories import hazard_payload, make_uscc
from .scenarios import complete, register


def _nothing_written():
    return Case.objects.count() == 0 and CaseHistory.objects.count() == 0 and CaseTask.objects.count() == 0


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"enterprise": {"name": "某公司", "uscc": "91110108551385082A"}}, "enterprise.uscc"),
        ({"enterprise": {"name": "某公司", "uscc": "123"}}, "enterprise.uscc"),
        ({"kind": "fire"}, "kind"),
        ({"street": "atlantis"}, "street"),
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"address": ""}, "address"),
        ({"grade": "huge"}, "grade"),
    ],
)
def test_registration_refuses_bad_input_and_writes_nothing(street_officer, overrides, field):
    response = Api(street_officer).post("cases", hazard_payload(**overrides))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]
    assert _nothing_written()


def test_registration_refuses_a_missing_field_and_a_non_object_body(street_officer):
    payload = hazard_payload()
    del payload["street"]
    response = Api(street_officer).post("cases", payload)
    assert response.status_code == 400 and "street" in response.json()["error"]["fields"]
    response = Api(street_officer).client.post("/api/v1/cases", [1, 2], format="json")
    assert response.status_code == 400
    assert _nothing_written()


def test_registration_accepts_street_code_and_numbers_cases_per_kind(street_officer):
    first = register(street_officer)
    second = register(street_officer, street="street_gulou", enterprise={"name": "乙公司", "uscc": make_uscc(2)})
    assert second["street"] == "street_gulou"
    assert int(second["number"][-6:]) == int(first["number"][-6:]) + 1
    assert first["number"][:11] == second["number"][:11]


def test_unauthenticated_requests_get_401():
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/cases")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


def test_case_visibility(street_officer, lead_officer, other_officer, police_officer, supervisor):
    case = register(street_officer)
    assert Api(lead_officer).get(f"cases/{case['id']}").status_code == 200
    assert Api(supervisor).get(f"cases/{case['id']}").status_code == 200
    # the street where it lies sees it; another street does not
    assert Api(street_officer).get(f"cases/{case['id']}").status_code == 200
    for outsider in (other_officer, police_officer):
        for path in (f"cases/{case['id']}", f"cases/{case['id']}/history"):
            response = Api(outsider).get(path)
            assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
        assert Api(outsider).get("cases").json()["count"] == 0
    assert Api(lead_officer).get("cases/999999").status_code == 404
    assert Api(lead_officer).get("cases/abc").status_code == 404
    # joining the consultation makes the case visible to police
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    assert Api(police_officer).get(f"cases/{case['id']}").status_code == 200
    assert Api(other_officer).get(f"cases/{case['id']}").status_code == 404


def test_case_list_filters_and_pagination(street_officer, lead_officer, supervisor):
    a = register(street_officer, title="甲醇泄漏")
    b = register(street_officer, title="液氨储罐", enterprise={"name": "乙公司", "uscc": make_uscc(3)})
    complete(lead_officer, a["id"], "verify", "dismiss", reason="不属实")
    me = Api(supervisor)
    assert me.get("cases", state="dismissed").json()["count"] == 1
    assert me.get("cases", state="discovered").json()["count"] == 1
    assert me.get("cases", q="液氨").json()["results"][0]["title"] == "液氨储罐"
    assert me.get("cases", street="street_changhong").json()["count"] == 2
    assert me.get("cases", lead_agency="emergency", kind="hazard").json()["count"] == 2
    assert me.get("cases", overdue="true").json()["count"] == 0
    assert me.get("cases", overdue="false").json()["count"] == 2
    # past its due time, an open case is overdue; a dismissed one is not, whatever its due time
    Case.objects.filter(pk__in=[a["id"], b["id"]]).update(due_at=timezone.now() - dt.timedelta(days=1))
    late = me.get("cases", overdue="true", street="street_changhong").json()
    assert [row["id"] for row in late["results"]] == [b["id"]] and late["count"] == 1
    assert [row["id"] for row in me.get("cases", overdue="false").json()["results"]] == [a["id"]]
    assert me.get("cases", overdue="true", state="dismissed").json()["count"] == 0
    page = me.get("cases", page_size=1).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]
    for bad in ({"state": "lost"}, {"street": "nowhere"}, {"page_size": 500}, {"page_size": "x"}):
        response = me.get("cases", **bad)
        assert response.status_code == 400, bad
        assert response.json()["error"]["fields"]


def test_the_case_list_costs_the_same_statements_however_many_cases(street_officer, supervisor):
    """Its rows are read with their agencies' codes and none of the case's JSON
    (``CaseListSerializer.LIST_COLUMNS``): a longer page costs no statement more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    me = Api(supervisor)

    def statements(**filters) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert me.get("cases", **filters).status_code == 200
        return len(captured)

    register(street_officer)
    few = statements(), statements(street="street_changhong", overdue="true")
    for n in range(4):
        register(street_officer, enterprise={"name": f"公司{n}", "uscc": make_uscc(20 + n)})
    assert (statements(), statements(street="street_changhong", overdue="true")) == few
    row = me.get("cases").json()["results"][0]
    assert set(row) == {"id", "number", "kind", "grade", "title", "state", "lead_agency", "street", "created_at",
                        "due_at", "overdue", "supervision_level"} and row["street"] == "street_changhong"
