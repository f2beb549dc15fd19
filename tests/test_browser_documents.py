"""The documents of record in a real browser: the case page lists the order
with its number, the officer opens it to print, records its service, and
the case page itself prints as a case file: no navigation, no forms."""
import subprocess

from django.utils import timezone
from playwright.sync_api import expect

from enforcement.models import Document

from .factories import officer
from .scenarios import complete, register
from .documents import requires_poppler


def test_an_order_is_listed_printed_and_served_and_the_case_page_prints_clean(web, tmp_path, future_date):
    requires_poppler()
    street = officer("street_changhong", username="changhong_zhao", full_name="赵敏")
    em = officer("emergency", username="em_sun", full_name="孙立", credential_no="12010020230017")
    case = register(street, title="甲醇储罐呼吸阀堵塞")
    complete(em, case["id"], "verify", "confirm", grade="general", note="呼吸阀堵塞，阻火器缺失")
    complete(em, case["id"], "order", "issue", measures="更换呼吸阀，加装阻火器", responsible_person="钱七",
             funds="2万元", deadline=future_date, contingency_plan="停止进料")
    order = Document.objects.get(case_id=case["id"], type="rectification_order")

    page = web.login(em)
    web.go(page, f"/cases/{case['id']}/")
    listed = page.locator("#documents tr", has_text=order.number)
    expect(listed).to_contain_text("责令限期整改指令书")
    expect(listed).to_contain_text("未送达")
    web.shot(page, "case-with-documents")

    # the PDF opens for printing: the document as issued, with its number
    response = page.request.get(web.base + f"/documents/{order.pk}/pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "order.pdf"
    pdf.write_bytes(response.body())
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert order.number in text and "更换呼吸阀，加装阻火器" in text and "12010020230017" in text

    # service (送达) is recorded on the document's page
    listed.get_by_role("link", name=order.number).click()
    expect(page.locator("h1")).to_contain_text("责令限期整改指令书")
    service = page.locator("#service")
    service.get_by_label("送达时间").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    service.get_by_label("送达方式").select_option(label="直接送达")
    service.get_by_label("受送达人").fill("钱七（安全负责人）")
    service.get_by_role("button", name="登记送达").click()
    expect(page.locator("ul.messages")).to_contain_text("送达已登记")
    web.shot(page, "document-served")

    # the case page prints as a case file
    web.go(page, f"/cases/{case['id']}/")
    expect(page.locator("#documents tr", has_text=order.number)).to_contain_text("直接送达")
    printed = tmp_path / "case.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(printed), format="A4")
    text = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True).stdout
    assert case["number"] in text and order.number in text and "甲醇储罐呼吸阀堵塞" in text
    for chrome in ("我的待办", "登记案件", "退出", "添加留言", "上传", "切换", "打印"):
        assert chrome not in text, f"{chrome!r} printed on the case file"
    web.finish()
