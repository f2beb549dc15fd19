"""A roadside check in a real browser (路检路查): a traffic officer registers
the hazmat vehicle's check with its violations, a plate refused beside its
field; confirms it with a colleague and asks the agencies concerned for joint
punishment (联合惩戒); the road transport bureau punishes, the emergency
bureau answers it has nothing to add; a traffic leader closes."""
import re

from playwright.sync_api import expect

from cases.models import Case
from org.models import User

from .factories import make_uscc, officer
from .scenarios import complete


def test_roadside_check_to_joint_punishment(web):
    traffic = officer("traffic", username="tr_zhou", full_name="周警官")
    officer("traffic", username="tr_wu", full_name="吴警官")
    leader = officer("traffic", User.Role.LEADER, username="tr_chief", full_name="交警支队长")
    bureau = officer("transport", username="yun_sun", full_name="孙科长")
    em = officer("emergency", username="em_he", full_name="何伟")

    page = web.login(traffic)
    page.get_by_role("link", name="登记案件").click()
    page.get_by_role("link", name="危险货物道路运输").click()
    page.get_by_label("标题").fill("危险货物运输车辆路检")
    page.get_by_label("地址").fill("南开区红旗南路")
    page.get_by_label("街道").select_option(label="华苑街道")
    page.get_by_label("车辆号牌").fill("ABC")
    page.get_by_label("货物联合国编号（UN号）").fill("1203")
    page.get_by_label("所载货物").fill("汽油")
    page.get_by_label(re.compile(r"^承运单位\s*\*?$")).fill("天津某危险货物运输有限公司")
    page.get_by_label("承运单位统一社会信用代码").fill(make_uscc(61))
    page.get_by_label("驾驶人").fill("李某")
    page.get_by_label("检查地点").fill("红旗南路与卫津南路交口")
    page.get_by_label(re.compile("无押运人员")).check()
    page.get_by_label(re.compile("随车单证不全")).check()
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".field.has-error")).to_contain_text("津A12345")
    page.get_by_label("车辆号牌").fill("津A12345")
    page.get_by_role("button", name="登记").click()
    case = Case.objects.get(kind="transport")
    expect(page.locator("h1").first).to_contain_text(case.number)
    web.shot(page, "registered")

    page.get_by_role("link", name="我的任务").click()
    page.locator("#queue tr", has_text=case.number).get_by_role("button", name="签收").click()
    confirm = page.locator("#action-confirm")
    confirm.get_by_label("同行执法人员（用户名）").fill("tr_wu")
    confirm.get_by_label("现场处理结果").select_option(label="当场纠正")
    confirm.get_by_role("button", name="确认").click()
    expect(page.locator("ul.messages")).to_contain_text(case.number)

    # the road transport bureau: the task is in its queue, with the check's facts
    page = web.login(bureau)
    page.locator("#queue tr", has_text=case.number).get_by_role("button", name="签收").click()
    expect(page.locator("main")).to_contain_text("津A12345")
    punish = page.locator("#action-punish")
    page.locator("label[for=choose-punish]").click()
    punish.get_by_label("惩戒措施").fill("纳入失信联合惩戒名单")
    punish.get_by_label("文号").fill("南开交运罚〔2026〕3号")
    web.shot(page, "punish")
    punish.get_by_role("button", name="已惩戒").click()
    expect(page.locator("ul.messages")).to_contain_text(case.number)

    complete(em, case.pk, "punish", "none", queue="emergency", reason="托运单位不在本区")
    page = web.login(leader)
    page.locator("#queue tr", has_text=case.number).get_by_role("button", name="签收").click()
    page.locator("#act button.primary, #act button").filter(has_text=re.compile("同意")).first.click()
    expect(page.locator("ul.messages")).to_contain_text(case.number)
    web.go(page, f"/cases/{case.pk}/")
    expect(page.locator("section.summary .state")).to_have_text("已办结")
    expect(page.locator("#documents")).to_contain_text("路检路查记录")
    web.shot(page, "closed")
    web.finish()
