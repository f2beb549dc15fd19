"""The enterprise register in a real browser: the emergency bureau imports a
workbook (progress, then the result), opens an enterprise of it, and prints
its product labels; a label's QR link opens the product's safety card without
login."""
from playwright.sync_api import expect

from cases.models import Enterprise

from .factories import make_uscc, officer
from .test_register_import import build


def test_import_open_an_enterprise_and_print_its_labels(web, tmp_path):
    keeper = officer("emergency", username="yingji_sun", full_name="孙丽")
    workbook = tmp_path / "企业档案.xlsx"
    workbook.write_bytes(build(30))

    page = web.login(keeper)
    page.locator("header nav").get_by_role("link", name="企业档案").click()
    expect(page.locator("h1")).to_have_text("企业档案")
    page.get_by_role("link", name="导入工作簿").click()
    page.get_by_label("工作簿（.xlsx）").set_input_files(str(workbook))
    web.shot(page, "import")
    page.get_by_role("button", name="导入").click()
    expect(page.locator("main")).to_contain_text("新增 30 家企业，更新 0 家")
    assert Enterprise.objects.count() == 30
    web.shot(page, "import-done")

    page.get_by_role("link", name="打开企业档案").click()
    page.get_by_label("风险等级").select_option("red")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.list tbody tr")).to_have_count(8)
    web.shot(page, "list")
    page.get_by_role("link", name="企业0", exact=True).click()
    expect(page.locator("h1")).to_contain_text("企业0")
    expect(page.locator("main")).to_contain_text(make_uscc(100_000))
    expect(page.locator("section", has_text="产品及安全码")).to_contain_text("7664-41-7")
    web.shot(page, "enterprise")

    page.get_by_role("link", name="打印产品标签").click()
    labels = page.locator(".label")
    expect(labels).to_have_count(2)
    expect(labels.first.locator("img.qr")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    web.shot(page, "labels-print")
    page.emulate_media(media="screen")
    code = labels.filter(has_text="液氨").locator(".code").inner_text()

    card = web.new_page()  # no login: what a scanned label opens
    web.go(card, f"/codes/{code}")
    expect(card.locator("h1")).to_have_text("液氨")
    expect(card.locator("main")).to_contain_text("022-27000000")
    expect(card.locator("main")).not_to_contain_text(make_uscc(100_000))
    web.shot(card, "card")
    web.finish()
