"""The safety office in a real browser: a case left unverified past its
deadline is put under supervision (督办, not the deliberate 挂牌督办 listing);
the supervisor finds it on the
supervision board, opens it, warns the lagging agency, and the warning counts
in the year's assessment on the board. The clock is fixed (the case registered
on 2 November 2026, the board opened on 27 November), so the working days
between them are the same whatever day the suite runs."""
import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from org.models import User

from .factories import make_uscc, officer
from .scenarios import register
from .test_supervision_escalation import escalate

SH = ZoneInfo("Asia/Shanghai")


def test_safety_office_opens_the_supervision_board(web):
    with time_machine.travel(dt.datetime(2026, 11, 27, 10, 0, tzinfo=SH), tick=True):
        _the_board(web)


def _the_board(web):
    street = officer("street_changhong", username="changhong_zhou", full_name="周敏")
    supervisor = officer("safety_office", User.Role.SUPERVISOR, username="anweiban_wu", full_name="吴刚")
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=SH), tick=False):
        case = register(street, title="危化品仓库未按规定分区存放",
                        enterprise={"name": "天津南开化学试剂有限公司", "uscc": make_uscc(41)})
    escalate(timezone.now())

    page = web.login(supervisor)
    expect(page.locator("#queue")).to_contain_text("督办")
    page.get_by_role("link", name="督办看板").click()
    expect(page.locator("h1")).to_have_text("督办看板")
    listed = page.locator("tr", has_text=case["number"])
    for text in ("督办中", "区应急局", "长虹街道"):
        expect(listed).to_contain_text(text)
    overdue_days = float(listed.locator("td.overdue-days").inner_text())
    assert overdue_days > 10
    by_agency = page.locator("section", has_text="按牵头单位")
    expect(by_agency.locator("tr", has_text="区应急局")).to_contain_text("1")
    web.shot(page, "board")

    # the case file says it is listed; the supervisor warns the bureau
    listed.get_by_role("link", name=case["number"]).click()
    expect(page.locator("section.summary h1")).to_contain_text("督办中")
    expect(page.locator("section.summary .listed-mark")).to_have_count(0)  # lateness never lists
    expect(page.locator("section.summary .overdue-mark")).to_have_text("逾期")
    web.shot(page, "case-listed")
    page.locator("section.card", has_text="在办任务").get_by_role("link", name="督办", exact=True).click()
    warn = page.locator("#action-warn")
    warn.get_by_label("备注").fill("请区应急局三日内完成核实并报送结果")
    warn.get_by_role("button", name="警示提醒").click()
    expect(page.locator("ul.messages")).to_contain_text(case["number"])
    expect(page.locator("h1").first).to_contain_text("督办")  # the next supervise task of theirs

    page.get_by_role("link", name="督办看板").click()
    assessment = page.locator("section", has_text="年度考核")
    expect(assessment.locator("tr", has_text="区应急局").locator("td").nth(1)).to_have_text("1")
    web.shot(page, "board-after-warning", readme="board")
    web.finish()
