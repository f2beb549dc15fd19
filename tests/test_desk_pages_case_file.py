"""The case file page: trails, evidence side by side, comments, in both languages."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Comment, Evidence

from .factories import officer
from .scenarios import complete, register, task_id
from .test_desk_api_evidence import jpeg_with_exif, png
from .test_desk_pages import browser


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _illegal_site_referred_and_returned(street_officer, lead_officer, police_officer, future_date):
    case = register(street_officer, kind="illegal_site", title="私存危化品")
    complete(lead_officer, case["id"], "verify", "handoff", to_agency="traffic", reason="疑似运输车辆")
    complete(officer("traffic"), case["id"], "accept_handoff", "return", reason="非运输环节")
    complete(lead_officer, case["id"], "verify", "confirm")
    for agency, user in (("emergency", lead_officer), ("police", police_officer), ("street_changhong", street_officer)):
        complete(user, case["id"], "inspect", "record", queue=agency, findings="f")
    complete(lead_officer, case["id"], "decide", "ban", measures="取缔", deadline=future_date, refer_police=True,
             referral_reason="涉嫌犯罪", documents=["transfer_letter", "seized_items"])
    complete(police_officer, case["id"], "police_review", "return", reason="证据不足")
    return case


def test_case_page_shows_the_handoff_and_referral_trail(street_officer, lead_officer, police_officer, future_date):
    case = _illegal_site_referred_and_returned(street_officer, lead_officer, police_officer, future_date)
    client = browser(lead_officer)
    html = client.get(f"/cases/{case['id']}/").content.decode()
    for text in ("移交记录", "交警南开支队", "非运输环节", "已退回", "移送公安", "涉嫌犯罪", "移送书", "证据不足", "非法违法"):
        assert text in html, text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/cases/{case['id']}/").content.decode()
    for text in ("Hand-off trail", "Referral to the police", "Transfer letter", "Returned", "Illegal chemical site"):
        assert text in html, text
    listing = client.get("/cases/").content.decode()
    assert "Illegal chemical site" in listing and case["number"] in listing


def test_evidence_and_comments_through_the_case_page(street_officer, lead_officer, lead_officer2, future_date):
    case = register(street_officer)
    client = browser(lead_officer)
    response = client.post(f"/cases/{case['id']}/evidence/", {
        "file": SimpleUploadedFile("before.jpg", jpeg_with_exif()), "stage": "before", "description": "整改前照片"})
    assert response.status_code == 302
    client.post(f"/cases/{case['id']}/evidence/", {"file": SimpleUploadedFile("after.png", png()), "stage": "after"})
    refused = client.post(f"/cases/{case['id']}/evidence/", {"file": SimpleUploadedFile("x.jpg", b"%PDF-1.4")}, follow=True)
    assert "内容与文件名不符" in refused.content.decode() or "not what its name says" in refused.content.decode()
    assert Evidence.objects.count() == 2
    client.post(f"/cases/{case['id']}/comments/", {"text": "请企业本周内提交材料"})
    assert Comment.objects.get().text == "请企业本周内提交材料"

    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    complete(lead_officer, case["id"], "order", "issue", deadline=future_date, measures="m", responsible_person="p",
             funds="f", contingency_plan="c")
    complete(lead_officer, case["id"], "rectify", "submit", report="r")
    review = browser(lead_officer2).get(f"/tasks/{task_id(case['id'], 'review')}/").content.decode()
    # before and after side by side on the review page
    assert 'class="side-by-side photos"' in review
    before, after = review.index("整改前照片"), review.index("after.png")
    assert before < after
    assert browser(street_officer).get(f"/cases/{case['id']}/").content.decode().count("<img") == 2


def test_outsiders_cannot_add_evidence_or_comments(street_officer, other_officer):
    case = register(street_officer)
    client = browser(other_officer)
    assert client.post(f"/cases/{case['id']}/evidence/", {"file": SimpleUploadedFile("a.png", png())}).status_code == 404
    assert client.post(f"/cases/{case['id']}/comments/", {"text": "x"}).status_code == 404
    assert client.get(f"/cases/{case['id']}/comments/").status_code == 405
    assert not Evidence.objects.exists() and not Comment.objects.exists()
