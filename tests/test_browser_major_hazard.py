"""A major hazard from registration to closure in a real browser, counted as
an officer feels it: every click a person makes and every page loaded, over
five people (the street officer, two emergency officers, the police, the
safety office). The desk's target: at most 40 clicks and 35 page loads."""
import datetime as dt
import json

from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from org.models import User

from .conftest import ARTIFACTS, sample_photo
from .factories import officer

MAX_CLICKS, MAX_LOADS = 40, 35


def test_major_hazard_in_few_clicks(web, tmp_path):
    street = officer("street_changhong", username="changhong_ma", full_name="马丽")
    em1 = officer("emergency", username="em_chen", full_name="陈刚")
    em2 = officer("emergency", username="em_yang", full_name="杨帆")
    police = officer("police", username="police_hu", full_name="胡军")
    supervisor = officer("safety_office", User.Role.SUPERVISOR, username="anweiban_lu", full_name="陆敏")

    # the street officer registers it with a photo taken on the spot
    page = web.login(street)
    page.get_by_role("link", name="登记案件").click()
    page.get_by_label("标题").fill("液氯储罐区未设置泄漏报警")
    page.get_by_label("情况描述").fill("液氯储罐区有毒气体报警仪缺失")
    page.get_by_label("地址").fill("南开区长虹路8号")
    page.get_by_label("街道").select_option(label="长虹街道")
    page.get_by_label("企业名称").fill("天津某氯碱有限公司")
    page.get_by_label("统一社会信用代码").fill("91110108551385082Q")
    page.get_by_label("现场照片").set_input_files(sample_photo(tmp_path / "现场.png", (160, 60, 50)))
    page.get_by_role("button", name="登记").click()
    case = Case.objects.get(title="液氯储罐区未设置泄漏报警")
    expect(page.locator("#evidence img")).to_have_count(1)

    # an emergency officer verifies it as major, with the police consulted
    page = web.login(em1)
    page.locator("#queue tr", has_text=case.number).get_by_role("button", name="签收").click()
    expect(page.locator("#evidence img")).to_have_count(1)  # the street officer's photo, on the task page
    confirm = page.locator("#action-confirm")
    confirm.get_by_label("隐患等级").select_option(label="重大")
    confirm.locator("input[name='confirm-criteria']").first.check()
    confirm.get_by_label("公安南开分局").check()
    confirm.get_by_role("button", name="确认").click()
    expect(page.locator("ul.messages")).to_contain_text(case.number)
    expect(page.locator("h1").first).to_contain_text("会商")  # their next task opens by itself
    page.locator("#action-agree").get_by_label("意见").fill("同意按重大隐患处理")
    page.locator("#action-agree").get_by_role("button", name="同意").click()

    police_page = web.login(police)
    police_page.locator("#queue tr", has_text=case.number).get_by_role("button", name="签收").click()
    police_page.locator("#action-agree").get_by_label("意见").fill("同意")
    police_page.locator("#action-agree").get_by_role("button", name="同意").click()
    expect(police_page.locator("ul.messages")).to_contain_text(case.number)

    # the order, the rectification with its after photo
    page.get_by_role("link", name="我的任务").click()
    page.locator("#queue tr", has_text=case.number).get_by_role("button", name="签收").click()
    issue = page.locator("#action-issue")
    issue.get_by_label("整改措施").fill("安装有毒气体泄漏报警仪并联锁")
    issue.get_by_label("责任人").fill("周强（企业安全负责人）")
    issue.get_by_label("资金").fill("8万元")
    issue.get_by_label("整改期限").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    issue.get_by_label("应急预案").fill("停用液氯储罐区，专人值守")
    issue.get_by_role("button", name="下达整改指令").click()
    expect(page.locator("h1").first).to_contain_text("整改")
    evidence = page.locator("#evidence")
    evidence.locator("input[type=file]").set_input_files(sample_photo(tmp_path / "整改后.png", (40, 130, 70)))
    evidence.get_by_label("阶段").select_option(label="整改后")
    evidence.get_by_role("button", name="上传").click()
    expect(page.locator("ul.messages")).to_contain_text("已添加证据材料")
    page.locator("#action-submit").get_by_label("整改报告").fill("报警仪已安装并联锁测试合格")
    page.locator("#action-submit").get_by_role("button", name="提交整改").click()

    # another officer reviews; the safety office closes a major hazard
    page = web.login(em2)
    page.locator("#queue tr", has_text=case.number).get_by_role("button", name="签收").click()
    page.locator("#action-pass").get_by_label("备注").fill("现场复查合格")
    page.locator("#action-pass").get_by_role("button", name="复查合格").click()
    page = web.login(supervisor)
    page.locator("#queue tr", has_text=case.number).get_by_role("button", name="签收").click()
    expect(page.locator("h1").first).to_contain_text("销号")
    page.locator("#action-approve").get_by_role("button", name="同意销号").click()
    expect(page.locator("ul.messages")).to_contain_text(case.number)

    case.refresh_from_db()
    assert case.state == "closed" and case.grade == "major"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"major-hazard-effort-{web.viewport}.json").write_text(
        json.dumps({"clicks": web.clicks, "page_loads": web.loads}), encoding="utf-8")
    print(f"\nmajor hazard, registration to closure ({web.viewport}): {web.clicks} clicks, {web.loads} page loads")
    assert web.clicks <= MAX_CLICKS, web.clicks
    assert web.loads <= MAX_LOADS, web.loads
    web.finish()
