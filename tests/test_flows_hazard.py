"""A hidden hazard from registration to closure, through the API, as the
users of each step."""
from cases.models import Case, CaseHistory
from flows.models import CaseTask

from .conftest import Api
from .factories import officer
from .scenarios import complete, open_tasks, register, state, task_id


def test_general_hazard_walks_to_closure(street_officer, lead_officer, lead_officer2, lead_leader, future_date):
    case = register(street_officer)
    assert case["number"].startswith("NK-HZ-") and case["state"] == "discovered"
    assert [t["step"] for t in case["open_tasks"]] == ["verify"]
    assert case["open_tasks"][0]["agency"] == "emergency" and case["open_tasks"][0]["due_at"]

    complete(lead_officer, case["id"], "verify", "confirm", grade="general", note="现场核实属实")
    # general, no co-agencies: no consultation, straight to the order
    assert state(lead_officer, case["id"]) == "discovered"
    assert open_tasks(case["id"], "consult") == []
    result = complete(
        lead_officer, case["id"], "order", "issue", deadline=future_date, measures="加装紧急切断阀",
        responsible_person="张三", funds="20万元", contingency_plan="停用储罐",
    )
    assert result["case"]["state"] == "rectifying"
    assert [t["step"] for t in result["next_tasks"]] == ["rectify"]
    assert result["next_tasks"][0]["due_at"].startswith(future_date)

    complete(lead_officer, case["id"], "rectify", "submit", report="已加装并调试")
    assert state(lead_officer, case["id"]) == "reviewing"
    complete(lead_officer2, case["id"], "review", "pass", note="复核合格")
    close = open_tasks(case["id"], "close")
    assert len(close) == 1 and close[0].owner_permission == "agency:emergency:leader"
    result = complete(lead_leader, case["id"], "close", "approve", note="同意销号")
    assert result["case"]["state"] == "closed" and result["next_tasks"] == []
    assert result["case"]["open_tasks"] == []

    history = Api(lead_leader).get(f"cases/{case['id']}/history").json()
    assert [row["action"] for row in history] == [
        "register", "confirm", "document_issued", "issue", "document_issued", "submit", "pass", "document_issued",
        "approve",
    ]
    moves = [(row["from_state"], row["to_state"]) for row in history if row["from_state"] != row["to_state"]]
    assert moves == [("discovered", "rectifying"), ("rectifying", "reviewing"), ("reviewing", "closed")]
    assert all(row["actor"] and row["agency"] and row["at"] for row in history)


def test_major_hazard_consults_in_parallel_and_closes_by_the_safety_office(
    street_officer, lead_officer, lead_officer2, lead_leader, police_officer, supervisor, future_date
):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="major", agencies=["police", "ecology"], criteria=[5])
    assert state(lead_officer, case["id"]) == "consulting"
    consult = open_tasks(case["id"], "consult")
    assert sorted(t.agency.code for t in consult) == ["ecology", "emergency", "police"]

    ecology_officer = officer("ecology")
    complete(police_officer, case["id"], "consult", "object", queue="police", opinion="需补充检测报告")
    complete(lead_officer, case["id"], "consult", "agree", queue="emergency", opinion="同意")
    # the flow waits for every agency
    assert open_tasks(case["id"], "order") == []
    complete(ecology_officer, case["id"], "consult", "agree", queue="ecology", opinion="同意")
    assert len(open_tasks(case["id"], "order")) == 1

    # police and ecology can now read the case; an objection is on record
    assert Api(police_officer).get(f"cases/{case['id']}").status_code == 200
    assert CaseHistory.objects.filter(case_id=case["id"], action="object").exists()

    complete(
        lead_officer, case["id"], "order", "issue", deadline=future_date, measures="m",
        responsible_person="p", funds="f", contingency_plan="c",
    )
    complete(lead_officer, case["id"], "rectify", "submit", report="done")
    # review fails once: back to rectification with a new deadline
    complete(lead_officer2, case["id"], "review", "fail", note="仍有泄漏", deadline=future_date)
    assert state(lead_officer, case["id"]) == "rectifying"
    complete(lead_officer, case["id"], "rectify", "submit", report="再次整改")
    complete(lead_officer2, case["id"], "review", "pass", note="ok")

    close = open_tasks(case["id"], "close")
    assert close[0].owner_permission == "role:supervisor" and close[0].agency.code == "safety_office"
    # the lead agency's leader may not close a major hazard
    response = Api(lead_leader).post(f"tasks/{close[0].pk}/complete", {"action": "approve"})
    assert response.status_code == 403
    # the supervisor rejects once, the review is done again, then approves
    complete(supervisor, case["id"], "close", "reject", note="缺少验收材料")
    assert len(open_tasks(case["id"], "review")) == 1
    complete(lead_officer2, case["id"], "review", "pass", note="已补充")
    complete(supervisor, case["id"], "close", "approve", note="同意销号")
    closed = Case.objects.get(pk=case["id"])
    assert closed.state == "closed" and closed.closed_at and closed.grade == "major" and closed.criteria == [5]


def test_dismissed_at_verification(street_officer, lead_officer):
    case = register(street_officer)
    result = complete(lead_officer, case["id"], "verify", "dismiss", reason="经核实不属于隐患")
    assert result["case"]["state"] == "dismissed"
    assert result["next_tasks"] == [] and result["case"]["open_tasks"] == []


def test_dismissed_at_order_after_objections(street_officer, lead_officer, police_officer):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    complete(police_officer, case["id"], "consult", "object", queue="police", opinion="不属于本案")
    complete(lead_officer, case["id"], "consult", "agree", queue="emergency", opinion="同意")
    result = complete(lead_officer, case["id"], "order", "dismiss", reason="会商意见认为不构成隐患")
    assert result["case"]["state"] == "dismissed"


def test_the_rectifier_may_not_review_their_own_work(street_officer, lead_officer, lead_officer2, future_date):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    complete(
        lead_officer, case["id"], "order", "issue", deadline=future_date, measures="m",
        responsible_person="p", funds="f", contingency_plan="c",
    )
    complete(lead_officer, case["id"], "rectify", "submit", report="done")
    review = task_id(case["id"], "review")
    refused = Api(lead_officer).post(f"tasks/{review}/complete", {"action": "pass"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "four_eyes"
    assert Api(lead_officer).post(f"tasks/{review}/claim").status_code == 403
    assert state(lead_officer, case["id"]) == "reviewing"
    complete(lead_officer2, case["id"], "review", "pass")


def test_a_leader_may_not_assign_the_review_to_the_officer_who_rectified(street_officer, lead_officer, lead_officer2,
                                                                         lead_leader, future_date):
    """The four-eyes rule holds for 指派 too: the leader is refused naming the
    rule and the review stays unassigned; another officer is assigned."""
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    complete(lead_officer, case["id"], "order", "issue", deadline=future_date, measures="m",
             responsible_person="p", funds="f", contingency_plan="c")
    complete(lead_officer, case["id"], "rectify", "submit", report="done")
    review = task_id(case["id"], "review")
    refused = Api(lead_leader).post(f"tasks/{review}/assign", {"username": lead_officer.username})
    assert refused.status_code == 400 and "username" in refused.json()["error"]["fields"]
    assert CaseTask.objects.get(pk=review).owner_id is None
    assert not CaseHistory.objects.filter(case_id=case["id"], action="assign").exists()
    assigned = Api(lead_leader).post(f"tasks/{review}/assign", {"username": lead_officer2.username})
    assert assigned.status_code == 200 and CaseTask.objects.get(pk=review).owner_id == lead_officer2.pk


def test_a_major_hazard_order_suspends_production_until_a_passed_review(street_officer, lead_officer, lead_officer2,
                                                                        future_date):
    """停产停业 with the withdrawal of workers (安全生产法 art. 65(1)(3)); production
    resumes only after a passed review (复产验收), and the case shows 停产整改中 meanwhile."""
    import datetime as dt

    from django.test import Client
    from django.utils import timezone

    from enforcement.models import Document

    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="major", criteria=[5])
    complete(lead_officer, case["id"], "consult", "agree", queue="emergency", opinion="同意")
    order = dict(measures="更换紧急切断阀", responsible_person="王五", funds="5万元", deadline=future_date,
                 contingency_plan="停用储罐区", suspend=True, suspend_scope="液氨储罐区", evacuate=True)
    too_long = (timezone.localdate() + dt.timedelta(days=200)).isoformat()
    refused = Api(lead_officer).post(f"tasks/{task_id(case['id'], 'order')}/complete",
                                     {"action": "issue", **order, "suspend_until": too_long})
    assert refused.status_code == 400 and "suspend_until" in refused.json()["error"]["fields"]
    complete(lead_officer, case["id"], "order", "issue", **order,
             suspend_until=(timezone.localdate() + dt.timedelta(days=60)).isoformat())
    detail = Api(lead_officer).get(f"cases/{case['id']}").json()
    assert detail["suspended"] is True and detail["rectification_order"]["evacuate"] is True
    client = Client()
    client.force_login(lead_officer)
    assert "停产整改中" in client.get(f"/cases/{case['id']}/").content.decode()
    rectification_order = Document.objects.get(case_id=case["id"], type="rectification_order")
    assert rectification_order.facts["suspend"] and rectification_order.facts["suspend_scope"] == "液氨储罐区"

    complete(lead_officer, case["id"], "rectify", "submit", report="已更换")
    complete(lead_officer2, case["id"], "review", "pass", note="复查合格，同意复产")
    detail = Api(lead_officer).get(f"cases/{case['id']}").json()
    assert detail["suspended"] is False and detail["rectification_order"]["resumed_on"]
    assert "停产整改中" not in client.get(f"/cases/{case['id']}/").content.decode()
    opinion = Document.objects.get(case_id=case["id"], type="review_opinion")
    assert opinion.facts["resumed"] is True


def test_a_general_hazard_cannot_be_suspended(street_officer, lead_officer, future_date):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    refused = Api(lead_officer).post(f"tasks/{task_id(case['id'], 'order')}/complete", {
        "action": "issue", "measures": "m", "responsible_person": "p", "funds": "f", "deadline": future_date,
        "contingency_plan": "c", "suspend": True, "suspend_scope": "全厂", "suspend_until": future_date})
    assert refused.status_code == 400 and "suspend" in refused.json()["error"]["fields"]
