"""Hand-off of the lead (移交): accepted, returned, disputed, and raced."""
import pytest

from cases.models import Case, Handoff

from .conftest import Api, requires_postgres
from .factories import officer
from .scenarios import complete, open_tasks, register, task_id


def test_handoff_returned_once_then_accepted(street_officer, lead_officer, future_date):
    traffic1 = officer("traffic")
    case = register(street_officer, title="危化品运输车辆违规停放")
    complete(lead_officer, case["id"], "verify", "handoff", to_agency="traffic", reason="属道路运输环节")
    accept = open_tasks(case["id"], "accept_handoff")
    assert len(accept) == 1 and accept[0].agency.code == "traffic" and accept[0].due_at
    complete(traffic1, case["id"], "accept_handoff", "return", reason="车辆已驶离，属企业内部管理")
    # back in the sender's verify; the reason is on the trail
    verify = open_tasks(case["id"], "verify")
    assert len(verify) == 1 and verify[0].agency.code == "emergency"
    complete(lead_officer, case["id"], "verify", "handoff", to_agency="traffic", reason="经核实车辆仍在路段")
    complete(traffic1, case["id"], "accept_handoff", "accept", note="接收")
    assert Case.objects.get(pk=case["id"]).lead_agency.code == "traffic"
    assert task_id(case["id"], "verify", "traffic")
    # the sender keeps read access and sees the outcome
    detail = Api(lead_officer).get(f"cases/{case['id']}").json()
    assert detail["lead_agency"] == "traffic"
    assert [h["status"] for h in detail["handoffs"]] == ["returned", "accepted"]
    # the new lead works it to the order
    complete(traffic1, case["id"], "verify", "confirm", grade="general")
    assert open_tasks(case["id"], "order")[0].agency.code == "traffic"


@pytest.mark.parametrize("target, field", [("mars", "to_agency"), ("emergency", "to_agency"), ("", "to_agency")])
def test_handoff_refusals(street_officer, lead_officer, target, field):
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    response = Api(lead_officer).post(f"tasks/{verify}/complete", {"action": "handoff", "to_agency": target, "reason": "r"})
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    response = Api(lead_officer).post(f"tasks/{verify}/complete", {"action": "handoff", "to_agency": "police"})
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    assert not Handoff.objects.exists() and open_tasks(case["id"], "verify")


def test_three_returned_handoffs_go_to_the_safety_office(street_officer, lead_officer, supervisor):
    police1, traffic1 = officer("police"), officer("traffic")
    case = register(street_officer)
    for target, user in (("police", police1), ("traffic", traffic1), ("police", police1)):
        complete(lead_officer, case["id"], "verify", "handoff", to_agency=target, reason="不属本单位")
        complete(user, case["id"], "accept_handoff", "return", reason="也不属本单位")
    assert open_tasks(case["id"], "verify") == []
    settle = open_tasks(case["id"], "settle_lead")
    assert len(settle) == 1 and settle[0].owner_permission == "role:supervisor"
    complete(supervisor, case["id"], "settle_lead", "name_lead", agency="police", note="按职责由公安牵头")
    assert Case.objects.get(pk=case["id"]).lead_agency.code == "police"
    assert task_id(case["id"], "verify", "police")


@pytest.mark.django_db(transaction=True)
def test_two_officers_accepting_one_handoff_at_once(street_officer, lead_officer):
    requires_postgres()
    from flows import services

    from .test_concurrency_pg import _race

    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "handoff", to_agency="police", reason="r")
    accept = task_id(case["id"], "accept_handoff")
    police = [officer("police"), officer("police")]
    outcomes = _race(
        2, lambda i: services.complete_task(user=police[i], task_id=accept, action="accept", data={})
    )
    assert sorted(kind for kind, _ in outcomes) == ["conflict", "ok"], outcomes
    assert len(open_tasks(case["id"], "verify")) == 1
    assert Handoff.objects.get().status == "accepted"
