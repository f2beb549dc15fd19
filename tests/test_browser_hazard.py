"""An officer's day in a real browser (issue 7): a street officer registers a
hidden hazard, an emergency officer claims and verifies it and issues the
order with its five elements, rectifies with before and after photos, another
officer reviews, the leader closes. Each page is checked for what it shows, in
Chinese, on an office PC's screen and on a 390-pixel phone."""
import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from flows.models import CaseTask
from org.models import User

from .conftest import Api, sample_photo
from .factories import make_uscc, officer
from .scenarios import register, task_id


def test_hazard_from_registration_to_closure(web, tmp_path):
    street = officer("street_changhong", username="changhong_li", full_name="李娜")
    em1 = officer("emergency", username="em_zhang", full_name="张伟")
    em2 = officer("emergency", username="em_wang", full_name="王芳")
    leader = officer("emergency", User.Role.LEADER, username="em_liu", full_name="刘强")
    # an older case the emergency officer holds, whose verification is late
    late = register(street, title="加油站卸油区静电接地失效", enterprise={"name": "天津长虹加油站有限公司", "uscc": make_uscc(31)})
    late_verify = task_id(late["id"], "verify")
    assert Api(em1).post(f"tasks/{late_verify}/claim").status_code == 200
    CaseTask.objects.filter(pk=late_verify).update(due_at=timezone.now() - dt.timedelta(days=2))

    # -- the street officer registers the hazard; a wrong code is refused beside its field
    page = web.login(street)
    page.get_by_role("link", name="登记案件").click()
    expect(page.locator("h1")).to_have_text("登记案件")
    page.get_by_label("标题").fill("液氨储罐区未设置紧急切断装置")
    page.get_by_label("情况描述").fill("巡查发现液氨储罐区紧急切断阀未投用")
    page.get_by_label("地址").fill("南开区长虹路1号")
    page.get_by_label("街道").select_option(label="长虹街道")
    page.get_by_label("企业名称").fill("天津某化工有限公司")
    page.get_by_label("统一社会信用代码").fill("91110108551385082A")
    page.get_by_role("button", name="登记").click()
    uscc_field = page.locator(".field.has-error")
    expect(uscc_field).to_contain_text("不是有效的统一社会信用代码")
    expect(page.get_by_label("标题")).to_have_value("液氨储罐区未设置紧急切断装置")  # what was typed is kept
    web.shot(page, "register-refused")
    page.get_by_label("统一社会信用代码").fill("91110108551385082Q")
    page.get_by_role("button", name="登记").click()
    case = Case.objects.get(title="液氨储罐区未设置紧急切断装置")
    expect(page).to_have_url(f"{web.base}/cases/{case.pk}/")
    summary = page.locator("section.summary")
    expect(summary.locator("h1")).to_contain_text(case.number)
    expect(summary.locator(".state")).to_have_text("已发现")
    expect(page.locator(".current-step")).to_contain_text("核实")
    web.shot(page, "case-registered")

    # -- an emergency officer: own tasks first, then the agency's queue, with the overdue mark
    page = web.login(em1)
    mine, queue = page.locator("#mine"), page.locator("#queue")
    late_row = mine.locator("tr", has_text=late["number"])
    expect(late_row).to_have_class(re.compile("overdue"))
    expect(late_row.locator(".overdue-mark")).to_contain_text("逾期")
    row = queue.locator("tr", has_text=case.number)
    for text in ("事故隐患", "核实", "天津某化工有限公司", "长虹街道"):
        expect(row).to_contain_text(text)
    expect(row.locator(".overdue-mark")).to_have_count(0)
    web.shot(page, "inbox", readme="inbox")
    # filters: only the overdue; search by number
    page.get_by_label("只看逾期").check()
    page.get_by_role("button", name="筛选").click()
    expect(mine.locator("tbody tr")).to_have_count(1)
    expect(mine).to_contain_text(late["number"])
    expect(queue).to_contain_text("单位待领中暂无任务")
    page.get_by_role("link", name="清除").click()
    page.get_by_role("searchbox").fill(case.number)
    page.get_by_role("button", name="筛选").click()
    expect(mine).to_contain_text("暂无您的待办")
    expect(queue.locator("tbody tr")).to_have_count(1)
    web.shot(page, "inbox-search")

    # -- claim and complete: two clicks; then the next task of theirs, the order
    queue.locator("tr", has_text=case.number).get_by_role("button", name="签收").click()
    expect(page.locator("h1").first).to_contain_text(f"核实 · {case.number}")
    expect(page.locator(".task-head")).to_contain_text("张伟")
    confirm = page.locator("#action-confirm")
    confirm.get_by_label("隐患等级").select_option(label="一般")
    confirm.get_by_label("备注").fill("现场核实属实")
    web.shot(page, "verify")
    confirm.get_by_role("button", name="确认").click()
    expect(page.locator("ul.messages")).to_contain_text(case.number)
    expect(page.locator("h1").first).to_contain_text("责令整改")

    # the order refuses a past deadline beside the field and keeps the rest
    issue = page.locator("#action-issue")
    expect(issue).to_contain_text("整改措施")
    issue.get_by_label("整改措施").fill("加装紧急切断装置并投用")
    issue.get_by_label("责任人").fill("赵敏（企业安全负责人）")
    issue.get_by_label("资金").fill("12万元")
    issue.get_by_label("整改期限").fill("2020-01-01")
    issue.get_by_label("应急预案").fill("停用液氨储罐，专人值守")
    issue.get_by_role("button", name="下达整改指令").click()
    issue = page.locator("#action-issue")
    expect(issue.locator(".field.has-error")).to_contain_text("整改期限")
    expect(issue.get_by_label("整改措施")).to_have_value("加装紧急切断装置并投用")
    web.shot(page, "order-refused")
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    issue.get_by_label("整改期限").fill(deadline)
    issue.get_by_role("button", name="下达整改指令").click()
    expect(page.locator("h1").first).to_contain_text("整改")

    # rectify: photos before and after, then the report
    for stage, colour in (("整改前", (170, 60, 50)), ("整改后", (40, 130, 70))):
        evidence = page.locator("#evidence")
        evidence.locator("input[type=file]").set_input_files(sample_photo(tmp_path / f"储罐区{stage}.png", colour))
        evidence.get_by_label("阶段").select_option(label=stage)
        evidence.get_by_label("情况描述").fill(f"储罐区{stage}")
        evidence.get_by_role("button", name="上传").click()
        expect(page.locator("ul.messages")).to_contain_text("已添加证据材料")
    expect(page.locator("#evidence img")).to_have_count(2)
    for image in page.locator("#evidence img").all():  # served from the app, checked against its hash
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") == 480
    page.goto(f"{web.base}/tasks/{task_id(case.pk, 'rectify')}/")
    page.locator("#action-submit").get_by_label("整改报告").fill("紧急切断装置已安装并联动测试合格")
    page.locator("#action-submit").get_by_role("button", name="提交整改").click()
    # the review is not theirs (four eyes): on to their next task, the late one
    expect(page).to_have_url(f"{web.base}/tasks/{late_verify}/")
    expect(page.locator("ul.messages")).to_contain_text(f"您的下一项待办：{late['number']}")

    # -- another officer reviews, with the photos side by side
    page = web.login(em2)
    page.locator("#queue tr", has_text=case.number).get_by_role("button", name="签收").click()
    expect(page.locator("h1").first).to_contain_text("复查")
    columns = page.locator("#evidence .side-by-side > div")
    expect(columns.nth(0)).to_contain_text("整改前")
    expect(columns.nth(1)).to_contain_text("整改后")
    expect(columns.nth(0).locator("img")).to_have_count(1)
    expect(columns.nth(1).locator("img")).to_have_count(1)
    web.shot(page, "review", readme="task")
    page.locator("#action-pass").get_by_label("备注").fill("现场复核合格")
    page.locator("#action-pass").get_by_role("button", name="复查合格").click()
    expect(page).to_have_url(f"{web.base}/")

    # -- the leader closes
    page = web.login(leader)
    page.locator("#queue tr", has_text=case.number).get_by_role("button", name="签收").click()
    expect(page.locator("h1").first).to_contain_text("销号")
    page.locator("#action-approve").get_by_role("button", name="同意销号").click()
    expect(page).to_have_url(f"{web.base}/")

    # -- the case file: summary, the order's five elements, evidence, timeline, the diagram
    page.goto(f"{web.base}/cases/{case.pk}/")
    summary = page.locator("section.summary")
    expect(summary.locator(".state")).to_have_text("已销号")
    for text in ("加装紧急切断装置并投用", "赵敏（企业安全负责人）", "12万元", deadline, "停用液氨储罐，专人值守"):
        expect(summary).to_contain_text(text)
    timeline = page.locator("ol.timeline")
    for text in ("李娜", "长虹街道", "张伟", "区应急局", "核实：确认", "王芳", "复查：复查合格", "刘强", "复查中 → 已销号"):
        expect(timeline).to_contain_text(text)
    expect(page.locator("svg.process g.node.current")).to_contain_text("已销号")
    expect(page.locator("svg.process g.node.done[data-step=review]")).to_have_count(1)
    web.shot(page, "case-closed", readme="case")
    case.refresh_from_db()
    assert case.state == "closed"
    web.finish()
