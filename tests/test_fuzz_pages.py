"""Property-based fuzzing of every page form and filter with Hypothesis, as a
browser would send them (form-encoded text, so no lone surrogates, but NUL,
control characters, absurd dates and periods, ids in other scripts): the page
never answers 5xx, and a refused form changes nothing."""
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from org.models import User

from .fuzzing import PROFILE, Tally, build_world, check_one, files, page_refused, page_text

TALLY = Tally()

TASK_FIELDS = ["grade", "agencies", "criteria", "note", "reason", "opinion", "deadline", "measures",
               "responsible_person", "funds", "contingency_plan", "report", "to_agency", "agency", "findings",
               "held_on", "attendees", "minutes", "refer_police", "referral_reason", "documents", "police_case_no",
               "disposal_unit", "manifest_no", "provision", "amount", "others", "reasons", "statement", "adopted",
               "waived", "requested_on", "told_on", "chair", "transcript", "discussed_on", "discussion", "until", "served_on",
               "method", "recipient", "receipt_no", "paid_on", "amount_paid", "applied_on", "court", "co_officer",
               "evidence", "provisions", "measure", "joint", "document"]
ACTIONS = ["confirm", "dismiss", "handoff", "issue", "submit", "pass", "fail", "approve", "reject", "warn",
           "interview", "resolve", "agree", "", "nonsense", "notify", "statement", "request_hearing", "none", "held",
           "absent", "decide", "no_penalty", "extend", "served", "paid", "enforce", "done", "punish", "return"]
dates = st.sampled_from(["9999-12-31", "0001-01-01", "2026-12-31", "2027-01-15", "2020-01-01", "2026-02-30", ""])
periods = st.sampled_from(["0000-01", "9999-12", "2026-11", "2026-12", "2027-01", "1999-12", "2026-13", "x"])
value = st.one_of(page_text, dates)


def form(*keys: str, **plausible):
    return st.fixed_dictionaries({}, optional={key: st.one_of(value, plausible.get(key, value)) for key in keys})


@st.composite
def task_form(draw):
    action = draw(st.sampled_from(ACTIONS))
    fields = draw(form(*TASK_FIELDS, grade=st.sampled_from(["general", "major"]), deadline=dates, held_on=dates))
    return {"action": action, **{f"{action}-{key}": val for key, val in fields.items()}}


@st.composite
def report_form(draw):
    numbers = draw(st.lists(st.sampled_from(["8", "9", "10", "19", "0", "²"]), max_size=3))
    data = {}
    for number in numbers:
        data[f"status-{number}"] = draw(st.one_of(st.sampled_from(["in_progress", "done", "x"]), page_text))
        data[f"progress-{number}"] = draw(page_text)
    if draw(st.booleans()):
        data["submit"] = "1"
    return data


# name: (method, path with {placeholders}, who, form strategy)
PAGES = {
    "login": ("post", "/login/", None, form("username", "password")),
    "case-new": ("post", "/cases/new/", "street", form(
        "kind", "title", "description", "address", "street", "grade", "enterprise_name", "enterprise_uscc", "source",
        kind=st.just("hazard"), street=st.just("street_changhong"))),
    "task": ("post", "/tasks/{task}/", "lead", task_form()),
    "task-kinds": ("post", "/tasks/{kindtask}/", "lead", task_form()),
    "case-new-kinds": ("post", "/cases/new/", "lead", form(
        "kind", "title", "address", "street", "enterprise_name", "enterprise_uscc", "source_case", "party_type",
        "party_name", "act_on", "vehicle_plate", "un_number", "cargo_name", "carrier_name", "carrier_uscc", "driver",
        "location", "violations", "spill", "measures", kind=st.sampled_from(["penalty", "transport"]),
        street=st.just("street_changhong"))),
    "task-supervise": ("post", "/tasks/{task}/", "supervisor", task_form()),
    "task-claim": ("post", "/tasks/{task}/claim/", "lead", form("next")),
    "task-unclaim": ("post", "/tasks/{task}/unclaim/", "lead", form("next")),
    "task-assign": ("post", "/tasks/{task}/assign/", "leader", form("username", "next")),
    "task-pause": ("post", "/tasks/{task}/pause/", "lead", form("reason", "next")),
    "task-resume": ("post", "/tasks/{task}/resume/", "lead", form("next")),
    "comment": ("post", "/cases/{case}/comments/", "lead", form("text")),
    "evidence": ("post", "/cases/{case}/evidence/", "lead", "upload"),
    "inbox": ("get", "/", "lead", form("box", "q", "kind", "street", "overdue", "page")),
    "case-list": ("get", "/cases/", "supervisor", form("kind", "state", "lead_agency", "street", "overdue",
                                                      "supervised", "q", "page")),
    "case-page": ("get", "/cases/{case}/", "street", form("page")),
    "task-page": ("get", "/tasks/{task}/", "lead", form("page")),
    "board": ("get", "/supervision/", "supervisor", form("level", "agency", "street")),
    "dashboard": ("get", "/plan/dashboard/", "leader", form("period", period=periods)),
    "reports": ("get", "/plan/reports/", "supervisor", form("period", period=periods)),
    "report-edit": ("post", "/plan/reports/{kind}/{period}/", "lead", report_form()),
    "report-review": ("post", "/plan/reports/{report}/review/", "supervisor", form(
        "decision", "comment", decision=st.sampled_from(["accept", "return"]))),
    "late-warn": ("post", "/plan/reports/late/warn/", "supervisor", form(
        "agency", "period", "note", period=periods, agency=st.just("police"))),
    "document-page": ("get", "/documents/{document}/", "street", form("page")),
    "document-service": ("post", "/documents/{document}/", "lead", form(
        "service", "service-served_at", "service-method", "service-recipient", "service-note", service=st.just("1"),
        **{"service-method": st.sampled_from(["direct", "left", "pigeon"]),
           "service-served_at": st.sampled_from(["2026-12-01T10:00", "0001-01-01T00:00", "2026-13-45T00:00"])})),
    "document-correction": ("post", "/documents/{document}/", "lead", form(
        "correction", "correction-reason", "correction-fact_findings", "correction-fact_measures",
        correction=st.just("1"))),
    "listing-create": ("post", "/supervision/cases/{case}/list/", "supervisor", form(
        "deadline", "requirements", "responsible_agency",
        deadline=st.sampled_from(["9999-12-31", "2027-01-15", "2026-02-30", "²"]))),
    "listing-action": ("post", "/supervision/listings/{listing}/{action}/", "lead", form(
        "reason", "new_deadline", "note", "report", "channel", "published_on",
        new_deadline=st.sampled_from(["9999-12-31", "2027-03-01", "2026-02-30"]))),
    "plan-tasks": ("get", "/plan/tasks/", "street", form("page")),
    "lagging": ("post", "/plan/tasks/lagging/{lagging}/", "supervisor", form(
        "agency", "task", "note", "held_on", "attendees", "minutes", agency=st.sampled_from(["traffic", "x"]),
        task=st.sampled_from(["13", "4", "²", "99999999999999999999"]),
        held_on=st.sampled_from(["2026-12-01", "2026-02-30", "9999-12-31"]))),
    "campaigns": ("post", "/plan/campaigns/", "supervisor", form(
        "name", "lead", "agencies", "starts_on", "ends_on", "plan_task", lead=st.sampled_from(["traffic", "x"]),
        starts_on=st.sampled_from(["2026-11-01", "2026-02-30", "0001-01-01"]),
        ends_on=st.sampled_from(["2026-12-31", "9999-12-31", "2026-10-01"]),
        plan_task=st.sampled_from(["13", "23", "²", ""]))),
    "campaign-page": ("get", "/plan/campaigns/{campaign}/", "street", form("page")),
    "enterprises": ("get", "/enterprises/", "supervisor", form(
        "q", "street", "activity", "risk", "licence_expiring", "open_hazards", "page",
        risk=st.sampled_from(["red", "x"]), street=st.sampled_from(["street_changhong", "gulou", "x"]))),
    "enterprise-page": ("get", "/enterprises/{uscc}/", "street", form("page")),
    "enterprise-labels": ("get", "/enterprises/{uscc}/labels/", "street", form("page")),
    "enterprise-edit": ("post", "/enterprises/{uscc}/edit/", "lead", form(
        "name", "address", "street", "activities", "risk", "phone", "latitude", "longitude",
        street=st.sampled_from(["street_gulou", "x"]), risk=st.sampled_from(["red", "x"]),
        latitude=st.sampled_from(["39.1", "91", "x"]))),
    "enterprise-import": ("post", "/enterprises/import/", "lead", "upload"),
    "enterprise-import-job": ("get", "/enterprises/imports/{job}/", "lead", form("page")),
    "enterprise-export": ("get", "/enterprises/export.xlsx", "lead", form(
        "q", "street", "risk", "licence_expiring", licence_expiring=st.sampled_from(["1", "maybe"]))),
    "risk-map": ("get", "/enterprises/risk/", "leader", form("x")),
    "safety-card": ("get", "/codes/{code}", None, form("x")),
    "notifications": ("get", "/notifications/", "lead", form("page")),
    "notifications-read": ("post", "/notifications/read/", "lead", form("x")),
    "notifications-preferences": ("post", "/notifications/preferences/", "lead", form("arrivals", "email")),
    "filter-save": ("post", "/filters/", "lead", form("page", "name", "query", page=st.sampled_from(["tasks", "cases"]),
                                                     query=st.sampled_from(["box=queue&q=1", "kind=%00", "sort=x"]))),
    "filter-delete": ("post", "/filters/1/delete/", "lead", form("page")),
    "set-language": ("post", "/i18n/setlang/", "lead", form("language", "next", language=st.sampled_from(["en",
                                                                                                        "zh-hans"]))),
    "calendar-year": ("post", "/admin/org/calendaryear/add/", "admin", form(
        "year", "notice", "holidays", "workdays", "known", year=st.sampled_from(["2027", "1999", "99999", "²"]),
        holidays=st.sampled_from(["2027-01-01..2027-01-03", "2027-02-30", "2027-01-01..2026-01-01"]))),
}


def page_ids(*real: int):
    return st.one_of(st.sampled_from([str(i) for i in real]),
                     st.sampled_from(["0", "²", "①", "١", "-1", "99999999999999999999", "%00", "abc"]))


def _send(world, name, data):
    method, path, who, strategy = PAGES[name]
    real = {"case": world.case_ids, "task": world.task_ids, "kindtask": world.kind_task_ids,
            "report": world.report_ids, "document": world.document_ids, "listing": world.listing_ids, "campaign": world.campaign_ids,
            "uscc": world.usccs, "code": world.codes, "job": world.job_ids}
    for key, values in real.items():
        if "{" + key + "}" in path:
            path = path.replace("{" + key + "}", quote(data.draw(page_ids(*values), label=key), safe="%"))
    if "{action}" in path:
        path = path.replace("{action}", quote(data.draw(st.sampled_from(
            ["extend", "grant", "refuse", "remove", "approve_removal", "publish", "x", "²"]), label="action")))
    if "{lagging}" in path:
        path = path.replace("{lagging}", quote(data.draw(st.sampled_from(["warn", "interview", "x", "²"]),
                                                         label="lagging")))
    if "{kind}" in path:
        path = path.replace("{kind}", quote(data.draw(st.sampled_from(["monthly", "quarterly", "x", "²"]), label="kind")))
        path = path.replace("{period}", quote(data.draw(periods, label="period")))
    client = Client()
    if who == "admin":
        client.force_login(world.admin)
    elif who:
        client.force_login(getattr(world, who))
    if strategy == "upload":
        file_name, content = data.draw(files(), label="file")
        fields = data.draw(form("stage", "description", stage=st.sampled_from(["before", "after", "other"])),
                           label="fields")
        payload = {"file": SimpleUploadedFile(file_name, content), **fields}
        return f"POST {path} {file_name!r} {fields!r}", lambda: client.post(path, payload)
    payload = data.draw(strategy, label="form")
    return f"{method.upper()} {path} {payload!r}", lambda: getattr(client, method)(path, payload)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    built = build_world()
    built.admin = User.objects.create_superuser("fz_admin", "admin@nankai.gov.local", "pw-123456")
    return built


@pytest.fixture(scope="module", autouse=True)
def report_the_count(request):
    yield
    TALLY.report(request, suite="pages", things="forms and filters", refused="form")


def fuzz_page(world, name: str) -> str | None:
    TALLY.sent.setdefault(name, 0)

    @settings(PROFILE)
    @given(data=st.data())
    def example(data):
        describe, send = _send(world, name, data)
        TALLY.sent[name] += 1
        check_one(send, describe, refused=page_refused)

    try:
        example()
    except Exception as error:  # noqa: BLE001 - reported with Hypothesis's falsifying example
        return "\n".join([f"{name}: {type(error).__name__}: {error}", *getattr(error, "__notes__", [])])
    TALLY.passed.add(name)
    return None


def test_no_input_makes_a_page_fail_or_a_refused_form_change_anything(world):
    failures = [failure for name in PAGES if (failure := fuzz_page(world, name))]
    assert not failures, "\n\n".join(failures)
