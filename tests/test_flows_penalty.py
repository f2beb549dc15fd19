"""Administrative penalties (行政处罚): filed by a leader, investigated by two
officers, reviewed, notified, heard when asked, decided within the
provision's range after the notice's periods, served, paid and closed; and
each refusal on the way."""
import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case
from enforcement.models import Document, Provision

from .conftest import Api
from .factories import officer, penalty_payload
from .scenarios import complete, register, task_id


@pytest.fixture
def people(lead_officer, lead_officer2, lead_leader):
    return {"o1": lead_officer, "o2": lead_officer2, "leader": lead_leader,
            "o3": officer("emergency", username="em_officer3")}


def later(days: int):
    return time_machine.travel(timezone.now() + dt.timedelta(days=days), tick=False)


def open_penalty(people, **overrides) -> dict:
    case = register(people["o1"], **penalty_payload(**overrides))
    assert case["number"].startswith("NK-AP-") and case["lead_agency"] == "emergency"
    return case


def file_and_investigate(people, case_id: int) -> None:
    complete(people["leader"], case_id, "file", "approve", note="同意立案")
    complete(people["o1"], case_id, "investigate", "submit", co_officer="em_officer2", findings="未专库储存",
             evidence="现场检查笔录、询问笔录、照片", provisions=["hcsr-80"])
    complete(people["o3"], case_id, "legal_review", "pass", opinion="事实清楚，证据确凿，适用依据正确")


def test_penalty_walks_from_filing_to_closing(people):
    case = open_penalty(people)
    file_and_investigate(people, case["id"])
    filed = Case.objects.get(pk=case["id"])
    assert filed.details["decision_due"] == (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    assert filed.details["provisions"][0]["version"] == "2013年修订"

    complete(people["o1"], case["id"], "notify", "notify", provision="hcsr-80", amount="60000",
             reasons="未将危险化学品储存在专用仓库内")
    notice = Case.objects.get(pk=case["id"]).details["notice"]
    assert notice["hearing"] is True  # 6万 is a large fine (较大数额) for a unit
    types = set(Document.objects.filter(case_id=case["id"]).values_list("type", flat=True))
    assert {"filing_approval", "penalty_notice", "hearing_notice"} <= types

    complete(people["o1"], case["id"], "answer", "statement", statement="已整改，请求从轻", adopted=False)
    with later(10):
        complete(people["o1"], case["id"], "decide", "decide", provision="hcsr-80", amount="55000",
                 reasons="事实清楚", discussed_on=timezone.localdate().isoformat(),
                 discussion="局长、分管副局长、法规科：同意罚款5.5万元")
        complete(people["o1"], case["id"], "serve", "served", served_on=timezone.localdate().isoformat(),
                 method="direct", recipient="张经理")
        complete(people["o2"], case["id"], "execute", "paid", receipt_no="PJ2026000123",
                 paid_on=timezone.localdate().isoformat(), amount_paid="55000")
        complete(people["leader"], case["id"], "close", "approve")
    closed = Case.objects.get(pk=case["id"])
    assert closed.state == "closed"
    decision = Document.objects.get(case=closed, type="penalty_decision")
    assert decision.served_at is not None and "罚款人民币55,000元" in decision.facts["penalty"]
    assert Document.objects.filter(case=closed, type="closing_approval").exists()
    facts = Api(people["o1"]).get(f"cases/{case['id']}").json()["facts"]
    assert any("PJ2026000123" in row["value"] for row in facts)


def test_an_amount_outside_the_provisions_range_is_refused_with_the_range(people):
    case = open_penalty(people)
    file_and_investigate(people, case["id"])
    response = Api(people["o1"]).post(f"tasks/{task_id(case['id'], 'notify')}/complete", {
        "action": "notify", "provision": "hcsr-80", "amount": "20000", "reasons": "未专库储存"})
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["amount"][0]
    assert "50,000" in message and "100,000" in message


def test_a_recalled_provision_says_to_be_checked_until_confirmed(people):
    Provision.objects.filter(code="hcsr-80").update(status="recalled", confirmed=False)
    case = open_penalty(people)
    file_and_investigate(people, case["id"])
    response = Api(people["o1"]).post(f"tasks/{task_id(case['id'], 'notify')}/complete", {
        "action": "notify", "provision": "hcsr-80", "amount": "1", "reasons": "x"})
    assert "待核对" in response.json()["error"]["fields"]["amount"][0] or "to be confirmed" in \
        response.json()["error"]["fields"]["amount"][0]


def test_no_decision_before_the_notice_periods_end_and_none_heavier_than_notified(people):
    case = open_penalty(people)
    file_and_investigate(people, case["id"])
    complete(people["o1"], case["id"], "notify", "notify", provision="hcsr-80", amount="50000", reasons="x")
    complete(people["o1"], case["id"], "answer", "none")
    decide = task_id(case["id"], "decide")
    body = {"action": "decide", "provision": "hcsr-80", "amount": "50000", "reasons": "x",
            "discussed_on": timezone.localdate().isoformat(), "discussion": "集体讨论"}
    early = Api(people["o1"]).post(f"tasks/{decide}/complete", body)
    assert early.status_code == 400 and "__all__" in early.json()["error"]["fields"]
    with later(10):
        heavier = Api(people["o1"]).post(f"tasks/{decide}/complete", {**body, "amount": "80000"})
        assert heavier.status_code == 400 and "amount" in heavier.json()["error"]["fields"]
        no_discussion = Api(people["o1"]).post(f"tasks/{decide}/complete", {**body, "discussed_on": "",
                                                                             "discussion": ""})
        assert "discussed_on" in no_discussion.json()["error"]["fields"]
        assert Api(people["o1"]).post(f"tasks/{decide}/complete", body).status_code == 200


def test_a_hearing_asked_late_is_refused_and_one_asked_in_time_is_held(people):
    case = open_penalty(people)
    file_and_investigate(people, case["id"])
    complete(people["o1"], case["id"], "notify", "notify", provision="hcsr-80", amount="60000", reasons="x")
    answer = task_id(case["id"], "answer")
    with later(12):
        late = Api(people["o1"]).post(f"tasks/{answer}/complete", {
            "action": "request_hearing", "requested_on": timezone.localdate().isoformat()})
        assert late.status_code == 400 and "requested_on" in late.json()["error"]["fields"]
    complete(people["o1"], case["id"], "answer", "request_hearing", requested_on=timezone.localdate().isoformat())
    hearing = task_id(case["id"], "hearing")
    told = timezone.localdate().isoformat()
    chaired_by_investigator = Api(people["o3"]).post(f"tasks/{hearing}/complete", {
        "action": "held", "told_on": told, "held_on": told, "chair": "em_officer2", "transcript": "x"})
    assert "chair" in chaired_by_investigator.json()["error"]["fields"]
    too_soon = Api(people["o3"]).post(f"tasks/{hearing}/complete", {
        "action": "held", "told_on": told, "held_on": told, "chair": "em_officer3", "transcript": "x"})
    assert "held_on" in too_soon.json()["error"]["fields"]  # 7 working days' notice of the time and place
    with later(14):
        complete(people["o3"], case["id"], "hearing", "held", told_on=told, held_on=timezone.localdate().isoformat(),
                 chair="em_officer3", transcript="当事人陈述意见")
        # the hearing asked for ends the waiting: the decision may follow at once
        complete(people["o1"], case["id"], "decide", "decide", provision="hcsr-80", amount="60000", reasons="x",
                 discussed_on=timezone.localdate().isoformat(), discussion="集体讨论")
    assert task_id(case["id"], "serve")


def test_a_hearing_asked_after_a_statement_but_in_time_is_held_once(people):
    case = open_penalty(people)
    file_and_investigate(people, case["id"])
    complete(people["o1"], case["id"], "notify", "notify", provision="hcsr-80", amount="60000", reasons="x")
    complete(people["o1"], case["id"], "answer", "statement", statement="对事实无异议，请求从轻")
    today = timezone.localdate().isoformat()
    complete(people["o1"], case["id"], "decide", "request_hearing", requested_on=today)  # still within the time
    assert task_id(case["id"], "hearing")
    with later(14):
        complete(people["o3"], case["id"], "hearing", "held", told_on=today, held_on=timezone.localdate().isoformat(),
                 chair="em_officer3", transcript="当事人陈述意见")
        again = Api(people["o1"]).post(f"tasks/{task_id(case['id'], 'decide')}/complete", {
            "action": "request_hearing", "requested_on": timezone.localdate().isoformat()})
        assert again.status_code == 400 and "requested_on" in again.json()["error"]["fields"]


def test_investigation_needs_a_second_officer(people):
    case = open_penalty(people)
    complete(people["leader"], case["id"], "file", "approve")
    response = Api(people["o1"]).post(f"tasks/{task_id(case['id'], 'investigate')}/complete", {
        "action": "submit", "findings": "x", "evidence": "x", "provisions": ["hcsr-80"]})
    assert response.status_code == 400 and "co_officer" in response.json()["error"]["fields"]


def test_the_investigator_does_not_do_the_legal_review(people):
    case = open_penalty(people)
    complete(people["leader"], case["id"], "file", "approve")
    complete(people["o1"], case["id"], "investigate", "submit", co_officer="em_officer2", findings="x", evidence="x",
             provisions=["hcsr-80"])
    response = Api(people["o1"]).post(f"tasks/{task_id(case['id'], 'legal_review')}/complete",
                                      {"action": "pass", "opinion": "x"})
    assert response.status_code == 403


def test_filing_is_a_leaders_and_the_wrong_agency_sees_nothing(people, other_officer):
    case = open_penalty(people)
    filing = task_id(case["id"], "file")
    assert Api(people["o1"]).post(f"tasks/{filing}/complete", {"action": "approve"}).status_code == 403
    assert Api(other_officer).post(f"tasks/{filing}/complete", {"action": "approve"}).status_code == 404
    assert Api(other_officer).get(f"cases/{case['id']}").status_code == 404


def test_a_street_opens_no_penalty_case(street_officer):
    response = Api(street_officer).post("cases", penalty_payload())
    assert response.status_code == 400 and "kind" in response.json()["error"]["fields"]


def test_an_unpaid_fine_is_not_carried_out_and_the_leader_extends_the_time_to_decide(people):
    case = open_penalty(people)
    file_and_investigate(people, case["id"])
    complete(people["o1"], case["id"], "notify", "notify", provision="hcsr-80", amount="50000", reasons="x")
    complete(people["o1"], case["id"], "answer", "none", waived=True)
    due = Case.objects.get(pk=case["id"]).details["decision_due"]
    decide = task_id(case["id"], "decide")
    not_leader = Api(people["o1"]).post(f"tasks/{decide}/complete", {
        "action": "extend", "until": "2027-01-20", "reason": "案情复杂"})
    assert not_leader.status_code == 400
    too_far = Api(people["leader"]).post(f"tasks/{decide}/complete", {
        "action": "extend", "until": (timezone.localdate() + dt.timedelta(days=400)).isoformat(), "reason": "x"})
    assert "until" in too_far.json()["error"]["fields"]
    until = (dt.date.fromisoformat(due) + dt.timedelta(days=30)).isoformat()
    complete(people["leader"], case["id"], "decide", "extend", until=until, reason="案情复杂需鉴定")
    assert Case.objects.get(pk=case["id"]).details["decision_due"] == until
    complete(people["o1"], case["id"], "decide", "decide", provision="hcsr-80", amount="50000", reasons="x",
             discussed_on=timezone.localdate().isoformat(), discussion="集体讨论")
    complete(people["o1"], case["id"], "serve", "served", served_on=timezone.localdate().isoformat(),
             method="direct", recipient="张经理")
    execute = task_id(case["id"], "execute")
    partly = Api(people["o1"]).post(f"tasks/{execute}/complete", {
        "action": "paid", "receipt_no": "X1", "paid_on": timezone.localdate().isoformat(), "amount_paid": "10000"})
    assert partly.status_code == 400 and "amount_paid" in partly.json()["error"]["fields"]
    nothing = Api(people["o1"]).post(f"tasks/{execute}/complete", {"action": "done"})
    assert nothing.status_code == 400
    early = Api(people["o1"]).post(f"tasks/{execute}/complete", {
        "action": "enforce", "applied_on": timezone.localdate().isoformat(), "court": "南开区人民法院"})
    assert "applied_on" in early.json()["error"]["fields"]


def test_a_penalty_opened_from_a_hazard_links_both_ways(people, street_officer, other_officer):
    hazard = register(street_officer, title="储罐区未设置紧急切断装置")
    case = open_penalty(people, source_case=hazard["id"])
    hazard_page = Api(people["o1"]).get(f"cases/{hazard['id']}").json()
    assert [c["number"] for c in hazard_page["linked_cases"]] == [case["number"]]
    penalty_page = Api(people["o1"]).get(f"cases/{case['id']}").json()
    assert [c["number"] for c in penalty_page["linked_cases"]] == [hazard["number"]]
    assert Case.objects.get(pk=hazard["id"]).history.filter(action="linked").exists()
    # the case page shows it too, and offers to open another with the hazard's place and enterprise
    client = Api(people["o1"]).client
    client.force_login(people["o1"])
    assert case["number"] in client.get(f"/cases/{hazard['id']}/").content.decode()
    form = client.get(f"/cases/new/?kind=penalty&source_case={hazard['id']}").content.decode()
    assert "南开区长虹路1号" in form and f'value="{hazard["number"]}"' in form
    # named by its number, as the page has it
    again = open_penalty(people, source_case=hazard["number"].lower())
    assert again["details"]["source_case"] == hazard["id"]
    # a source the opener may not see is refused
    hidden = Api(other_officer).post("cases", penalty_payload(source_case=hazard["id"]))
    assert hidden.status_code == 400 and "source_case" in hidden.json()["error"]["fields"]


def test_the_pages_show_each_step_in_chinese_without_codes(people):
    from django.test import Client

    client = Client()
    client.force_login(people["o1"])
    form = client.get("/cases/new/?kind=penalty&source_case=7").content.decode()
    assert "当事人" in form and 'name="source_case"' in form and 'value="7"' in form
    case = open_penalty(people)
    file_and_investigate(people, case["id"])
    page = client.get(f"/tasks/{task_id(case['id'], 'notify')}/").content.decode()
    assert "处罚告知" in page and "罚款（元）" in page and "《危险化学品安全管理条例》第八十条" in page
    assert "hcsr-80" not in page.replace('value="hcsr-80"', "")
    complete(people["o1"], case["id"], "notify", "notify", provision="hcsr-80", amount="60000", reasons="x")
    refused = client.post(f"/tasks/{task_id(case['id'], 'answer')}/", {
        "action": "request_hearing", "request_hearing-requested_on": "2099-01-01"}).content.decode()
    assert "提出日期不能晚于今天" in refused
    case_page = client.get(f"/cases/{case['id']}/").content.decode()
    assert "立案日期" in case_page and "行政处罚告知书" in case_page and "决定期限" in case_page


def test_the_penalty_documents_are_drawn_as_pdf(people, settings, tmp_path):
    from .documents import pdf_text

    settings.MEDIA_ROOT = tmp_path
    case = open_penalty(people)
    file_and_investigate(people, case["id"])
    complete(people["o1"], case["id"], "notify", "notify", provision="hcsr-80", amount="60000",
             reasons="未将危险化学品储存在专用仓库内")
    notice = "".join(pdf_text(Document.objects.get(case_id=case["id"], type="penalty_notice")).split())
    assert "行政处罚告知书" in notice and "第八十条" in notice and "60,000" in notice and "听证" in notice
    filing = "".join(pdf_text(Document.objects.get(case_id=case["id"], type="filing_approval")).split())
    assert "立案审批表" in filing and "同意立案" in filing


def test_an_administrator_edits_the_provisions_and_the_amounts(people):
    """罚则 and 处罚数额设置 in the admin; a confirmed provision no longer says 待核对."""
    from django.test import Client

    from enforcement import penalties
    from org.models import User

    admin = User.objects.create_superuser("kinds_admin", password="pw-123456", agency=people["o1"].agency)
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/enforcement/provision/").status_code == 200
    assert client.get("/admin/enforcement/penaltysetting/").status_code == 200
    Provision.objects.filter(code="hcsr-78").update(status="recalled", confirmed=False)
    assert "待核对" in penalties.provision_label(Provision.objects.get(code="hcsr-78"))
    Provision.objects.filter(code="hcsr-78").update(confirmed=True)
    assert "待核对" not in penalties.provision_label(Provision.objects.get(code="hcsr-78"))


def test_the_enterprise_file_lists_its_penalties(people, client):
    case = open_penalty(people)
    file_and_investigate(people, case["id"])
    complete(people["o1"], case["id"], "notify", "notify", provision="hcsr-80", amount="50000", reasons="未专库储存")
    uscc = Case.objects.get(pk=case["id"]).enterprise.uscc
    client.force_login(people["o1"])
    html = client.get(f"/enterprises/{uscc}/").content.decode()
    section = html[html.index('id="penalties"'):html.index("</section>", html.index('id="penalties"'))]
    assert case["number"] in section and "50,000" in section and "第八十条" in section and "hcsr" not in section
