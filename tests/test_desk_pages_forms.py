"""Every main form sent empty comes back with its errors beside the fields,
linked to them for a screen reader (``aria-describedby`` → the error's id,
``aria-invalid``) and announced (``role="alert"``); nothing is saved."""
import re

from cases.models import Campaign, Case
from enforcement.models import Document

from .scenarios import register, task_id


def linked_errors(html: str) -> dict[str, str]:
    """Each invalid field's id and the text of the error its aria-describedby names."""
    found = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*aria-invalid=\"true\"[^>]*>", html):
        field_id = re.search(r'\sid="([^"]+)"', tag).group(1)
        described = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
        error_id = f"{field_id}_error"
        assert error_id in described, tag
        error = re.search(rf'<p class="error" id="{error_id}">([^<]+)</p>', html)
        assert error, f"no error element {error_id}"
        found[field_id] = error.group(1)
    return found


def test_registration_sent_empty(client, street_officer):
    client.force_login(street_officer)
    before = Case.objects.count()
    response = client.post("/cases/new/", {})
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    errors = linked_errors(html)
    assert {"id_title", "id_kind"} <= set(errors)
    assert Case.objects.count() == before


def test_a_task_form_sent_empty(client, street_officer, lead_officer, future_date):
    case = register(street_officer)
    client.force_login(lead_officer)
    task = task_id(case["id"], "verify")
    response = client.post(f"/tasks/{task}/", {"action": "confirm"})
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert "id_confirm-grade" in linked_errors(html)
    assert Case.objects.get(pk=case["id"]).state == "discovered"


def test_a_campaign_sent_empty(client, supervisor):
    client.force_login(supervisor)
    response = client.post("/plan/campaigns/", {})
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert {"id_name", "id_starts_on", "id_ends_on"} <= set(linked_errors(html))
    assert not Campaign.objects.exists()


def test_a_document_service_sent_empty(client, street_officer, lead_officer):
    from .scenarios import complete

    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=[])
    document = Document.objects.filter(case_id=case["id"]).first()
    client.force_login(lead_officer)
    response = client.post(f"/documents/{document.pk}/", {"service": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert linked_errors(html)
    document.refresh_from_db()
    assert document.served_at is None


def test_the_login_error_is_announced(client, db):
    html = client.post("/login/", {"username": "nobody", "password": "x"}).content.decode()
    assert re.search(r'<div class="error" role="alert" aria-live="assertive">', html)


def _photo(name="现场.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


REGISTRATION = {"kind": "hazard", "title": "仓库未分区存放", "description": "d", "address": "南开区长虹路1号",
                "street": "changhong", "source": "街道巡查"}


def test_registration_takes_photos_as_the_first_evidence(client, street_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(street_officer)
    response = client.post("/cases/new/", {**REGISTRATION, "photos": [_photo("a.png"), _photo("b.png")]})
    assert response.status_code == 302
    case = Case.objects.get(title="仓库未分区存放")
    assert sorted((e.original_name, e.stage) for e in case.evidence.all()) == [("a.png", "before"), ("b.png", "before")]


def test_a_bad_photo_refuses_the_whole_registration_and_keeps_no_file(client, street_officer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(street_officer)
    fake = SimpleUploadedFile("b.jpg", b"not a picture", content_type="image/jpeg")
    response = client.post("/cases/new/", {**REGISTRATION, "photos": [_photo("a.png"), fake]})
    assert response.status_code == 200 and 'class="messages"' in response.content.decode()
    too_many = client.post("/cases/new/", {**REGISTRATION, "photos": [_photo(f"{n}.png") for n in range(6)]})
    assert too_many.status_code == 200
    assert not Case.objects.filter(title="仓库未分区存放").exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_a_kind_without_grades_asks_for_none(client, supervisor):
    client.force_login(supervisor)
    assert '<select name="grade"' in client.get("/cases/new/?kind=hazard").content.decode()
    for kind in ("transport", "penalty", "illegal_site"):
        html = client.get(f"/cases/new/?kind={kind}").content.decode()
        assert '<select name="grade"' not in html and 'type="hidden" name="grade"' in html, kind
        assert "隐患等级（如已确定）" not in html and "Grade (if known)" not in html, kind
