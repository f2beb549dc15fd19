"""The authorization matrix: every role of every agency kind, every endpoint
and page, against a case their agency leads, takes part in, lies in their
street, or has nothing to do with. The table below is the rule; an endpoint
added without a row fails ``test_every_endpoint_has_a_rule``.

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

from .boundary import changed_tables, database_state, media_files
from .factories import officer
from .scenarios import complete, register, task_id

SH = ZoneInfo("Asia/Shanghai")

# persona: (agency, role, relation to the case)
PERSONAS = {
    "lead_officer": ("emergency", "officer", "lead"),
    "lead_leader": ("emergency", "leader", "lead"),
    "participant_officer": ("police", "officer", "participant"),
    "participant_leader": ("police", "leader", "participant"),
    "street_officer": ("street_changhong", "officer", "street"),
    "street_leader": ("street_changhong", "leader", "street"),
    "supervisor": ("safety_office", "supervisor", "supervisor"),
    "safety_leader": ("safety_office", "leader", "supervisor"),
    "other_bureau_officer": ("education", "officer", "none"),
    "other_bureau_leader": ("education", "leader", "none"),
    "other_street_officer": ("street_gulou", "officer", "none"),
    "other_police_officer": ("traffic", "officer", "none"),
}

VISIBLE = {"lead", "participant", "street", "supervisor"}


def everyone(status):
    return lambda relation, role: status


def if_visible(status):
    return lambda relation, role: status if relation in VISIBLE else 404


def lead_only(status, refused=403):
    """Acting on the lead agency's task: the lead acts, other visible agencies
    are refused, agencies with no part never learn the case exists."""
    return lambda relation, role: status if relation == "lead" else (refused if relation in VISIBLE else 404)


def lead_leader_only(status):
    return lambda relation, role: (
        status if relation == "lead" and role == "leader" else (403 if relation in VISIBLE else 404)
    )


def own_report_or_supervisor(status):
    """The emergency bureau's submitted report: its own unit and the safety office read it."""
    return lambda relation, role: status if relation in ("lead", "supervisor") else 404


def own_report(status, *, supervisor):
    return lambda relation, role: status if relation == "lead" else (supervisor if relation == "supervisor" else 404)


def supervisor_or_refused(status):
    """The safety office acts (the world's listing answers ``status``); other agencies
    that see the case are refused, the rest never learn it exists."""
    return lambda relation, role: status if relation == "supervisor" else (403 if relation in VISIBLE else 404)


def supervisors_only(status):
    return lambda relation, role: status if relation == "supervisor" else 403


def supervisors_and_leaders(status):
    return lambda relation, role: status if relation == "supervisor" or role == "leader" else 403


def register_keepers(status, refused):
    """The emergency bureau (the lead here) and the safety office keep the enterprise register."""
    return lambda relation, role: status if relation in ("lead", "supervisor") else refused


# url name -> (method, body, rule)
RULES = {
    # API
    "api:token-revoke": ("post", None, everyone(204)),
    "api:me": ("get", None, everyone(200)),
    "api:agencies": ("get", None, everyone(200)),
    "api:cases": ("get", None, everyone(200)),
    "api:case": ("get", None, if_visible(200)),
    "api:case-history": ("get", None, if_visible(200)),
    "api:case-evidence": ("get", None, if_visible(200)),
    "api:evidence-file": ("get", None, if_visible(200)),
    "api:case-comments": ("post", {"text": "意见"}, if_visible(201)),
    "api:tasks": ("get", None, everyone(200)),
    "api:task-claim": ("post", None, lead_only(200)),
    "api:task-unclaim": ("post", None, lead_only(200)),
    "api:task-assign": ("post", {"username": "matrix_em_officer2"}, lead_leader_only(200)),
    "api:task-complete": ("post", {"action": "agree", "opinion": "同意"}, lead_only(200)),
    "api:task-pause": ("post", {"reason": "等待检测"}, lead_only(200)),
    "api:task-resume": ("post", None, lead_only(409)),  # not paused: a conflict with its state, for the lead only
    "api:supervision-cases": ("get", None, supervisors_only(200)),
    "api:notifications": ("get", None, everyone(200)),
    "api:me-preferences": ("put", {"arrivals": "immediate", "email": False}, everyone(200)),  # one's own
    "api:me-counts": ("get", None, everyone(200)),
    "api:schema": ("get", None, everyone(200)),
    "api:docs": ("get", None, everyone(200)),
    "api:plan-tasks": ("get", None, everyone(200)),
    "api:plan-reports": ("get", None, everyone(200)),
    "api:plan-report": ("get", None, own_report_or_supervisor(200)),
    "api:plan-report-submit": ("post", None, own_report(400, supervisor=403)),  # already submitted
    "api:plan-report-accept": ("post", None, supervisors_only(200)),
    "api:plan-report-return": ("post", {"comment": "请补充"}, supervisors_only(200)),
    "api:plan-report-attachments": ("post", "png", own_report(400, supervisor=403)),  # no task named
    "api:plan-late": ("get", {"period": "2026-11"}, supervisors_only(200)),
    "api:plan-late-warn": ("post", {"agency": "traffic", "period": "2026-11", "note": "请补报"}, supervisors_only(201)),
    # the key tasks' units whose work lags (traffic missed task 13's campaign by June 2022), and campaigns
    "api:plan-lagging": ("get", None, supervisors_only(200)),
    "api:plan-lagging-warn": ("post", {"agency": "traffic", "task": 13, "note": "请加快推进"}, supervisors_only(201)),
    "api:plan-lagging-interview": ("post", {"agency": "traffic", "task": 13, "held_on": "2026-12-01",
                                            "attendees": "负责人", "minutes": "限期推进"}, supervisors_only(201)),
    "api:campaigns": ("get", None, everyone(200)),
    "api:campaign": ("get", None, everyone(200)),
    "planning:tasks": ("get", None, everyone(200)),
    "planning:lagging": ("post", {"agency": "traffic", "task": "13", "note": "x"}, everyone(302)),
    "planning:campaigns": ("get", None, everyone(200)),
    "planning:campaign": ("get", None, everyone(200)),
    "api:stats": ("get", {"period": "2026-11"}, supervisors_and_leaders(200)),
    "api:monthly-workbook": ("get", {"period": "2026-11"}, supervisors_and_leaders(200)),
    "api:case-documents": ("get", None, if_visible(200)),
    "api:document": ("get", None, if_visible(200)),
    "api:document-pdf": ("get", None, if_visible(200)),
    # service and corrections: the issuing agency (the lead, which inspected)
    "api:document-service": ("post", lambda world: {"served_at": timezone.now().isoformat(), "method": "direct",
                                                     "recipient": "张三（企业负责人）"}, lead_only(200)),
    "api:document-corrections": ("post", {"reason": "笔误", "changes": {"findings": "更正后的检查情况"}}, lead_only(201)),
    # pages (a refused form action redirects back with a message: 302)
    "desk:inbox": ("get", None, everyone(200)),
    "desk:cases": ("get", None, everyone(200)),
    "desk:case-new": ("get", None, everyone(200)),
    "desk:case": ("get", None, if_visible(200)),
    "desk:task": ("get", None, if_visible(200)),
    "desk:task-claim": ("post", None, if_visible(302)),
    # a page that always returns to the queue: who may claim is checked by its effect in test_desk_pages_inbox
    "desk:tasks-bulk": ("post", lambda world: {"bulk": "claim", "tasks": [world["task_id"]]}, everyone(302)),
    # one's own saved filters: another's is not found (test_desk_pages_saved_filters checks the effect)
    "desk:filter-save": ("post", {"page": "tasks", "name": "n", "query": "box=queue"}, everyone(302)),
    "desk:filter-delete": ("post", {"page": "tasks"}, everyone(302)),
    "desk:task-unclaim": ("post", None, if_visible(302)),
    "desk:task-assign": ("post", {"username": "matrix_em_officer2"}, if_visible(302)),
    "desk:task-pause": ("post", {"reason": "等待检测"}, if_visible(302)),
    "desk:task-resume": ("post", None, if_visible(302)),
    "desk:evidence-upload": ("post", "png", if_visible(302)),
    "desk:comment-add": ("post", {"text": "意见"}, if_visible(302)),
    "supervision:board": ("get", None, supervisors_and_leaders(200)),
    "planning:dashboard": ("get", None, supervisors_and_leaders(200)),
    "planning:reports": ("get", None, everyone(200)),
    "planning:report-edit": ("get", None, everyone(200)),
    "planning:report-review": ("post", {"decision": "accept"}, everyone(302)),
    "planning:late-warn": ("post", {"agency": "traffic", "period": "2026-11", "note": "x"}, everyone(302)),
    # 挂牌督办 of the world's listed major hazard (led by the emergency bureau, police consulted)
    "api:listings": ("get", None, everyone(200)),
    "api:listing-publish": ("post", {"channel": "网站"}, supervisor_or_refused(200)),
    "api:listing-extend": ("post", lambda world: {"reason": "设备订货", "new_deadline": world["listing_deadline"]},
                           lead_only(200)),
    "api:listing-grant": ("post", {}, supervisor_or_refused(409)),  # nothing asked for yet
    "api:listing-refuse": ("post", {"note": "不同意"}, supervisor_or_refused(409)),
    "api:listing-remove": ("post", {"report": "已整改"}, lead_only(409)),  # the review has not passed
    "api:listing-approve-removal": ("post", {}, supervisor_or_refused(409)),
    "supervision:listing-create": ("post", {"deadline": "2026-12-31", "requirements": "r"}, if_visible(302)),
    "supervision:listing-action": ("post", lambda world: {"reason": "设备订货", "new_deadline": world["listing_deadline"]},
                                   if_visible(302)),
    "enforcement:document": ("get", None, if_visible(200)),
    "enforcement:document-pdf": ("get", None, if_visible(200)),
    "notifications": ("get", None, everyone(200)),
    "notifications-read": ("post", None, everyone(302)),
    "notifications-preferences": ("post", {"arrivals": "off"}, everyone(302)),
    # the enterprise register: the world's case names an enterprise in 长虹街道 (visible with the case or the
    # street; the emergency bureau and supervisors see all of it and keep it)
    "api:enterprises": ("get", None, everyone(200)),
    "api:enterprise": ("get", None, if_visible(200)),
    "api:enterprise-cases": ("get", None, if_visible(200)),
    "api:enterprise-import": ("post", "png", register_keepers(400, refused=403)),  # a PNG is not a workbook
    "api:enterprise-import-job": ("get", None, own_report_or_supervisor(200)),  # the emergency bureau's import
    "api:enterprise-template": ("get", None, everyone(200)),
    "api:enterprise-export": ("get", None, everyone(200)),
    "api:code": ("get", None, everyone(200)),  # public: the product's safety card, nothing else
    "register:enterprises": ("get", None, everyone(200)),
    "register:enterprise": ("get", None, if_visible(200)),
    "register:labels": ("get", None, if_visible(200)),
    "register:enterprise-edit": ("get", None, lambda relation, role: 200 if relation in ("lead", "supervisor")
                                 else 403 if relation in VISIBLE else 404),
    "register:import": ("get", None, register_keepers(200, refused=403)),
    "register:import-job": ("get", None, own_report_or_supervisor(200)),
    "register:template": ("get", None, everyone(200)),
    "register:export": ("get", None, everyone(200)),
    "register:risk": ("get", None, supervisors_and_leaders(200)),
    "register:code": ("get", None, everyone(200)),
}

def lead(relation, role):
    return relation == "lead"


def supervisors(relation, role):
    return relation == "supervisor"


# Who changes something by a page's form (a page answers 302 to the permitted and the refused alike).
# An API row changes something exactly when its expected status is 2xx, unless named here.
EFFECTS = {
    "desk:task-claim": lead,
    "desk:tasks-bulk": lead,  # bulk claim: only the lead's officers and leaders hold the queue
    "desk:task-unclaim": lambda relation, role: False,  # nobody holds the task: nothing to return
    "desk:task-assign": lambda relation, role: relation == "lead" and role == "leader",
    "desk:task-pause": lead,
    "desk:task-resume": lambda relation, role: False,  # the task is not paused
    "desk:evidence-upload": lambda relation, role: relation in VISIBLE,
    "desk:comment-add": lambda relation, role: relation in VISIBLE,
    "desk:filter-save": lambda relation, role: True,  # one's own
    "desk:filter-delete": lambda relation, role: relation == "lead" and role == "officer",  # the lead officer's filter
    "supervision:listing-create": lambda relation, role: False,  # a general hazard is not listed
    "supervision:listing-action": lead,  # the lead asks for more time
    "planning:lagging": supervisors,
    "planning:report-review": supervisors,
    "planning:late-warn": supervisors,
    # of the personas, only the lead's leader has been told something (the major hazard's listing)
    "notifications-read": lambda relation, role: relation == "lead" and role == "leader",
    "notifications-preferences": lambda relation, role: True,  # one's own
    "api:token-revoke": lambda relation, role: False,  # a session, not a token: nothing to revoke
    "api:task-unclaim": lambda relation, role: False,
}


def expected_change(name, method, status, relation, role) -> bool:
    if name in EFFECTS:
        return EFFECTS[name](relation, role)
    return method != "get" and name.startswith("api:") and 200 <= status < 300


# Not case data: public, or checked by their own tests.
EXEMPT = {
    "healthz", "readyz", "login", "logout", "set_language",
    "api:token",  # public: exchanges a password for a token (test_security)
    "api:intake-alarms",  # signed machine-to-machine intake (test_api_intake)
}

# Registering a case is open to every officer; it is checked without the matrix's rollback below.
CREATE = {"api:cases:post"}


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
