"""The task page as an officer reads it: the case's facts and photos first,
then one decision at a time; a step that comes back keeps the earlier
answers; an upload returns to the task; a refusal names who can act."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from .factories import officer
from .scenarios import complete, register, task_id


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_facts_and_photos_come_before_the_one_chosen_form(street_officer, lead_officer):
    case = register(street_officer, description="液氨储罐区紧急切断阀未投用")
    verify = task_id(case["id"], "verify")
    html = client_for(lead_officer).get(f"/tasks/{verify}/").content.decode()
    assert html.index("液氨储罐区紧急切断阀未投用") < html.index('id="evidence"') < html.index('id="act"')
    # one radio per action, the first chosen: its form alone is shown (the stylesheet hides the rest)
    radios = html.count('class="choose" name="choose-action"')
    assert radios == 3 and html.count(" checked>") >= 1 and 'id="choose-confirm" checked' in html
    assert html.count("<h1") == 1  # the task; the case is a level below


def test_a_refused_form_comes_back_chosen_with_what_was_typed(street_officer, lead_officer):
    verify = task_id(register(street_officer)["id"], "verify")
    html = client_for(lead_officer).post(f"/tasks/{verify}/", {
        "action": "handoff", "handoff-to_agency": "", "handoff-reason": "不属本局职责"}).content.decode()
    assert 'id="choose-handoff" checked' in html and 'id="choose-confirm" checked' not in html
    assert "不属本局职责" in html


def test_a_decision_returned_by_the_police_keeps_the_earlier_answers(
        street_officer, lead_officer, lead_leader, police_officer, future_date):
    case = register(street_officer, kind="illegal_site", title="居民楼内私存危险化学品")
    complete(lead_officer, case["id"], "verify", "confirm", note="现场核实")
    for agency, user in (("emergency", lead_officer), ("police", police_officer), ("street_changhong", street_officer)):
        complete(user, case["id"], "inspect", "record", queue=agency, findings="已查明")
    complete(lead_officer, case["id"], "decide", "ban", measures="立即取缔，清运危化品", deadline=future_date,
             refer_police=True, referral_reason="涉嫌非法储存危险物质罪", documents=["transfer_letter"])
    complete(lead_leader, case["id"], "approve_referral", "approve")
    complete(police_officer, case["id"], "police_review", "return", reason="证据不足，请补充鉴定意见")
    html = client_for(lead_officer).get(f"/tasks/{task_id(case['id'], 'decide')}/").content.decode()
    assert "立即取缔，清运危化品" in html and "涉嫌非法储存危险物质罪" in html
    assert "证据不足，请补充鉴定意见" in html  # the police's reason is on the page


def test_an_upload_on_the_task_page_returns_to_it(street_officer, lead_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    response = client_for(lead_officer).post(f"/cases/{case['id']}/evidence/", {
        "file": SimpleUploadedFile("现场.png", buffer.getvalue()), "stage": "before", "next": f"/tasks/{verify}/"})
    assert response.status_code == 302 and response["Location"] == f"/tasks/{verify}/#evidence"
    elsewhere = client_for(lead_officer).post(f"/cases/{case['id']}/evidence/", {
        "file": SimpleUploadedFile("b.png", buffer.getvalue()), "next": "https://evil.example/"})
    assert elsewhere["Location"] == f"/cases/{case['id']}/#evidence"


def test_a_refusal_names_who_can_act(street_officer):
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    html = client_for(officer("police")).get(f"/tasks/{verify}/")
    assert html.status_code == 404  # not visible at all to an agency with no part
    street = client_for(street_officer).get(f"/tasks/{verify}/").content.decode()
    assert "此任务由区应急局执法人员办理" in street and 'id="act"' not in street
