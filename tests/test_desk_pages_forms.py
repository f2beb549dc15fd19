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
