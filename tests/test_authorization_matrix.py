"""The authorization matrix: every role of every agency kind, every endpoint
and page, against a case their agency leads, takes part in, lies in their
street, or has nothing to do with. The table is the rule; an endpoint
added without a row fails ``test_every_endpoint_has_a_rule`` (the table is
tests/authorization_rules.py).

The case: a hazard in 长虹街道, led by the emergency bureau, with the police
consulted. The task acted on is the emergency bureau's consultation task.

Each cell also compares every row of the database before and after: a refused
action (and every read) changed nothing, a permitted one changed something.
The pages answer a permitted and a refused form alike (302 back, with a
message), so for them ``EFFECTS`` says who acts. The clock is fixed: the world
is the one of 3 December 2026, whatever day the suite runs.
"""
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from cases.models import Enterprise
from desk.models import SavedFilter
from enforcement.models import Document
from enforcement.rendering import render
from org.models import User
from planning.campaigns import open_campaign
from planning.reports import save_report
from register.models import ImportJob
from register.services import update_enterprise
from supervision.listings import list_case

from .authorization_rules import EFFECTS, EXEMPT, PERSONAS, RULES, expected_change
from .boundary import changed_tables, database_state, media_files
from .factories import officer
from .scenarios import complete, register, task_id

SH = ZoneInfo("Asia/Shanghai")


def all_url_names():
    names = set()

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                walk(pattern, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver())
    return names


def test_every_endpoint_has_a_rule():
    missing = all_url_names() - set(RULES) - EXEMPT
    assert not missing, f"endpoints without an authorization rule: {sorted(missing)}"


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, "PNG")
    return SimpleUploadedFile("p.png", buffer.getvalue())


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    users = {}
    for name, (agency, role, _relation) in PERSONAS.items():
        users[name] = officer(agency, role=role, username=f"matrix_{name}")
    officer("emergency", username="matrix_em_officer2")
    case = register(users["street_officer"])
    complete(users["lead_officer"], case["id"], "verify", "confirm", grade="general", agencies=["police"])
    task = task_id(case["id"], "consult", "emergency")
    evidence = APIClient()
    evidence.force_authenticate(users["lead_officer"])
    evidence_id = evidence.post(f"/api/v1/cases/{case['id']}/evidence", {"file": _png()}, format="multipart").json()["id"]
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.timezone.utc), tick=False):
        report = save_report(actor=users["lead_officer"], kind="monthly", period="2026-11", submit=True,
                             entries=[{"task": 8, "status": "in_progress", "progress": "p"}])
    document = Document.objects.get(case_id=case["id"], type="inspection_record")
    render(document.pk)  # drawn, as after issue: its download is then a pure read
    major = register(users["street_officer"])
    complete(users["lead_officer"], major["id"], "verify", "confirm", grade="major", criteria=[5], agencies=["police"])
    deadline = timezone.localdate() + dt.timedelta(days=60)
    listing = list_case(actor=users["supervisor"], case_id=major["id"], deadline=deadline, requirements="限期整改")
    campaign = open_campaign(actor=users["supervisor"], name="专项行动", lead="emergency", agencies=[],
                             starts_on=timezone.localdate(), ends_on=timezone.localdate())
    enterprise = Enterprise.objects.get(uscc=case["enterprise"]["uscc"])
    update_enterprise(actor=users["lead_officer"], enterprise=enterprise,
                      data={"products": [{"name": "液氨", "cas": "7664-41-7", "un_number": "1005"}]})
    job = ImportJob.objects.create(created_by=users["lead_officer"], agency=users["lead_officer"].agency,
                                   file_name="r.xlsx", content=b"", status="done")
    return {"users": users, "uscc": enterprise.uscc, "code": enterprise.products.get().code, "job_id": job.pk,
            "case_id": case["id"], "task_id": task, "evidence_id": evidence_id, "report_id": report.pk,
            "document_id": document.pk, "listing_id": listing.pk, "campaign_id": campaign.pk,
            "filter_id": SavedFilter.objects.create(user=users["lead_officer"], page="tasks", name="f", query="q=1").pk,
            "listing_deadline": (deadline + dt.timedelta(days=30)).isoformat()}


def _url(name, world):
    kwargs = {"case_id": world["case_id"], "task_id": world["task_id"], "evidence_id": world["evidence_id"]}
    for candidate in (kwargs, {k: kwargs[k] for k in ("case_id", "evidence_id")}, {"case_id": kwargs["case_id"]},
                      {"task_id": kwargs["task_id"]}, {"report_id": world["report_id"]},
                      {"document_id": world["document_id"]}, {"listing_id": world["listing_id"]},
                      {"listing_id": world["listing_id"], "action": "extend"}, {"campaign_id": world["campaign_id"]},
                      {"action": "warn"}, {"uscc": world["uscc"]}, {"code": world["code"]},
                      {"job_id": world["job_id"]},
                      {"filter_id": world["filter_id"]},
                      {"kind": "monthly", "period": "2026-11"}, {}):
        try:
            return reverse(name, kwargs=candidate)
        except Exception:  # noqa: BLE001 - try the next set of arguments
            continue
    raise AssertionError(f"cannot reverse {name}")


def _request(user, name, method, body, url, world):
    body = body(world) if callable(body) else body
    if name.startswith("api:"):
        client = APIClient()
        client.force_authenticate(user)
        if body == "png":
            return client.post(url, {"file": _png()}, format="multipart")
        if method in ("post", "put"):
            return getattr(client, method)(url, body or {}, format="json")
        return client.get(url, body or {})
    client = Client()
    client.force_login(user)
    if method == "get":
        return client.get(url, body or {})
    return client.post(url, {"file": _png()} if body == "png" else (body or {}))


@pytest.fixture(autouse=True)
def december_2026():
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=SH), tick=True):
        yield


def test_every_page_form_says_who_it_changes_something_for():
    pages = {name for name, (method, _body, _rule) in RULES.items() if method != "get" and not name.startswith("api:")}
    assert pages <= set(EFFECTS), f"page forms without an effect rule: {sorted(pages - set(EFFECTS))}"


@pytest.mark.parametrize("name", sorted(RULES))
def test_authorization_matrix(world, name):
    method, body, rule = RULES[name]
    url = _url(name, world)
    before = database_state()
    table = []
    for persona, (_agency, role, relation) in PERSONAS.items():
        user = User.objects.get(username=f"matrix_{persona}")
        before["files"] = media_files()  # a rolled-back cell's upload stays on disk
        with transaction.atomic():
            response = _request(user, name, method, body, url, world)
            changed = changed_tables(before, database_state())
            transaction.set_rollback(True)  # each cell starts from the same world
        expected = rule(relation, role)
        table.append((persona, expected, response.status_code,
                      expected_change(name, method, expected, relation, role), changed))
    wrong = [row for row in table if row[1] != row[2] or row[3] != bool(row[4])]
    assert not wrong, (f"{name} {method.upper()} {url}: (persona, expected, got, expected a change, "
                       f"tables changed) {wrong}")


def test_any_officer_may_register_a_case(world):
    for persona in PERSONAS:
        client = APIClient()
        client.force_authenticate(User.objects.get(username=f"matrix_{persona}"))
        response = client.post("/api/v1/cases", {
            "kind": "hazard", "title": "t", "address": "a", "street": "changhong"}, format="json")
        assert response.status_code == 201, persona
