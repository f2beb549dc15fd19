"""The intranet has no internet: no page may ask any host but our own for
anything (styles, fonts, scripts, images), and none may break the
Content-Security-Policy (a violation shows as a console error) or be wider
than a phone's screen."""
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from cases.models import Case
from cases.services import add_evidence
from org.models import User

from .conftest import sample_photo
from .factories import officer
from .scenarios import complete, register, task_id


def test_no_page_asks_another_host(web, tmp_path):
    street = officer("street_changhong", username="changhong_he", full_name="何洁")
    em = officer("emergency", username="em_qian", full_name="钱涛")
    supervisor = officer("safety_office", User.Role.SUPERVISOR, username="anweiban_zheng", full_name="郑红")
    case = register(street)
    complete(em, case["id"], "verify", "handoff", to_agency="ecology", reason="涉及危险废物")
    photo = sample_photo(tmp_path / "p.png", (90, 90, 160))
    add_evidence(actor=street, case=Case.objects.get(pk=case["id"]),
                 upload=SimpleUploadedFile("现场.png", photo.read_bytes(), content_type="image/png"),
                 stage="before", description="现场照片")

    login = web.new_page()
    web.go(login, "/login/")
    expect(login.locator("h1")).to_have_text("登录")
    login.context.close()

    page = web.login(supervisor)
    pages = {
        "/": "我的待办",
        "/?box=queue": "单位待领",
        "/?box=archive": "已办",
        "/cases/": "案件",
        "/cases/?street=street_changhong&overdue=false": "案件",
        "/cases/new/": "登记案件",
        f"/cases/{case['id']}/": case["number"],
        f"/tasks/{task_id(case['id'], 'accept_handoff')}/": "接收移交",
        "/supervision/": "督办看板",
        "/plan/dashboard/": "统计看板",
        "/plan/reports/": "进展报送",
        "/notifications/": "通知",
        "/api/v1/docs": "",
    }
    for path, heading in pages.items():
        response = web.go(page, path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        if heading:
            expect(page.locator("h1").first).to_contain_text(heading)
            web.check_layout(page)  # none wider than the screen, on a phone too
    expect(page.locator(".swagger-ui").first).to_be_visible()  # the API docs draw from our own static files
    web.go(page, f"/cases/{case['id']}/")
    image = page.locator("#evidence img")
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)

    street_page = web.login(street)
    web.go(street_page, f"/cases/{case['id']}/")
    web.shot(street_page, "case-with-handoff")

    hosts = {url.split("/")[2] for url in web.requests if not url.startswith("data:")}
    assert hosts == {web.host}, hosts
    assert any("/static/" in url for url in web.requests)
    web.finish()
