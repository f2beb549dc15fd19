"""The register's pages (docs/register.md): the list with its filters and a
pinned number of queries, the enterprise's file with its visible cases and
documents newest first, the label sheet whose QR (decoded here) opens the
product's public safety card, the import with its progress, the leaders' risk
map, and the licence reminders through the outbox."""
import base64
import datetime as dt
import io
import re

import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from cases.models import Enterprise
from org.models import Notification, User
from register.models import ImportJob, Licence
from register.services import remind_licences

from .factories import make_uscc, officer, register_enterprise
from .scenarios import complete, register
from .test_register_import import build

pytestmark = pytest.mark.django_db


def page(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_list_filters_and_its_queries_do_not_grow_with_the_rows(lead_officer, django_assert_max_num_queries):
    for serial in range(1, 4):
        register_enterprise(serial, risk="red" if serial == 1 else "blue")
    client = page(lead_officer)
    with django_assert_max_num_queries(12) as few:
        response = client.get("/enterprises/")
    assert response.status_code == 200 and "天津南开第3化工有限公司" in response.content.decode()
    for serial in range(4, 30):
        register_enterprise(serial)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/enterprises/").status_code == 200
    text = client.get("/enterprises/", {"risk": "red"}).content.decode()
    assert "天津南开第1化工有限公司" in text and "天津南开第2化工有限公司" not in text
    assert "风险" in text or "Risk" in text
    bad = client.get("/enterprises/", {"risk": "purple", "street": "x"})
    assert bad.status_code == 200 and "天津南开第2化工有限公司" in bad.content.decode()  # the bad filter said, the rest shown


def test_the_enterprise_file_lists_visible_cases_and_documents_newest_first(street_officer, lead_officer,
                                                                            other_officer):
    enterprise = register_enterprise(40)
    first = register(street_officer, title="第一件隐患", enterprise={"uscc": enterprise.uscc})
    second = register(street_officer, title="第二件隐患", enterprise={"uscc": enterprise.uscc})
    complete(lead_officer, first["id"], "verify", "confirm", grade="general")
    text = page(street_officer).get(f"/enterprises/{enterprise.uscc}/").content.decode()
    assert text.index(second["number"]) < text.index(first["number"])
    assert "南开应急" in text  # the inspection record of the verification
    assert "液氨储罐区" in text and "7664-41-7" in text
    assert page(other_officer).get(f"/enterprises/{enterprise.uscc}/").status_code == 404
    assert page(other_officer).get(f"/enterprises/{enterprise.uscc}/labels/").status_code == 404
    assert page(street_officer).get("/enterprises/NOT-A-CODE/").status_code == 404


def test_a_scanned_label_opens_the_product_card_without_login(street_officer):
    enterprise = register_enterprise(41, products=[
        {"name": "液氨", "cas": "7664-41-7", "un_number": "1005", "hazards": "有毒气体", "emergency_phone": "022-27000000"},
        {"name": "甲醇", "cas": "67-56-1", "un_number": "1230"}])
    text = page(street_officer).get(f"/enterprises/{enterprise.uscc}/labels/").content.decode()
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
    assert len(images) == 2
    scanned = [zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(data))))[0].text for data in images]
    codes = dict(enterprise.products.values_list("name", "code"))
    assert sorted(scanned) == sorted(f"http://testserver/codes/{code}" for code in codes.values())
    url = next(url for url in scanned if url.endswith(codes["液氨"]))
    card = page(None).get(url.removeprefix("http://testserver"))
    body = card.content.decode()
    assert card.status_code == 200 and "液氨" in body and "有毒气体" in body and "022-27000000" in body
    for private in (enterprise.uscc, "王某", "李某", "022-23456789", "NK-"):
        assert private not in body
    assert page(None).get("/codes/AAAAAAAAAAAA").status_code == 404


def test_import_through_the_page_shows_progress_then_the_result(lead_officer, street_officer):
    client = page(lead_officer)
    assert "企业" in client.get("/enterprises/import/").content.decode()
    response = client.post("/enterprises/import/", {"file": SimpleUploadedFile("r.xlsx", build(3))})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/enterprises/imports/{job.pk}/"
    text = client.get(response["Location"]).content.decode()
    assert "http-equiv" not in text and "3" in text and Enterprise.objects.count() == 3
    waiting = ImportJob.objects.create(created_by=lead_officer, agency=lead_officer.agency, file_name="w.xlsx",
                                       content=b"PK", status="checking", total=100, processed=40)
    text = client.get(f"/enterprises/imports/{waiting.pk}/").content.decode()
    assert 'http-equiv="refresh"' in text and 'value="40"' in text
    refused = client.post("/enterprises/import/", {"file": SimpleUploadedFile("r.xlsx", b"hello")}, follow=True)
    assert "xlsx" in refused.content.decode() and ImportJob.objects.count() == 2
    assert page(street_officer).get("/enterprises/import/").status_code == 403
    assert page(street_officer).get(f"/enterprises/imports/{job.pk}/").status_code == 404


def test_the_risk_map_for_leaders(lead_leader, street_officer):
    register_enterprise(42, risk="red")
    text = page(lead_leader).get("/enterprises/risk/").content.decode()
    assert "天津南开第42化工有限公司" in text and "<circle" in text
    assert page(street_officer).get("/enterprises/risk/").status_code == 403


def test_licence_reminders_once_per_expiry_to_the_supervising_agencies(lead_leader):
    street_leader = officer("street_changhong", role=User.Role.LEADER, username="ch_leader")
    enterprise = register_enterprise(43)
    licence = Licence.objects.get(enterprise=enterprise)
    today = timezone.localdate()
    licence.valid_to = today + dt.timedelta(days=20)
    licence.save()
    assert remind_licences(today=today) == 1
    notes = Notification.objects.filter(subject__contains=enterprise.name)
    assert {note.recipient for note in notes} == {lead_leader, street_leader}
    assert remind_licences(today=today) == 0  # once
    licence.valid_to = today + dt.timedelta(days=25)  # renewed: a new expiry is reminded again
    licence.save()
    assert remind_licences(today=today) == 1
    licence.valid_to = today - dt.timedelta(days=1)
    licence.save()
    text = page(lead_leader).get(f"/enterprises/{enterprise.uscc}/").content.decode()
    assert "已过期" in text or "Expired" in text
    assert make_uscc(43) in page(lead_leader).get("/enterprises/", {"licence_expiring": "1"}).content.decode()


def test_registering_on_the_page_with_a_known_code_needs_no_name_nor_address(street_officer):
    enterprise = register_enterprise(44)
    client = page(street_officer)
    response = client.post("/cases/new/", {"kind": "hazard", "title": "库房未分区存放", "street": "street_changhong",
                                           "enterprise_uscc": enterprise.uscc})
    assert response.status_code == 302, response.content.decode()[:2000]
    case = enterprise.cases.get()
    assert case.address == enterprise.address
    text = client.get(response["Location"]).content.decode()
    assert f'href="/enterprises/{enterprise.uscc}/"' in text
    refused = client.post("/cases/new/", {"kind": "hazard", "title": "t", "street": "street_changhong",
                                          "enterprise_uscc": make_uscc(45)})
    assert refused.status_code == 200 and enterprise.cases.count() == 1
    assert not Enterprise.objects.filter(uscc=make_uscc(45)).exists()


def test_labels_carry_the_sites_public_address_when_set(street_officer, settings):
    settings.SITE_URL = "https://aqsc.nankai.gov.local"
    enterprise = register_enterprise(42, products=[{"name": "甲苯", "cas": "108-88-3", "un_number": "1294"}])
    text = page(street_officer).get(f"/enterprises/{enterprise.uscc}/labels/").content.decode()
    data = re.findall(r'src="data:image/png;base64,([^"]+)"', text)[0]
    scanned = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(data))))[0].text
    assert scanned == f"https://aqsc.nankai.gov.local/codes/{enterprise.products.get().code}"


def test_the_register_keeper_edits_an_enterprise_on_its_page(lead_officer, street_officer):
    enterprise = register_enterprise(43)
    keeper = page(lead_officer)
    assert "/edit/" in keeper.get(f"/enterprises/{enterprise.uscc}/").content.decode()
    form = keeper.get(f"/enterprises/{enterprise.uscc}/edit/").content.decode()
    assert enterprise.name in form
    refused = keeper.post(f"/enterprises/{enterprise.uscc}/edit/", {"name": "", "street": "street_changhong",
                                                                    "latitude": "91"})
    assert refused.status_code == 200 and 'aria-invalid="true"' in refused.content.decode()
    saved = keeper.post(f"/enterprises/{enterprise.uscc}/edit/", {
        "name": "天津新名化工有限公司", "address": "南开区新址1号", "street": "street_gulou", "activities": ["storage"],
        "risk": "orange", "phone": "022-1", "latitude": "39.1", "longitude": "117.15"})
    assert saved.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.street.code, enterprise.risk, enterprise.activities) == (
        "天津新名化工有限公司", "street_gulou", "orange", ["storage"])
    # a street officer reads the file but keeps no register: no button, and the page refuses
    assert "/edit/" not in page(street_officer).get(f"/enterprises/{enterprise.uscc}/").content.decode()
    assert page(street_officer).get(f"/enterprises/{enterprise.uscc}/edit/").status_code in (403, 404)
