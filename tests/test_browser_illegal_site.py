"""An illegal small chemical site in a real browser: the street records its
part of the joint inspection, the emergency bureau bans the site and refers it
to the police (a refusal keeps what was typed), the police return the
referral with a reason, and the bureau finds it back on its desk, with the
trail on the case page."""
import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from enforcement.models import Referral
from org.models import User

from .factories import officer
from .scenarios import complete, register


def test_illegal_site_referred_to_the_police_and_returned(web):
    street = officer("street_changhong", username="changhong_chen", full_name="陈静")
    em = officer("emergency", username="em_zhao", full_name="赵磊")
    police = officer("police", username="police_sun", full_name="孙斌")
    head = officer("emergency", User.Role.LEADER, username="em_head", full_name="钱局长")
    case = register(street, kind="illegal_site", title="居民楼地下室私存危险化学品", address="南开区长虹路18号地下室",
                    enterprise=None, description="群众举报地下室存放大量桶装溶剂")
    complete(em, case["id"], "verify", "confirm", note="现场核实属实")
    complete(em, case["id"], "inspect", "record", queue="emergency", findings="存放约200升甲苯")
    complete(police, case["id"], "inspect", "record", queue="police", findings="无经营许可")

    # -- the street officer records the street's findings of the joint inspection
    page = web.login(street)
    row = page.locator("#queue tr", has_text=case["number"])
    expect(row).to_contain_text("联合检查")
    expect(row).to_contain_text("非法违法“小化工”")
    row.get_by_role("button", name="签收").click()
    expect(page.locator("h1").first).to_contain_text(f"联合检查 · {case['number']}")
    page.locator("#action-record").get_by_label("检查情况").fill("已设置警戒，疏散周边住户")
    web.shot(page, "inspect")
    page.locator("#action-record").get_by_role("button", name="记录检查情况").click()
    expect(page).to_have_url(f"{web.base}/")
    expect(page.locator("ul.messages")).to_contain_text(case["number"])

    # -- the emergency bureau decides: ban and refer; the referral needs its reason
    page = web.login(em)
    page.locator("#queue tr", has_text=case["number"]).get_by_role("button", name="签收").click()
    expect(page.locator("h1").first).to_contain_text("处理决定")
    ban = page.locator("#action-ban")
    ban.get_by_label("整改措施").fill("立即取缔，清运危化品")
    ban.get_by_label("整改期限").fill((timezone.localdate() + dt.timedelta(days=10)).isoformat())
    ban.get_by_label("涉嫌犯罪，移送公安").check()
    ban.get_by_role("button", name="取缔").click()
    ban = page.locator("#action-ban")
    expect(ban.locator(".field.has-error").first).to_contain_text("请填写移送理由")
    expect(ban.get_by_label("整改措施")).to_have_value("立即取缔，清运危化品")
    expect(ban.get_by_label("涉嫌犯罪，移送公安")).to_be_checked()
    web.shot(page, "decide-refused")
    ban.get_by_label("移送理由").fill("涉嫌非法储存危险物质罪")
    ban.get_by_label("移送书").check()
    ban.get_by_role("button", name="取缔").click()
    expect(page).to_have_url(f"{web.base}/")

    # -- the head of the bureau approves the transfer (移送审批)
    page = web.login(head)
    row = page.locator("#queue tr", has_text=case["number"])
    expect(row).to_contain_text("移送审批")
    row.get_by_role("button", name="签收").click()
    page.locator("#action-approve").get_by_role("button", name="批准移送").click()
    expect(page).to_have_url(f"{web.base}/")

    # -- the police read the referral and return it
    page = web.login(police)
    row = page.locator("#queue tr", has_text=case["number"])
    expect(row).to_contain_text("公安审查")
    row.get_by_role("button", name="签收").click()
    trail = page.locator("table.list", has_text="移送理由")
    expect(trail).to_contain_text("涉嫌非法储存危险物质罪")
    expect(trail).to_contain_text("移送书")
    page.get_by_text("退回补充材料", exact=True).first.click()  # the decision chosen: its form alone shows
    back = page.locator("#action-return")
    back.get_by_label("理由").fill("证据不足，请补充鉴定意见")
    web.shot(page, "police-review")
    back.get_by_role("button", name="退回补充材料").click()
    expect(page).to_have_url(f"{web.base}/")
    assert Referral.objects.get(case_id=case["id"]).status == "returned"

    # -- back on the bureau's desk: the reason on the task and the case page
    page = web.login(em)
    row = page.locator("#queue tr", has_text=case["number"])
    expect(row).to_contain_text("处理决定")
    row.get_by_role("link", name=case["number"]).click()
    expect(page.locator("h1").first).to_contain_text("处理决定")
    expect(page.locator("table.list", has_text="移送理由")).to_contain_text("证据不足，请补充鉴定意见")
    page.get_by_role("link", name=case["number"]).first.click()
    trail = page.locator("table.list", has_text="移送理由")
    for text in ("涉嫌非法储存危险物质罪", "退回补充材料", "证据不足，请补充鉴定意见"):
        expect(trail).to_contain_text(text)
    expect(page.locator("svg.process g.node.current")).to_contain_text("处理决定")
    expect(page.locator("svg.process g.node.done[data-step=police_review]")).to_have_count(1)
    expect(page.locator("ol.timeline")).to_contain_text("孙斌")
    expect(page.locator("ol.timeline")).to_contain_text("公安南开分局")
    web.shot(page, "case-returned")
    web.finish()
