"""The pages, through the Django test client: a general hazard walked from
registration to closure as its users, plus refusals, CSRF and query counts."""
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from flows.models import CaseTask

from .factories import make_uscc
from .scenarios import complete, register, task_id


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def register_form(**overrides):
    data = {
        "kind": "hazard", "title": "仓库混存禁配物质", "description": "", "address": "南开区鼓楼东街2号",
        "street": "street_gulou", "grade": "", "enterprise_name": "丙公司", "enterprise_uscc": make_uscc(7),
        "source": "",
    }
    data.update(overrides)
    return data


def test_general_hazard_through_the_pages(street_officer, lead_officer, lead_officer2, lead_leader, future_date):
    page = browser(street_officer).post("/cases/new/", register_form(street="street_changhong"), follow=True)
    assert page.status_code == 200
    case = Case.objects.get()
    assert case.number in page.content.decode()

    officer = browser(lead_officer)
    queue = officer.get("/?box=queue").content.decode()
    assert case.number in queue
    verify = task_id(case.pk, "verify")
    assert officer.post(f"/tasks/{verify}/claim/").status_code == 302
    assert case.number in officer.get("/").content.decode()  # now in the inbox

    def act(client, step, action, **fields):
        pk = task_id(case.pk, step)
        data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
        response = client.post(f"/tasks/{pk}/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        return response

    act(officer, "verify", "confirm", grade="general", note="属实")
    after = act(officer, "order", "issue", deadline=future_date, measures="分区存放", responsible_person="李四",
                funds="5万元", contingency_plan="停用")
    # after completing, the officer is sent to the next task that is theirs
    assert after["Location"] == f"/tasks/{task_id(case.pk, 'rectify')}/"
    act(officer, "rectify", "submit", report="已分区")
    act(browser(lead_officer2), "review", "pass", note="合格")
    act(browser(lead_leader), "close", "approve", note="同意")
    case.refresh_from_db()
    assert case.state == "closed"
    detail = browser(lead_leader).get(f"/cases/{case.pk}/").content.decode()
    for text in ("分区存放", "李四", "5万元", "复查中 → 已销号", lead_officer2.username):
        assert text in detail


def test_form_refusal_keeps_what_was_typed(lead_officer, future_date):
    client = browser(lead_officer)
    response = client.post("/cases/new/", register_form(enterprise_uscc="91110108551385082A", title="保留的标题"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "保留的标题" in html and 'class="error"' in html
    assert Case.objects.count() == 0


def test_step_form_refusal_shows_the_error_next_to_the_field(street_officer, lead_officer):
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    response = browser(lead_officer).post(
        f"/tasks/{verify}/", {"action": "confirm", "confirm-grade": "general", "confirm-criteria": ["3"], "confirm-note": "我的备注"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "我的备注" in html and 'class="error"' in html
    assert Case.objects.get(pk=case["id"]).state == "discovered"


def test_pages_hide_other_agencies_cases(street_officer, other_officer, lead_officer):
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    outsider = browser(other_officer)
    assert outsider.get(f"/cases/{case['id']}/").status_code == 404
    assert outsider.get(f"/tasks/{verify}/").status_code == 404
    assert outsider.post(f"/tasks/{verify}/claim/").status_code == 404
    assert case["number"] not in outsider.get("/cases/").content.decode()
    # the street sees the case but cannot act on the bureau's task
    street = browser(street_officer)
    assert street.get(f"/tasks/{verify}/").status_code == 200
    assert street.post(f"/tasks/{verify}/claim/").status_code == 302
    assert CaseTask.objects.get(pk=verify).owner_id is None


def test_pages_need_login_and_refuse_wrong_methods(lead_officer):
    anonymous = Client()
    for path in ("/", "/cases/", "/cases/new/"):
        response = anonymous.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert browser(lead_officer).post("/").status_code == 405
    assert browser(lead_officer).get("/tasks/1/claim/").status_code == 405


def test_pages_enforce_csrf(street_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(street_officer)
    assert client.post("/cases/new/", register_form()).status_code == 403
    form = client.get("/cases/new/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert client.post("/cases/new/", {**register_form(), "csrfmiddlewaretoken": token}).status_code == 302


def test_pages_are_chinese_by_default_and_english_on_request(lead_officer):
    client = browser(lead_officer)
    assert "我的待办" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "My inbox" in client.get("/").content.decode()


@pytest.mark.parametrize("path", ["/?box=queue", "/cases/"])
def test_list_pages_have_a_constant_query_count(path, street_officer, lead_officer):
    client = browser(lead_officer)
    register(street_officer)
    client.get(path)  # warm up session and content types

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    few = count()
    for n in range(5):
        register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(100 + n)})
    assert count() == few


def test_inbox_page_query_count_is_pinned(street_officer, lead_officer, django_assert_num_queries):
    client = browser(lead_officer)
    for n in range(3):
        register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(200 + n)})
    client.get("/?box=queue")
    # session, user with agency and unread notifications, count, one page of tasks with
    # their case's number, title and grade, street, enterprise and assignee, the person's saved filters
    with django_assert_num_queries(5):
        client.get("/?box=queue")


def test_case_page_lists_open_tasks_and_history(street_officer, lead_officer, police_officer):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    html = browser(police_officer).get(f"/cases/{case['id']}/").content.decode()
    assert "公安南开分局" in html and "已发现 → 会商中" in html
    assert html.count("/tasks/") >= 2  # one consultation task per agency


def test_major_hazard_through_the_pages(street_officer, lead_officer, lead_officer2, police_officer, supervisor, future_date):
    browser(street_officer).post("/cases/new/", register_form(street="street_changhong"))
    case = Case.objects.get()

    def act(user, step, action, agency=None, **fields):
        pk = task_id(case.pk, step, agency)
        data = {"action": action}
        for key, value in fields.items():
            data[f"{action}-{key}"] = value
        response = browser(user).post(f"/tasks/{pk}/", data)
        assert response.status_code == 302, response.content.decode()[:3000]

    act(lead_officer, "verify", "confirm", grade="major", agencies=["police"], criteria=["5", "12"])
    act(police_officer, "consult", "object", agency="police", opinion="建议先停产")
    act(lead_officer, "consult", "agree", agency="emergency", opinion="同意")
    act(lead_officer, "order", "issue", deadline=future_date, measures="停产整改", responsible_person="王五",
        funds="50万元", contingency_plan="疏散预案")
    act(lead_officer, "rectify", "submit", report="完成")
    act(lead_officer2, "review", "pass")
    # the close task is in the supervisors' queue
    assert case.number in browser(supervisor).get("/?box=queue").content.decode()
    act(supervisor, "close", "approve", note="同意销号")
    case.refresh_from_db()
    assert case.state == "closed" and case.criteria == [5, 12]
    assert "建议先停产" in browser(supervisor).get(f"/cases/{case.pk}/").content.decode()
