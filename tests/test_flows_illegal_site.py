"""An illegal small chemical site (非法违法“小化工”): joint inspection, a ban
referred to the police as the rules on transfers have it: the head approves,
the police open a case, return the file or decline; a declined referral may
be reconsidered; then rectification, 回头看 and closure."""
from cases.models import Case
from enforcement.models import Document, Referral

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
    # the head of the bureau approves the transfer (3 days)
    approval = open_tasks(case["id"], "approve_referral")
    assert len(approval) == 1 and approval[0].owner_permission == "agency:emergency:leader" and approval[0].due_at
    assert Api(lead_officer).post(f"tasks/{approval[0].pk}/complete", {"action": "approve"}).status_code == 403
    complete(lead_leader, case["id"], "approve_referral", "approve")
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
    complete(lead_leader, case["id"], "approve_referral", "approve")
    complete(police_officer, case["id"], "police_review", "accept", police_case_no="津公南刑2026-0815")
    assert state(lead_officer, case["id"]) == "rectifying"
    referrals = Referral.objects.filter(case_id=case["id"]).order_by("id")
    assert [r.status for r in referrals] == ["returned", "accepted"]
    assert referrals[1].police_case_no == "津公南刑2026-0815" and "expert_opinion" in referrals[1].documents
    assert referrals[1].approved_by == lead_leader

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
    complete(officer("emergency", role="leader"), case["id"], "approve_referral", "approve")
    review = task_id(case["id"], "police_review")
    response = Api(lead_officer).post(f"tasks/{review}/complete", {"action": "accept", "police_case_no": "x"})
    assert response.status_code == 403
    traffic = officer("traffic")
    assert Api(traffic).post(f"tasks/{review}/complete", {"action": "accept", "police_case_no": "x"}).status_code == 404


def _to_police(case_id, lead_officer, police_officer, street_officer, future_date):
    complete(lead_officer, case_id, "verify", "confirm")
    for agency, user in (("emergency", lead_officer), ("police", police_officer), ("street_changhong", street_officer)):
        complete(user, case_id, "inspect", "record", queue=agency, findings="f")
    complete(lead_officer, case_id, "decide", "ban", measures="取缔", deadline=future_date, refer_police=True,
             referral_reason="涉嫌非法储存危险物质罪", documents=["transfer_letter"])


def test_the_head_who_does_not_approve_the_transfer_sends_the_case_back_with_the_reason(
        street_officer, lead_officer, lead_leader, police_officer, future_date):
    case = register(street_officer, kind="illegal_site")
    _to_police(case["id"], lead_officer, police_officer, street_officer, future_date)
    refused = Api(lead_leader).post(f"tasks/{task_id(case['id'], 'approve_referral')}/complete", {"action": "refuse"})
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    complete(lead_leader, case["id"], "approve_referral", "refuse", reason="证据不足以认定涉嫌犯罪")
    referral = Referral.objects.get(case_id=case["id"])
    assert (referral.status, referral.refusal_reason) == ("refused", "证据不足以认定涉嫌犯罪")
    assert open_tasks(case["id"], "police_review") == [] and len(open_tasks(case["id"], "decide")) == 1
    assert not Document.objects.filter(case_id=case["id"], type="criminal_referral").exists()  # nothing transferred


def test_a_declined_referral_reconsidered_and_upheld_goes_on_as_an_administrative_case(
        street_officer, lead_officer, lead_leader, police_officer, future_date):
    case = register(street_officer, kind="illegal_site")
    _to_police(case["id"], lead_officer, police_officer, street_officer, future_date)
    complete(lead_leader, case["id"], "approve_referral", "approve")
    assert Document.objects.filter(case_id=case["id"], type="criminal_referral").count() == 1  # 移送书 on approval
    refused = Api(police_officer).post(f"tasks/{task_id(case['id'], 'police_review')}/complete", {"action": "decline"})
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]  # a written reason
    complete(police_officer, case["id"], "police_review", "decline", reason="犯罪事实显著轻微")
    reconsider = open_tasks(case["id"], "reconsider")
    assert len(reconsider) == 1 and reconsider[0].agency.code == "emergency" and reconsider[0].due_at
    detail = Api(lead_officer).get(f"cases/{case['id']}").json()
    assert detail["referrals"][0]["status"] == "declined"
    assert detail["referrals"][0]["decline_reason"] == "犯罪事实显著轻微"  # the police's reason, shown to the lead
    complete(lead_officer, case["id"], "reconsider", "request", reason="储存量已达立案追诉标准")
    assert Referral.objects.get(case_id=case["id"]).status == "reconsidering"
    assert Api(lead_officer).post(f"tasks/{task_id(case['id'], 'police_reconsider')}/complete",
                                  {"action": "uphold", "reason": "x"}).status_code == 403
    complete(police_officer, case["id"], "police_reconsider", "uphold", reason="复议维持原决定")
    referral = Referral.objects.get(case_id=case["id"])
    assert (referral.status, referral.reconsider_reason, referral.uphold_reason) == (
        "upheld", "储存量已达立案追诉标准", "复议维持原决定")
    assert state(lead_officer, case["id"]) == "rectifying" and len(open_tasks(case["id"], "rectify")) == 1


def test_a_declined_referral_not_reconsidered_and_one_accepted_on_reconsideration(
        street_officer, lead_officer, lead_leader, police_officer, future_date):
    dropped = register(street_officer, kind="illegal_site")
    _to_police(dropped["id"], lead_officer, police_officer, street_officer, future_date)
    complete(lead_leader, dropped["id"], "approve_referral", "approve")
    complete(police_officer, dropped["id"], "police_review", "decline", reason="不构成犯罪")
    complete(lead_officer, dropped["id"], "reconsider", "drop", note="依法给予行政处罚")
    assert Referral.objects.get(case_id=dropped["id"]).status == "dropped"
    assert state(lead_officer, dropped["id"]) == "rectifying"

    accepted = register(street_officer, kind="illegal_site")
    _to_police(accepted["id"], lead_officer, police_officer, street_officer, future_date)
    complete(lead_leader, accepted["id"], "approve_referral", "approve")
    complete(police_officer, accepted["id"], "police_review", "decline", reason="不构成犯罪")
    complete(lead_officer, accepted["id"], "reconsider", "request", reason="请复议")
    complete(police_officer, accepted["id"], "police_reconsider", "accept", police_case_no="津公南刑2026-0901")
    referral = Referral.objects.get(case_id=accepted["id"])
    assert (referral.status, referral.police_case_no) == ("accepted", "津公南刑2026-0901")


def test_the_illegal_sites_review_is_the_re_check_against_resurgence():
    from django.utils import translation

    from flows.kinds.illegal_site import KIND

    with translation.override("en"):
        assert str(KIND.step("review").task_title) == "Re-check (回头看)"
    assert str(KIND.step("review").task_title) == "回头看"
