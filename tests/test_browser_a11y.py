"""Keyboard and screen readers: axe-core (vendored in tests/vendor, never
fetched) finds no violation of any impact on any main page, at desktop and
phone widths; the first Tab reaches the skip link, which lands in the content."""
from pathlib import Path

from playwright.sync_api import expect

from org.models import User

from .factories import officer
from .scenarios import complete, register, task_id

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def violations(page) -> list[str]:
    page.evaluate(AXE)  # run through the DevTools protocol: the page's CSP is untouched
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")}`);
    }""")
    return found


def test_main_pages_have_no_axe_violation(web):
    street = officer("street_changhong", username="changhong_xu", full_name="徐丽")
    em = officer("emergency", username="em_zhao", full_name="赵磊")
    supervisor = officer("safety_office", User.Role.SUPERVISOR, username="anweiban_feng", full_name="冯军")
    case = register(street)
    complete(em, case["id"], "verify", "confirm", grade="major", criteria=[5], agencies=["police"])
    consult = task_id(case["id"], "consult", "emergency")

    pages = {
        "/": "我的待办", "/?box=queue": "单位待领", "/?box=archive": "已办", "/cases/": "案件",
        f"/cases/{case['id']}/": case["number"], "/cases/new/": "登记案件", "/supervision/": "督办看板",
        "/plan/dashboard/": "统计看板", "/plan/tasks/": "重点任务", "/plan/reports/": "进展报送",
        "/plan/campaigns/": "专项行动", "/notifications/": "通知",
    }
    problems = {}
    login = web.new_page()
    web.go(login, "/login/")
    if found := violations(login):
        problems["/login/"] = found
    officer_pages = {"/": "我的待办", f"/tasks/{consult}/": "会商", f"/cases/{case['id']}/": case["number"]}
    for user, visits in ((supervisor, pages), (em, officer_pages)):
        page = web.login(user)
        for path, heading in visits.items():
            assert web.go(page, path).status == 200, path
            expect(page.locator("h1").first).to_contain_text(heading)
            if found := violations(page):
                problems[f"{user.username} {path}"] = found
    assert not problems, "\n".join(f"{path}: {found}" for path, found in problems.items())

    # the skip link is the first Tab stop and takes the keyboard to the content
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
    web.finish()
