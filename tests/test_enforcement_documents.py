"""Documents of record (文书): issued by the steps that produce them, in the
step's transaction, numbered per agency, type and year, corrected by a new
version, served, and kept in the history chain (their PDF:
test_enforcement_rendering.py)."""
import datetime as dt
import multiprocessing
import os

import pytest
from django.db import connections, transaction
from django.utils import timezone

from cases.models import Case, CaseHistory
from enforcement import documents
from enforcement.models import Document, DocumentSequence, NumberingRule
from flows import services
from org.models import Agency

from .conftest import Api, requires_postgres
from .documents import issued_order, pdf_text
from .factories import officer
from .scenarios import complete, register, task_id


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def order(street_officer, lead_officer, future_date):
    return issued_order(street_officer, lead_officer, future_date)


def docs(case_id, type_=None):
    rows = Document.objects.filter(case_id=case_id).order_by("id")
    return list(rows.filter(type=type_) if type_ else rows)


def the_text_states(document, *facts):
    """Each fact stands in the PDF's text (compared without white space: the banner is letter-spaced)."""
    text = "".join(pdf_text(document).split())
    missing = [fact for fact in facts if fact and "".join(str(fact).split()) not in text]
    assert not missing, f"{document.number}: {missing} not in the PDF text"


# --- every step that produces a document issues it ---------------------------------------
def test_a_hazard_issues_its_inspection_record_order_and_review_opinions(street_officer, lead_officer, lead_officer2,
                                                                         future_date):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", note="储罐区未设置紧急切断阀",
             co_officer=lead_officer2.username)
    (record,) = docs(case["id"], "inspection_record")
    assert record.agency.code == "emergency" and record.number == "南开应急检记〔%d〕1号" % timezone.localdate().year
    the_text_states(record, case["number"], record.number, "天津某化工有限公司", "储罐区未设置紧急切断阀",
                    lead_officer2.full_name, "安全生产行政执法文书")

    complete(lead_officer, case["id"], "order", "issue", measures="加装紧急切断阀", responsible_person="王五",
             funds="5万元", deadline=future_date, contingency_plan="停用储罐")
    (order,) = docs(case["id"], "rectification_order")
    year, month, day = future_date.split("-")
    the_text_states(order, case["number"], order.number, "天津某化工有限公司", f"{year}年{month}月{day}日",
                    "加装紧急切断阀", "天津市南开区人民政府", "六十日")

    complete(lead_officer, case["id"], "rectify", "submit", report="已加装")
    complete(lead_officer2, case["id"], "review", "fail", note="阀门未联锁", deadline=future_date)
    complete(lead_officer, case["id"], "rectify", "submit", report="已联锁")
    complete(lead_officer2, case["id"], "review", "pass", note="复查合格")
    failed, passed = docs(case["id"], "review_opinion")
    the_text_states(failed, case["number"], failed.number, order.number, "整改不合格", future_date)
    the_text_states(passed, case["number"], passed.number, order.number, "整改合格")
    assert (failed.serial, passed.serial) == (1, 2)


def test_an_illegal_site_issues_inspection_records_an_onsite_decision_and_a_referral(
        street_officer, lead_officer, police_officer, future_date):
    case = register(street_officer, kind="illegal_site", title="居民楼内私存危险化学品")
    complete(lead_officer, case["id"], "verify", "confirm")
    for user, queue in ((lead_officer, "emergency"), (police_officer, "police"), (street_officer, "street_changhong")):
        complete(user, case["id"], "inspect", "record", queue=queue, findings=f"{queue}：现场存放约200升甲醇")
    records = docs(case["id"], "inspection_record")
    assert sorted(r.agency.code for r in records) == ["emergency", "police", "street_changhong"]
    the_text_states(records[1], case["number"], records[1].number, "现场存放约200升甲醇")
    complete(lead_officer, case["id"], "decide", "ban", measures="取缔，清运危险化学品", deadline=future_date,
             refer_police=True, referral_reason="涉嫌非法储存危险物质罪", documents=["transfer_letter", "seized_items"])
    assert docs(case["id"], "criminal_referral") == []  # transferred once the head approves
    complete(officer("emergency", role="leader"), case["id"], "approve_referral", "approve")
    (decision,) = docs(case["id"], "onsite_decision")
    (referral,) = docs(case["id"], "criminal_referral")
    the_text_states(decision, case["number"], decision.number, "取缔，清运危险化学品", future_date)
    the_text_states(referral, case["number"], referral.number, "天津市公安局南开分局", "涉嫌非法储存危险物质罪",
                    "涉案物品清单")


def test_a_waste_referral_issues_its_order(street_officer, future_date):
    ecology = officer("ecology", username="eco_officer")
    case = register(street_officer, kind="waste_referral", title="废酸桶未按规定贮存")
    complete(ecology, case["id"], "verify", "confirm")
    for agency in ("ecology", "emergency"):
        complete(officer(agency), case["id"], "consult", "agree", queue=agency, opinion="同意")
    complete(ecology, case["id"], "order", "issue", deadline=future_date, disposal_unit="天津某危废处置有限公司",
             measures="委托有资质单位处置")
    (order,) = docs(case["id"], "rectification_order")
    assert order.number.startswith("南开环责改")
    the_text_states(order, case["number"], order.number, "天津某危废处置有限公司", future_date.split("-")[0] + "年")


def test_supervision_issues_a_warning_letter_an_interview_notice_and_record(street_officer, supervisor):
    from supervision.escalation import scan

    case = register(street_officer)
    scan(now=timezone.now() + dt.timedelta(days=30))  # verify is long overdue: listed for supervision
    supervise = task_id(case["id"], "supervise")
    api = Api(supervisor)
    assert api.post(f"tasks/{supervise}/complete", {"action": "warn", "note": "请于三日内办结"}).status_code == 200
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert api.post(f"tasks/{task_id(case['id'], 'supervise')}/complete",
                    {"action": "summon", "interview_on": tomorrow, "place": "区应急局三楼会议室"}).status_code == 200
    assert api.post(f"tasks/{task_id(case['id'], 'supervise')}/complete", {
        "action": "interview", "held_on": timezone.localdate().isoformat(), "attendees": "区应急局分管负责人",
        "minutes": "说明逾期原因，承诺本周办结"}).status_code == 200
    (letter,) = docs(case["id"], "warning_letter")
    (notice,) = docs(case["id"], "interview_notice")
    (record,) = docs(case["id"], "interview_record")
    assert letter.agency.code == "safety_office" and letter.number.startswith("南开安委办警")
    the_text_states(letter, case["number"], letter.number, "天津市南开区应急管理局", "请于三日内办结")
    the_text_states(notice, case["number"], notice.number, "区应急局三楼会议室", tomorrow)
    the_text_states(record, case["number"], record.number, "承诺本周办结")


# --- numbering ------------------------------------------------------------------------------------
def test_numbers_run_per_agency_type_and_year_by_the_agencys_pattern(street_officer, lead_officer):
    year = timezone.localdate().year
    first = register(street_officer)
    second = register(street_officer)
    complete(lead_officer, first["id"], "verify", "confirm", grade="general")
    rule = NumberingRule.objects.get(agency__code="emergency")
    rule.pattern = "津南开应急{type}〔{year}〕第{serial}号"  # an administrator changes the pattern
    rule.save()
    complete(lead_officer, second["id"], "verify", "confirm", grade="general")
    numbers = [d.number for d in Document.objects.filter(type="inspection_record").order_by("id")]
    assert numbers == [f"南开应急检记〔{year}〕1号", f"津南开应急检记〔{year}〕第2号"]
    assert DocumentSequence.objects.get(agency__code="emergency", type="inspection_record", year=year).last == 2


def test_a_step_that_fails_gives_its_number_back(street_officer, lead_officer, monkeypatch):
    first = register(street_officer)
    second = register(street_officer)
    with monkeypatch.context() as patch:
        patch.setattr("flows.services._refresh_due", lambda case: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            services.complete_task(user=lead_officer, task_id=task_id(first["id"], "verify"), action="confirm",
                                   data={"grade": "general"})
    assert not Document.objects.exists()
    complete(lead_officer, second["id"], "verify", "confirm", grade="general")
    assert Document.objects.get().serial == 1  # no gap


def _issue_many(case_id: int, user_id: int, count: int, queue) -> None:
    from org.models import User

    connections.close_all()
    user, case = User.objects.get(pk=user_id), Case.objects.get(pk=case_id)
    numbers = []
    for _ in range(count):
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            numbers.append(documents.issue(type="rectification_order", case=locked, actor=user).serial)
    connections.close_all()
    queue.put(numbers)


@pytest.mark.django_db(transaction=True)
def test_two_processes_issuing_a_hundred_documents_each_get_1_to_200(street_officer, lead_officer):
    requires_postgres()
    cases = [register(street_officer)["id"] for _ in range(2)]
    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_issue_many, args=(case_id, lead_officer.pk, 100, queue)) for case_id in cases]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(30)
    serials = sorted(serial for numbers in results for serial in numbers)
    assert serials == list(range(1, 201))
    assert Document.objects.values("number").distinct().count() == 200
    assert all(numbers == sorted(numbers) for numbers in results)  # each process saw its own numbers rise


def test_the_api_lists_and_serves_documents_with_the_cases_visibility(order, lead_officer, other_officer):
    api = Api(lead_officer)
    listed = api.get(f"cases/{order.case_id}/documents").json()
    assert [d["number"] for d in listed] == [
        d.number for d in Document.objects.filter(case_id=order.case_id).order_by("issued_at", "id")]
    item = next(d for d in listed if d["type"] == "rectification_order")
    assert item["title"] == "责令限期整改指令书" and item["rendered"] is False and item["served_at"] is None
    response = api.client.get(item["pdf_url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert api.get(f"documents/{order.pk}").json()["facts"]["measures"] == "加装紧急切断阀"
    outsider = Api(other_officer)
    assert outsider.get(f"cases/{order.case_id}/documents").status_code == 404
    assert outsider.client.get(item["pdf_url"]).status_code == 404
    assert outsider.get(f"documents/{order.pk}").status_code == 404
    assert Api(lead_officer).get("documents/①").status_code == 404


# --- corrections ---------------------------------------------------------------------------------
def test_a_correction_issues_version_2_and_the_old_one_stays_readable(order, lead_officer, police_officer):
    api = Api(lead_officer)
    refused = [
        api.post(f"documents/{order.pk}/corrections", {"reason": "", "changes": {"measures": "x"}}),
        api.post(f"documents/{order.pk}/corrections", {"reason": "笔误", "changes": {"deadline": "2099-01-01"}}),
        api.post(f"documents/{order.pk}/corrections", {"reason": "笔误", "changes": {}}),
    ]
    assert [r.status_code for r in refused] == [400, 400, 400]
    assert "changes.deadline" in refused[1].json()["error"]["fields"]
    assert Api(police_officer).post(f"documents/{order.pk}/corrections",
                                    {"reason": "x", "changes": {"measures": "y"}}).status_code == 404
    response = api.post(f"documents/{order.pk}/corrections",
                        {"reason": "整改措施表述有误", "changes": {"measures": "加装紧急切断阀并与液位报警联锁"}})
    assert response.status_code == 201
    corrected = Document.objects.get(pk=response.json()["id"])
    assert (corrected.number, corrected.version, corrected.supersedes_id) == (order.number, 2, order.pk)
    assert Document.objects.get(pk=order.pk).facts["measures"] == "加装紧急切断阀"  # unchanged
    the_text_states(corrected, "加装紧急切断阀并与液位报警联锁", "第 2 版", "整改措施表述有误")
    the_text_states(order, "加装紧急切断阀")
    again = api.post(f"documents/{order.pk}/corrections", {"reason": "再改", "changes": {"measures": "z"}})
    assert again.status_code == 409  # correct the latest version instead
    assert CaseHistory.objects.filter(case_id=order.case_id, action="document_corrected").count() == 1


# --- service (送达) ---------------------------------------------------------------------------------
def test_service_is_recorded_once_within_sensible_times(order, lead_officer, police_officer):
    api = Api(lead_officer)
    now = timezone.now()
    body = {"method": "direct", "recipient": "王五（安全负责人）"}
    refused = {
        "before issue": api.post(f"documents/{order.pk}/service",
                                 {**body, "served_at": (order.issued_at - dt.timedelta(days=1)).isoformat()}),
        "future": api.post(f"documents/{order.pk}/service", {**body, "served_at": (now + dt.timedelta(days=1)).isoformat()}),
        "bad method": api.post(f"documents/{order.pk}/service", {**body, "method": "pigeon", "served_at": now.isoformat()}),
        "no date": api.post(f"documents/{order.pk}/service", {**body, "served_at": "2026-13-45"}),
        "no recipient": api.post(f"documents/{order.pk}/service", {**body, "recipient": " ", "served_at": now.isoformat()}),
    }
    assert {name: r.status_code for name, r in refused.items()} == dict.fromkeys(refused, 400)
    assert Api(police_officer).post(f"documents/{order.pk}/service",
                                    {**body, "served_at": now.isoformat()}).status_code == 404
    served = api.post(f"documents/{order.pk}/service", {**body, "served_at": now.isoformat()})
    assert served.status_code == 200 and served.json()["service_method"] == "direct"
    assert api.post(f"documents/{order.pk}/service", {**body, "served_at": now.isoformat()}).status_code == 409
    assert CaseHistory.objects.filter(case_id=order.case_id, action="document_served").count() == 1


def test_the_document_page_records_service_with_a_scanned_receipt(order, lead_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client()
    client.force_login(lead_officer)
    page = client.get(f"/documents/{order.pk}/")
    assert page.status_code == 200 and order.number in page.content.decode()
    response = client.post(f"/documents/{order.pk}/", {
        "service": "1", "service-served_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "service-method": "left", "service-recipient": "拒收，村委会张某见证", "service-note": "留置于门卫室",
        "service-receipt": SimpleUploadedFile("回证.pdf", b"%PDF-1.4 receipt", content_type="application/pdf"),
    })
    assert response.status_code == 302
    served = Document.objects.get(pk=order.pk)
    assert served.service_method == "left" and served.receipt.original_name == "回证.pdf"


def test_the_case_page_lists_documents_and_prints_without_navigation_or_forms(order, lead_officer):
    from django.test import Client

    client = Client()
    client.force_login(lead_officer)
    html = client.get(f"/cases/{order.case_id}/").content.decode()
    assert order.number in html and "责令限期整改指令书" in html and "生成中" in html and "未送达" in html
    css = open(os.path.join(os.path.dirname(__file__), "..", "static", "css", "app.css"), encoding="utf-8").read()
    assert "@media print" in css and "header.top, nav, form" in css


def test_an_agency_without_a_numbering_rule_numbers_by_its_name(street_officer, lead_officer):
    NumberingRule.objects.filter(agency__code="emergency").delete()
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    year = timezone.localdate().year
    assert Document.objects.get().number == f"{Agency.objects.get(code='emergency').name}检记〔{year}〕1号"
