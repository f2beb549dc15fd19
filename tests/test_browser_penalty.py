"""A penalty in a real browser: an emergency officer opens it from a hazard
whose order was not complied with, the leader approves the filing, and after
the investigation and legal review the officer notifies the party: a fine
outside the provision's range is refused beside the field with the range, the
text typed kept; the hazard's page shows the penalty, and the penalty's page
the hazard."""
from playwright.sync_api import expect

from cases.models import Case
from org.models import User

from .factories import make_uscc, officer
from .scenarios import complete, register


def test_penalty_opened_from_a_hazard_and_notified(web):
    street = officer("street_changhong", username="changhong_li", full_name="李红")
    em = officer("emergency", username="em_wang", full_name="王强")
    em2 = officer("emergency", username="em_liu", full_name="刘洋")
    reviewer = officer("emergency", username="em_fa", full_name="法制科周敏")
    head = officer("emergency", User.Role.LEADER, username="em_chief", full_name="钱局长")
    hazard = register(street, title="危险化学品未专库储存", enterprise={"name": "天津某贸易有限公司", "uscc": make_uscc(51)})

    # -- from the hazard's page, the officer opens a penalty case
    page = web.login(em)
    web.go(page, f"/cases/{hazard['id']}/")
    page.get_by_role("link", name="由本案转立行政处罚案件").click()
    page.get_by_label("标题").fill("未按规定专库储存危险化学品")
    page.get_by_label("地址").fill("南开区长虹路8号")
    page.get_by_label("街道").select_option(label="长虹街道")
    page.get_by_label("企业名称").fill("天津某贸易有限公司")
    page.get_by_label("统一社会信用代码").fill(make_uscc(51))
    web.shot(page, "register")
    page.get_by_role("button", name="登记").click()
    expect(page.locator("h1").first).to_contain_text("NK-AP-")
    expect(page.locator(".linked-cases")).to_contain_text(hazard["number"])
    penalty = Case.objects.get(kind="penalty")

    # -- the leader approves the filing (立案审批)
    page = web.login(head)
    row = page.locator("#queue tr", has_text=penalty.number)
    expect(row).to_contain_text("立案审批")
    row.get_by_role("button", name="签收").click()
    page.locator("#action-approve").get_by_role("button", name="批准立案").click()
    expect(page.locator("ul.messages")).to_contain_text(f"{penalty.number}：立案审批“批准立案”已办结")

    complete(em, penalty.pk, "investigate", "submit", co_officer="em_liu", findings="危险化学品未储存在专用仓库",
             evidence="现场检查笔录、照片", provisions=["hcsr-80"])
    complete(reviewer, penalty.pk, "legal_review", "pass", opinion="事实清楚，适用依据正确")
    assert em2.pk

    # -- the officer notifies: an amount outside the range is refused with the range
    page = web.login(em)
    page.locator("#queue tr", has_text=penalty.number).get_by_role("button", name="签收").click()
    expect(page.locator("h1").first).to_contain_text("处罚告知")
    notify = page.locator("#action-notify")
    notify.get_by_label("处罚依据").select_option(value="hcsr-80")
    notify.get_by_label("罚款（元）").fill("20000")
    notify.get_by_label("违法事实和理由").fill("未将危险化学品储存在专用仓库内")
    notify.get_by_role("button", name="告知当事人").click()
    notify = page.locator("#action-notify")
    expect(notify.locator(".field.has-error").first).to_contain_text("50,000元以上100,000元以下")
    expect(notify.get_by_label("违法事实和理由")).to_have_value("未将危险化学品储存在专用仓库内")
    web.shot(page, "notify-refused")
    notify.get_by_label("罚款（元）").fill("60000")
    notify.get_by_role("button", name="告知当事人").click()
    expect(page.locator("ul.messages")).to_contain_text(penalty.number)

    # -- both pages show the link; the penalty's page its notice
    web.go(page, f"/cases/{hazard['id']}/")
    expect(page.locator(".linked-cases")).to_contain_text(penalty.number)
    web.go(page, f"/cases/{penalty.pk}/")
    expect(page.locator("body")).to_contain_text("行政处罚告知书")
    expect(page.locator("body")).to_contain_text("听证告知书")
    web.shot(page, "case")
    web.finish()
