"""挂牌督办 as practice has it: the safety office lists a major hazard with a
notice and a deadline of at most a year, publishes it within 5 working days,
grants at most one extension, and removes it (摘牌) only after the
rectification passed review; a listed case cannot be closed before."""
import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from cases.models import Case, CaseHistory
from enforcement.models import Document
from org.calendar import add_working_days
from org.models import Notification
from supervision.models import Listing

from .conftest import Api
from .scenarios import complete, register


def major(street_officer, lead_officer):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="major", criteria=[5])
    complete(lead_officer, case["id"], "consult", "agree", queue="emergency", opinion="同意")
    return case


def in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def listed(street_officer, lead_officer, lead_leader, supervisor):
    case = major(street_officer, lead_officer)
    response = Api(supervisor).post("supervision/listings", {
        "case": case["id"], "deadline": in_days(90), "requirements": "90日内完成紧急切断改造，期间停用2号储罐"})
    assert response.status_code == 201, response.json()
    return case, response.json()


def test_the_safety_office_lists_a_major_hazard_with_a_notice(listed, lead_leader):
    case, listing = listed
    stored = Case.objects.get(pk=case["id"])
    assert stored.listed and listing["state"] == "listed" and listing["responsible_agency"] == "emergency"
    today = timezone.localdate()
    assert listing["publication_due"] == add_working_days(today, 5).isoformat()
    notice = Document.objects.get(case_id=case["id"], type="listing_notice")
    assert notice.agency.code == "safety_office" and notice.facts["deadline"] == in_days(90)
    assert "90日内完成紧急切断改造" in notice.facts["requirements"] and notice.facts["criteria"]
    assert CaseHistory.objects.filter(case_id=case["id"], action="listed").count() == 1
    assert Notification.objects.filter(recipient=lead_leader, subject__contains=case["number"]).exists()
    detail = Api(lead_leader).get(f"cases/{case['id']}").json()
    assert detail["listing"] == {"id": listing["id"], "deadline": in_days(90), "state": "listed"}


def test_listing_refusals(street_officer, lead_officer, supervisor, lead_leader):
    case = major(street_officer, lead_officer)
    api = Api(supervisor)
    body = {"case": case["id"], "requirements": "r"}
    assert Api(lead_leader).post("supervision/listings", {**body, "deadline": in_days(30)}).status_code == 403
    assert api.post("supervision/listings", {**body, "deadline": in_days(400)}).status_code == 400  # > a year
    assert api.post("supervision/listings", {**body, "deadline": in_days(-1)}).status_code == 400
    assert api.post("supervision/listings", {**body, "deadline": "2026-02-30"}).status_code == 400
    assert api.post("supervision/listings", {"case": case["id"], "deadline": in_days(30)}).status_code == 400
    general = register(street_officer)
    complete(lead_officer, general["id"], "verify", "confirm", grade="general")
    refused = api.post("supervision/listings", {**body, "case": general["id"], "deadline": in_days(30)})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_major"
    assert api.post("supervision/listings", {**body, "deadline": in_days(30)}).status_code == 201
    assert api.post("supervision/listings", {**body, "deadline": in_days(30)}).status_code == 409  # already listed
    assert Listing.objects.count() == 1 and not Case.objects.get(pk=general["id"]).listed


def test_publication_is_recorded_once_and_late_publication_shows_on_the_board(listed, supervisor):
    case, listing = listed
    client = Client()
    with time_machine.travel(timezone.now() + dt.timedelta(days=10)):
        client.force_login(supervisor)
        board = client.get("/supervision/").content.decode()
        assert case["number"] in board and "1 项公示逾期" in board.replace(" ", " ")
    api = Api(supervisor)
    assert api.post(f"supervision/listings/{listing['id']}/publish", {"channel": "南开区人民政府网站"}).status_code == 200
    again = api.post(f"supervision/listings/{listing['id']}/publish", {"channel": "x"})
    assert again.status_code == 409
    assert Listing.objects.get().publication_channel == "南开区人民政府网站"


def test_the_lead_agency_may_ask_once_for_an_extension_and_the_safety_office_decides(
        listed, lead_officer, supervisor, street_officer, police_officer):
    case, listing = listed
    path = f"supervision/listings/{listing['id']}"
    ask = {"reason": "设备订货周期长", "new_deadline": in_days(150)}
    assert Api(street_officer).post(f"{path}/extend", ask).status_code == 403  # sees it, not responsible
    assert Api(police_officer).post(f"{path}/extend", ask).status_code == 404  # does not see the case
    assert Api(lead_officer).post(f"{path}/extend", {**ask, "new_deadline": in_days(80)}).status_code == 400
    assert Api(lead_officer).post(f"{path}/extend", ask).status_code == 200
    assert Api(lead_officer).post(f"{path}/extend", ask).status_code == 409  # once
    assert Api(supervisor).post(f"{path}/refuse", {}).status_code == 400  # a refusal says why
    assert Api(lead_officer).post(f"{path}/grant", {}).status_code == 403
    granted = Api(supervisor).post(f"{path}/grant", {"note": "同意延期"})
    assert granted.status_code == 200 and granted.json()["deadline"] == in_days(150)
    assert Api(supervisor).post(f"{path}/grant", {}).status_code == 409  # nothing waits
    assert Api(lead_officer).post(f"{path}/extend", ask).status_code == 409  # still once


def test_an_extension_is_asked_for_before_the_deadline(listed, lead_officer):
    case, listing = listed
    with time_machine.travel(timezone.now() + dt.timedelta(days=95)):
        refused = Api(lead_officer).post(f"supervision/listings/{listing['id']}/extend",
                                         {"reason": "r", "new_deadline": in_days(150)})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "past_deadline"


def test_removal_only_after_a_passed_review_and_closure_only_after_removal(
        listed, lead_officer, lead_officer2, supervisor, future_date):
    case, listing = listed
    path = f"supervision/listings/{listing['id']}"
    complete(lead_officer, case["id"], "order", "issue", measures="改造", responsible_person="王五", funds="5万元",
             deadline=future_date, contingency_plan="停用")
    early = Api(lead_officer).post(f"{path}/remove", {"report": "已整改"})
    assert early.status_code == 409 and early.json()["error"]["code"] == "review_not_passed"
    complete(lead_officer, case["id"], "rectify", "submit", report="已完成改造")
    complete(lead_officer2, case["id"], "review", "pass", note="复查合格")

    # the review passed: the case waits for the safety office's closure, which is refused while listed
    close = Api(supervisor).post(f"tasks/{_task(case, 'close')}/complete", {"action": "approve"})
    assert close.status_code == 409 and "摘牌" in close.json()["error"]["message"]
    assert Case.objects.get(pk=case["id"]).state == "reviewing"

    assert Api(supervisor).post(f"{path}/approve_removal", {}).status_code == 409  # nobody asked
    assert Api(lead_officer).post(f"{path}/remove", {"report": ""}).status_code == 400
    assert Api(lead_officer).post(f"{path}/remove", {"report": "整改完成，复查合格"}).status_code == 200
    assert Api(lead_officer).post(f"{path}/approve_removal", {}).status_code == 403
    removed = Api(supervisor).post(f"{path}/approve_removal", {"note": "同意摘牌"})
    assert removed.status_code == 200 and removed.json()["state"] == "removed"
    assert not Case.objects.get(pk=case["id"]).listed
    delisting = Document.objects.get(case_id=case["id"], type="delisting_notice")
    notice = Document.objects.get(case_id=case["id"], type="listing_notice")
    assert delisting.facts["notice_number"] == notice.number
    assert removed.json()["removal_publication_due"] == add_working_days(timezone.localdate(), 5).isoformat()
    assert Api(supervisor).post(f"{path}/publish", {"channel": "公示栏"}).json()["removal_published_on"]

    assert Api(supervisor).post(f"tasks/{_task(case, 'close')}/complete", {"action": "approve"}).status_code == 200
    assert Case.objects.get(pk=case["id"]).state == "closed"


def _task(case, step):
    from .scenarios import task_id

    return task_id(case["id"], step)


def test_the_case_page_shows_the_listing_and_offers_each_side_its_action(listed, lead_officer, supervisor,
                                                                         other_officer):
    case, listing = listed
    client = Client()
    client.force_login(lead_officer)
    html = client.get(f"/cases/{case['id']}/").content.decode()
    assert "挂牌督办" in html and "申请延期" in html and "申请摘牌" in html and "批准摘牌" not in html
    client.force_login(supervisor)
    html = client.get(f"/cases/{case['id']}/").content.decode()
    assert "记录公示" in html and "申请延期" not in html
    response = client.post(f"/supervision/listings/{listing['id']}/publish/", {"channel": "网站"})
    assert response.status_code == 302 and Listing.objects.get().published_on
    client.force_login(other_officer)
    assert client.post(f"/supervision/listings/{listing['id']}/extend/", {"reason": "x"}).status_code == 404
