"""A hazardous-waste referral, led by the ecology bureau with the emergency
bureau always consulted; the rectification records the transfer manifest."""
from cases.models import Case

from .conftest import Api
from .factories import officer
from .scenarios import complete, open_tasks, register, task_id


def test_waste_referral_walks_to_closure(street_officer, lead_officer, future_date):
    ecology1, ecology2 = officer("ecology"), officer("ecology")
    ecology_leader = officer("ecology", role="leader")
    case = register(street_officer, kind="waste_referral", title="废弃危化品桶堆放")
    assert case["number"].startswith("NK-WR-") and case["lead_agency"] == "ecology"
    # the emergency bureau is not the lead: the verify task is ecology's
    assert Api(lead_officer).get("tasks", box="queue").json()["count"] == 0

    complete(ecology1, case["id"], "verify", "confirm", note="属危险废物")
    consult = open_tasks(case["id"], "consult")
    assert sorted(t.agency.code for t in consult) == ["ecology", "emergency"]
    complete(ecology1, case["id"], "consult", "agree", queue="ecology", opinion="同意")
    complete(lead_officer, case["id"], "consult", "agree", queue="emergency", opinion="同意，注意防爆")

    complete(ecology1, case["id"], "order", "issue", deadline=future_date, disposal_unit="天津合佳威立雅环境服务有限公司",
             measures="委托有资质单位处置")
    rectify = task_id(case["id"], "rectify")
    missing = Api(ecology1).post(f"tasks/{rectify}/complete", {"action": "submit", "report": "已转移"})
    assert missing.status_code == 400 and "manifest_no" in missing.json()["error"]["fields"]
    complete(ecology1, case["id"], "rectify", "submit", report="已转移处置", manifest_no="1201042026110001")
    complete(ecology2, case["id"], "review", "pass")
    complete(ecology_leader, case["id"], "close", "approve")
    closed = Case.objects.get(pk=case["id"])
    assert closed.state == "closed"
    assert closed.rectification_order["disposal_unit"] == "天津合佳威立雅环境服务有限公司"
    submit = closed.history.get(action="submit")
    assert submit.data["manifest_no"] == "1201042026110001"
