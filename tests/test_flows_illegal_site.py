"""An illegal small chemical site (非法违法“小化工”): joint inspection,
a ban referred to the police, returned once, then accepted, and closed."""
from cases.models import Case
from enforcement.models import Referral

from .conftest import Api
from .factories import officer
from .scenarios import complete, open_tasks, register, state, task_id


def test_illegal_site_with_a_referral_returned_once_then_accepted(
    street_officer, lead_officer, lead_officer2, lead_leader, police_officer, future_date
):
    case = register(street_officer, kind="illegal_site", title="居民楼内私存危险化学品")
    assert case["number"].startswith("NK-IS-")
    complete(lead_officer, case["id"], "verify", "confirm", note="现场核实")
    inspections = open_tasks(case["id"], "inspect")
    assert sorted(t.agency.code for t in inspections) == ["emergency", "police", "street_changhong"]

    complete(lead_officer, case["id"], "inspect", "record", queue="emergency", findings="存放约200升甲苯")
    complete(police_officer, case["id"], "inspect", "record", queue="police", findings="无经营许可")
    assert open_tasks(case["id"], "decide") == []
    complete(street_officer, case["id"], "inspect", "record", queue="street_changhong", findings="已设警戒")

    ban = dict(measures="立即取缔，清运危化品", deadline=future_date, refer_police=True,
               referral_reason="涉嫌非法储存危险物质罪", documents=["transfer_letter", "investigation_report"])
    complete(lead_officer, case["id"], "decide", "ban", **ban)
    review = open_tasks(case["id"], "police_review")
    assert len(review) == 1 and review[0].agency.code == "police" and review[0].due_at
    assert state(lead_officer, case["id"]) == "consulting"

    # the police return it with a reason: back to decide, the reason on record
    refused = Api(police_officer).post(f"tasks/{review[0].pk}/complete", {"action": "return"})
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    complete(police_officer, case["id"], "police_review", "return", reason="证据不足，请补充鉴定意见")
    detail = Api(lead_officer).get(f"cases/{case['id']}").json()
    assert [t["step"] for t in detail["open_tasks"]] == ["decide"]
    assert detail["referrals"][0]["status"] == "returned"
    assert detail["referrals"][0]["return_reason"] == "证据不足，请补充鉴定意见"

    ban["documents"] = ["transfer_letter", "investigation_report", "expert_opinion"]
    complete(lead_officer, case["id"], "decide", "ban", **ban)
    complete(police_officer, case["id"], "police_review", "accept", police_case_no="津公南刑2026-0815")
    assert state(lead_officer, case["id"]) == "rectifying"
    referrals = Referral.objects.filter(case_id=case["id"]).order_by("id")
    assert [r.status for r in referrals] == ["returned", "accepted"]
    assert referrals[1].police_case_no == "津公南刑2026-0815" and "expert_opinion" in referrals[1].documents

    complete(lead_officer, case["id"], "rectify", "submit", report="已清运并拆除")
    complete(lead_officer2, case["id"], "review", "pass", note="回头看未发现复燃")
    complete(lead_leader, case["id"], "close", "approve")
    assert Case.objects.get(pk=case["id"]).state == "closed"


def test_ban_without_referral_goes_straight_to_rectification(street_officer, lead_officer, police_officer, future_date):
    case = register(street_officer, kind="illegal_site")
    complete(lead_officer, case["id"], "verify", "confirm")
    for agency, user in (("emergency", lead_officer), ("police", police_officer), ("street_changhong", street_officer)):
        complete(user, case["id"], "inspect", "record", queue=agency, findings="f")
    complete(lead_officer, case["id"], "decide", "ban", measures="取缔", deadline=future_date)
    assert open_tasks(case["id"], "police_review") == []
    assert len(open_tasks(case["id"], "rectify")) == 1


def test_a_referral_needs_its_reason_and_transfer_letter(street_officer, lead_officer, police_officer, future_date):
    case = register(street_officer, kind="illegal_site")
    complete(lead_officer, case["id"], "verify", "confirm")
    for agency, user in (("emergency", lead_officer), ("police", police_officer), ("street_changhong", street_officer)):
        complete(user, case["id"], "inspect", "record", queue=agency, findings="f")
    decide = task_id(case["id"], "decide")
    response = Api(lead_officer).post(
        f"tasks/{decide}/complete",
        {"action": "ban", "measures": "m", "deadline": future_date, "refer_police": True, "documents": ["seized_items"]},
    )
    assert response.status_code == 400
    assert {"referral_reason", "documents"} <= set(response.json()["error"]["fields"])
    assert not Referral.objects.exists()


def test_only_the_police_review_a_referral(street_officer, lead_officer, police_officer, future_date):
    case = register(street_officer, kind="illegal_site")
    complete(lead_officer, case["id"], "verify", "confirm")
    for agency, user in (("emergency", lead_officer), ("police", police_officer), ("street_changhong", street_officer)):
        complete(user, case["id"], "inspect", "record", queue=agency, findings="f")
    complete(lead_officer, case["id"], "decide", "ban", measures="m", deadline=future_date, refer_police=True,
             referral_reason="r", documents=["transfer_letter"])
    review = task_id(case["id"], "police_review")
    response = Api(lead_officer).post(f"tasks/{review}/complete", {"action": "accept", "police_case_no": "x"})
    assert response.status_code == 403
    traffic = officer("traffic")
    assert Api(traffic).post(f"tasks/{review}/complete", {"action": "accept", "police_case_no": "x"}).status_code == 404
