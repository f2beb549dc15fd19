"""The officer's pages through the Django test client (the browser tests
walk the same pages in Chromium): the landing page with the user's tasks and
then the queue, search and filters, claiming from the row, the next task after
completing, refusals on the task page, and the process diagram."""
import datetime as dt
import re

from django.test import Client
from django.utils import timezone

from cases.models import Case
from flows.models import CaseTask

from .conftest import LIVE_COUNTS_SCRIPT, Api
from .factories import make_uscc, officer
from .scenarios import complete, register, task_id


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sections(html: str) -> tuple[str, str]:
    """The landing page's two lists: the user's own tasks, the agency's queue."""
    mine = html[html.index('id="mine"'):html.index('id="queue"')]
    return mine, html[html.index('id="queue"'):]


def test_landing_page_lists_own_tasks_first_then_the_queue(street_officer, lead_officer):
    held = register(street_officer, title="储罐区阀门泄漏")
    waiting = register(street_officer, title="仓库混存禁配物质", enterprise={"name": "乙公司", "uscc": make_uscc(2)})
    assert Api(lead_officer).post(f"tasks/{task_id(held['id'], 'verify')}/claim").status_code == 200
    mine, queue = sections(client_for(lead_officer).get("/").content.decode())
    assert held["number"] in mine and waiting["number"] not in mine
    assert waiting["number"] in queue and held["number"] not in queue
    claim = f'name="claim" value="{task_id(waiting["id"], "verify")}"'
    assert claim in queue  # claim from the row
    for text in ("事故隐患", "核实", "乙公司", "长虹街道", "剩3个工作日"):
        assert text in queue


def test_inbox_search_and_filters(street_officer, lead_officer):
    first = register(street_officer, title="储罐区阀门泄漏")
    second = register(street_officer, title="仓库混存禁配物质", address="南开区鼓楼东街2号", street="gulou",
                      enterprise={"name": "乙公司", "uscc": make_uscc(2)})
    CaseTask.objects.filter(pk=task_id(second["id"], "verify")).update(due_at=timezone.now() - dt.timedelta(days=1))
    client = client_for(lead_officer)

    def queue(**params):
        return sections(client.get("/", params).content.decode())[1]

    by_number = queue(q=first["number"])
    assert first["number"] in by_number and second["number"] not in by_number
    by_enterprise = queue(q="乙公司")
    assert second["number"] in by_enterprise and first["number"] not in by_enterprise
    by_street = queue(street="street_gulou")
    assert second["number"] in by_street and first["number"] not in by_street
    late = queue(overdue="on")
    assert second["number"] in late and first["number"] not in late and "逾期" in late
    assert first["number"] not in queue(kind="illegal_site")
    # a wrong value is shown as wrong and filters nothing
    wrong = client.get("/", {"street": "atlantis"})
    assert wrong.status_code == 200
    html = wrong.content.decode()
    assert first["number"] in html and second["number"] in html and 'class="error"' in html
    # the queue alone keeps the filters
    alone = client.get("/", {"box": "queue", "q": second["number"]}).content.decode()
    assert second["number"] in alone and first["number"] not in alone


def test_claiming_from_the_row_opens_the_task(street_officer, lead_officer):
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    response = client_for(lead_officer).post("/tasks/bulk/", {"claim": str(verify)})
    assert response.status_code == 302 and response["Location"] == f"/tasks/{verify}/"
    assert CaseTask.objects.get(pk=verify).owner == lead_officer


def test_claiming_several_tasks_names_each_refused_one(street_officer, lead_officer, lead_officer2):
    first, second, third = (task_id(register(street_officer, title=f"隐患{n}")["id"], "verify") for n in range(3))
    assert Api(lead_officer2).post(f"tasks/{third}/claim").status_code == 200  # taken meanwhile
    response = client_for(lead_officer).post("/tasks/bulk/", {"bulk": "claim", "tasks": [first, second, third]},
                                             follow=True)
    html = response.content.decode()
    assert "2 项任务已签收" in html and f"任务 {third}" in html and lead_officer2.username in html
    owners = dict(CaseTask.objects.filter(pk__in=[first, second, third]).values_list("pk", "owner"))
    assert owners == {first: lead_officer.pk, second: lead_officer.pk, third: lead_officer2.pk}
    nothing = client_for(lead_officer).post("/tasks/bulk/", {"bulk": "claim"}, follow=True).content.decode()
    assert "请至少选择一项任务" in nothing


def test_a_leader_assigns_several_tasks_seeing_each_officers_workload(street_officer, lead_officer, lead_leader):
    held = task_id(register(street_officer, title="已签收的隐患")["id"], "verify")
    Api(lead_officer).post(f"tasks/{held}/claim")
    tasks = [task_id(register(street_officer, title=f"待指派{n}")["id"], "verify") for n in range(2)]
    leader = client_for(lead_leader)
    page = leader.get("/", {"box": "queue"}).content.decode()
    assert f'<option value="{lead_officer.username}">{lead_officer}（1 项在办任务）</option>' in page
    response = leader.post("/tasks/bulk/", {"bulk": "assign", "tasks": tasks, "username": lead_officer.username})
    assert response.status_code == 302
    assert set(CaseTask.objects.filter(pk__in=tasks).values_list("owner", flat=True)) == {lead_officer.pk}
    # an officer cannot assign: each task refused, nothing changed
    other = task_id(register(street_officer, title="另一项")["id"], "verify")
    client_for(lead_officer).post("/tasks/bulk/", {"bulk": "assign", "tasks": [other], "username": "x"})
    assert CaseTask.objects.get(pk=other).owner is None



def test_a_busy_officers_workload_is_shown_approximate(street_officer, lead_officer, lead_leader, monkeypatch):
    from django.core.cache import cache

    from common import paging

    cache.clear()
    monkeypatch.setattr(paging, "EXACT_UP_TO", 2)
    for n in range(3):
        case = register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(720 + n)})
        Api(lead_officer).post(f"tasks/{task_id(case['id'], 'verify')}/claim")
    register(street_officer, title="待指派")  # the queue's assign form shows the workload
    page = client_for(lead_leader).get("/", {"box": "queue"}).content.decode()
    assert f'<option value="{lead_officer.username}">{lead_officer}（≈3 项在办任务）</option>' in page
    monkeypatch.setattr(paging, "EXACT_UP_TO", 1000)
    page = client_for(lead_leader).get("/", {"box": "queue"}).content.decode()
    assert f'<option value="{lead_officer.username}">{lead_officer}（3 项在办任务）</option>' in page


def test_no_claim_is_offered_to_the_officer_the_four_eyes_rule_bars(street_officer, lead_officer, future_date):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    complete(lead_officer, case["id"], "order", "issue", deadline=future_date, measures="m", responsible_person="p",
             funds="f", contingency_plan="c")
    complete(lead_officer, case["id"], "rectify", "submit", report="r")
    review = task_id(case["id"], "review")
    queue = sections(client_for(lead_officer).get("/").content.decode())[1]
    assert case["number"] in queue and f'value="{review}"' not in queue and "另一名执法人员复查" in queue
    other = officer("emergency", username="em_reviewer")
    assert f'name="claim" value="{review}"' in sections(client_for(other).get("/").content.decode())[1]


def test_after_completing_the_officer_goes_to_their_next_task(street_officer, lead_officer, future_date):
    older = register(street_officer, title="储罐区阀门泄漏")
    case = register(street_officer, title="仓库混存禁配物质", enterprise={"name": "乙公司", "uscc": make_uscc(2)})
    older_verify = task_id(older["id"], "verify")
    assert Api(lead_officer).post(f"tasks/{older_verify}/claim").status_code == 200
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    complete(lead_officer, case["id"], "order", "issue", deadline=future_date, measures="m", responsible_person="p",
             funds="f", contingency_plan="c")
    client = client_for(lead_officer)
    rectify = task_id(case["id"], "rectify")
    # the review that follows is not theirs (four eyes): their other task is next
    response = client.post(f"/tasks/{rectify}/", {"action": "submit", "submit-report": "已整改"})
    assert response.status_code == 302 and response["Location"] == f"/tasks/{older_verify}/"
    # nothing else of theirs: the inbox
    response = client.post(f"/tasks/{older_verify}/", {"action": "dismiss", "dismiss-reason": "重复登记"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_rectifier_is_told_why_they_may_not_review(street_officer, lead_officer, future_date):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    complete(lead_officer, case["id"], "order", "issue", deadline=future_date, measures="m", responsible_person="p",
             funds="f", contingency_plan="c")
    complete(lead_officer, case["id"], "rectify", "submit", report="r")
    review = task_id(case["id"], "review")
    client = client_for(lead_officer)
    page = client.get(f"/tasks/{review}/").content.decode()
    assert "提交整改的执法人员不得复查" in page and 'name="action" value="pass"' not in page
    refused = client.post(f"/tasks/{review}/", {"action": "pass", "pass-note": "自己复核"})
    assert refused.status_code == 200 and "提交整改的执法人员不得复查" in refused.content.decode()
    assert Case.objects.get(pk=case["id"]).state == "reviewing"


def test_a_refused_form_focuses_its_first_wrong_field(street_officer, lead_officer):
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    html = client_for(lead_officer).post(f"/tasks/{verify}/", {
        "action": "handoff", "handoff-to_agency": "", "handoff-reason": "不属本局职责",
    }).content.decode()
    field = re.search(r'<select[^>]*name="handoff-to_agency"[^>]*>', html).group(0)
    assert "autofocus" in field
    assert "不属本局职责" in html


def _current_steps(html: str) -> list[str]:
    return re.findall(r'<g class="node \w+ current"[^>]*data-step="(\w+)"', html)


def test_case_page_draws_the_process_with_the_current_step(street_officer, lead_officer, police_officer):
    case = register(street_officer)
    client = client_for(lead_officer)
    html = client.get(f"/cases/{case['id']}/").content.decode()
    assert '<svg class="process"' in html and re.findall(r"<script[^>]*>", html) == [LIVE_COUNTS_SCRIPT]  # drawn without script
    assert _current_steps(html) == ["verify"]
    assert "当前环节" in html
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    html = client.get(f"/cases/{case['id']}/").content.decode()
    assert _current_steps(html) == ["consult"]
    assert re.search(r'<g class="node task done"[^>]*data-step="verify"', html)
    site = register(street_officer, kind="illegal_site")
    html = client.get(f"/cases/{site['id']}/").content.decode()
    assert 'data-step="police_review"' in html and 'data-step="inspect"' in html


def test_a_long_queue_shows_an_approximate_count(street_officer, lead_officer, monkeypatch):
    from django.core.cache import cache

    from common import paging

    cache.clear()
    monkeypatch.setattr(paging, "EXACT_UP_TO", 2)
    for n in range(3):
        register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(700 + n)})
    html = client_for(lead_officer).get("/?box=queue").content.decode()
    assert '<span class="count">≈3</span>' in html
    monkeypatch.setattr(paging, "EXACT_UP_TO", 1000)
    html = client_for(lead_officer).get("/?box=queue").content.decode()
    assert '<span class="count">3</span>' in html
