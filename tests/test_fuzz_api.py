"""Property-based fuzzing of every API endpoint with Hypothesis: for any
generated path id, query and body (favouring NUL, lone surrogates, wrong JSON
types, absurd dates and periods, non-ASCII digits), the answer is never 5xx,
and a refused request changes nothing (cases, history, tasks, evidence and
its files, notifications, comments, alarms, reports). Every endpoint of the
URL configuration must appear in ``ENDPOINTS`` (checked below)."""
import hashlib
import hmac
import json
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from .fuzzing import PROFILE, Tally, api_text, body_for, build_world, check_one, files, ids, json_value

SECRET = "fuzz-intake-secret"
TALLY = Tally()


@pytest.fixture(scope="module", autouse=True)
def report_the_count(request):
    yield
    TALLY.report(request, suite="API", things="endpoints", refused="request")


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ALARM_INTAKE_SECRET = SECRET
    return build_world()


def client(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def as_json(body) -> str:
    return json.dumps(body)  # lone surrogates travel escaped, NaN and Infinity as JavaScript's literals


query = st.dictionaries(st.sampled_from(["kind", "state", "lead_agency", "street", "overdue", "supervised", "q",
                                         "page", "page_size", "box", "level", "agency", "period", "format", "activity",
                                         "risk", "licence_expiring", "open_hazards"]),
                        api_text, max_size=4)

# name: (method, path with {id} placeholders, who, what varies)
ENDPOINTS = {
    "token": ("post", "auth/token", None, "body:username,password"),
    "token-revoke": ("post", "auth/token/revoke", "lead", "body:"),
    "me": ("get", "me", "lead", "query"),
    "agencies": ("get", "agencies", "lead", "query"),
    "cases": ("post", "cases", "street", "body:kind,title,description,address,street,grade,enterprise,source,campaign"),
    "cases-list": ("get", "cases", "supervisor", "query"),
    "case": ("get", "cases/{case}", "lead", "query"),
    "case-history": ("get", "cases/{case}/history", "lead", "query"),
    "case-evidence": ("post", "cases/{case}/evidence", "lead", "upload"),
    "case-evidence-list": ("get", "cases/{case}/evidence", "street", "query"),
    "evidence-file": ("get", "cases/{case}/evidence/{evidence}/file", "street", "query"),
    "case-comments": ("post", "cases/{case}/comments", "lead", "body:text"),
    "case-comments-list": ("get", "cases/{case}/comments", "street", "query"),
    "intake-alarms": ("post", "intake/alarms", None, "alarm"),
    "tasks": ("get", "tasks", "lead", "query"),
    "task-claim": ("post", "tasks/{task}/claim", "lead", "body:"),
    "task-unclaim": ("post", "tasks/{task}/unclaim", "lead", "body:"),
    "task-assign": ("post", "tasks/{task}/assign", "leader", "body:username"),
    "task-complete": ("post", "tasks/{task}/complete", "lead",
                      "body:action,grade,agencies,criteria,note,reason,opinion,deadline,measures,responsible_person,"
                      "funds,contingency_plan,report,to_agency,held_on,attendees,minutes"),
    "task-complete-supervise": ("post", "tasks/{task}/complete", "supervisor", "body:action,note,held_on,attendees,minutes"),
    # the penalty's and the transport check's steps (fuzzing.build_kinds)
    "task-complete-kinds": ("post", "tasks/{kindtask}/complete", "lead",
                            "body:action,provision,amount,others,reasons,statement,adopted,waived,requested_on,told_on,held_on,"
                            "chair,transcript,discussed_on,discussion,until,reason,served_on,method,recipient,receipt_no,"
                            "paid_on,amount_paid,applied_on,court,co_officer,findings,evidence,provisions,measures,"
                            "document,note"),
    "cases-kinds": ("post", "cases", "lead",
                    "body:kind,title,address,street,enterprise,source_case,party_type,party_name,act_on,vehicle_plate,"
                    "un_number,cargo_name,carrier_name,carrier_uscc,shipper_name,shipper_uscc,driver,escort,location,"
                    "violations,spill,measures"),
    "task-pause": ("post", "tasks/{task}/pause", "lead", "body:reason"),
    "task-resume": ("post", "tasks/{task}/resume", "lead", "body:"),
    "supervision-cases": ("get", "supervision/cases", "supervisor", "query"),
    "notifications": ("get", "notifications", "lead", "query"),
    "me-preferences": ("put", "me/preferences", "lead", "body:arrivals,email"),
    "me-counts": ("get", "me/counts", "lead", "query"),
    "plan-tasks": ("get", "plan/tasks", "lead", "query"),
    "plan-reports": ("post", "plan/reports", "lead", "body:kind,period,entries,submit"),
    "plan-reports-list": ("get", "plan/reports", "supervisor", "query"),
    "plan-report": ("get", "plan/reports/{report}", "lead", "query"),
    "plan-report-submit": ("post", "plan/reports/{report}/submit", "lead", "body:"),
    "plan-report-accept": ("post", "plan/reports/{report}/accept", "supervisor", "body:comment"),
    "plan-report-return": ("post", "plan/reports/{report}/return", "supervisor", "body:comment"),
    "plan-report-attachments": ("post", "plan/reports/{report}/attachments", "lead", "upload"),
    "plan-late": ("get", "plan/late", "supervisor", "query"),
    "plan-late-warn": ("post", "plan/late/warn", "supervisor", "body:agency,period,note"),
    "plan-lagging": ("get", "plan/lagging", "supervisor", "query"),
    "plan-lagging-warn": ("post", "plan/lagging/warn", "supervisor", "body:agency,task,note"),
    "plan-lagging-interview": ("post", "plan/lagging/interview", "supervisor",
                               "body:agency,task,held_on,attendees,minutes"),
    "campaigns": ("post", "campaigns", "supervisor", "body:name,lead,agencies,starts_on,ends_on,plan_task"),
    "campaigns-list": ("get", "campaigns", "street", "query"),
    "campaign": ("get", "campaigns/{campaign}", "street", "query"),
    "stats": ("get", "stats", "leader", "query"),
    "monthly-workbook": ("get", "reports/monthly.xlsx", "leader", "query"),
    "case-documents": ("get", "cases/{case}/documents", "lead", "query"),
    "document": ("get", "documents/{document}", "street", "query"),
    "document-pdf": ("get", "documents/{document}.pdf", "lead", "query"),
    "document-service": ("post", "documents/{document}/service", "lead", "body:served_at,method,recipient,note"),
    "document-corrections": ("post", "documents/{document}/corrections", "lead", "body:reason,changes"),
    "listings": ("post", "supervision/listings", "supervisor", "body:case,deadline,requirements,responsible_agency"),
    "listings-list": ("get", "supervision/listings", "lead", "query"),
    "listing-extend": ("post", "supervision/listings/{listing}/extend", "lead", "body:reason,new_deadline"),
    "listing-grant": ("post", "supervision/listings/{listing}/grant", "supervisor", "body:note"),
    "listing-refuse": ("post", "supervision/listings/{listing}/refuse", "supervisor", "body:note"),
    "listing-remove": ("post", "supervision/listings/{listing}/remove", "lead", "body:report"),
    "listing-approve-removal": ("post", "supervision/listings/{listing}/approve_removal", "supervisor", "body:note"),
    "listing-publish": ("post", "supervision/listings/{listing}/publish", "supervisor", "body:channel,published_on"),
    "enterprises": ("post", "enterprises", "lead", "body:uscc,name,address,street,activities,risk,"
                    "legal_representative,safety_contact,phone,location,licences,installations,products"),
    "enterprises-list": ("get", "enterprises", "street", "query"),
    "enterprise": ("patch", "enterprises/{uscc}", "lead", "body:uscc,name,street,activities,risk,location,licences,"
                   "installations,products"),
    "enterprise-list": ("get", "enterprises/{uscc}", "street", "query"),  # GET of the same route
    "enterprise-cases": ("get", "enterprises/{uscc}/cases", "street", "query"),
    "enterprise-import": ("post", "enterprises/import", "lead", "upload"),
    "enterprise-import-job": ("get", "enterprises/imports/{job}", "lead", "query"),
    "enterprise-template": ("get", "enterprises/template.xlsx", "street", "query"),
    "enterprise-export": ("get", "enterprises/export.xlsx", "lead", "query"),
    "code": ("get", "codes/{code}", None, "query"),
    "schema": ("get", "schema", "lead", "query"),
    "docs": ("get", "docs", "lead", "query"),
}
PLAUSIBLE = {
    "action": st.sampled_from(["confirm", "dismiss", "handoff", "issue", "submit", "pass", "fail", "approve", "reject",
                               "warn", "interview", "resolve", "agree", "nonsense", "notify", "statement",
                               "request_hearing", "none", "held", "absent", "decide", "no_penalty", "extend", "served",
                               "paid", "enforce", "done", "punish", "return"]),
    "amount": st.sampled_from(["40000", "50000", "-1", "1e400", "NaN", "Infinity", "0", "99999999999999", "4万"]),
    "amount_paid": st.sampled_from(["40000", "1", "-1", "1e400", "NaN"]),
    "provision": st.sampled_from(["hcsr-78", "hcsr-80", "x", ""]),
    "provisions": st.lists(st.sampled_from(["hcsr-78", "wsl-102", "x"]), max_size=3),
    "others": st.lists(st.sampled_from(["warning", "suspend", "x"]), max_size=3),
    "requested_on": st.sampled_from(["0001-01-01", "2026-12-01", "9999-12-31", "2026-02-30"]),
    "served_on": st.sampled_from(["0001-01-01", "2026-12-01", "9999-12-31", "2026-02-30"]),
    "until": st.sampled_from(["0001-01-01", "2027-03-01", "9999-12-31", "2026-02-30"]),
    "source_case": st.one_of(st.integers(-1, 10 ** 20), json_value),
    "violations": st.lists(st.sampled_from(["no_escort", "packaging", "x"]), max_size=3),
    "vehicle_plate": st.sampled_from(["津A12345", "ABC", "津A1234挂", ""]),
    "deadline": st.sampled_from(["9999-12-31", "2020-01-01", "2027-01-15", "0001-01-01", "2026-12-31"]),
    "held_on": st.sampled_from(["0001-01-01", "2026-11-30", "9999-12-31", "2026-12-01"]),
    "period": st.sampled_from(["0000-01", "9999-12", "2026-11", "2026-12", "2027-01", "1999-12"]),
    "entries": st.lists(st.fixed_dictionaries({}, optional={"task": st.one_of(st.integers(0, 30), json_value),
                                                             "status": api_text, "progress": api_text}), max_size=3),
    "enterprise": st.fixed_dictionaries({}, optional={"name": api_text, "uscc": api_text}),
    "grade": st.sampled_from(["general", "major", "x"]), "kind": st.sampled_from(["hazard", "illegal_site", "penalty", "transport", "x"]),
    "street": st.sampled_from(["changhong", "street_huayuan", "nowhere"]),
    "served_at": st.sampled_from(["2026-12-01T10:00:00+08:00", "0001-01-01T00:00", "9999-12-31T23:59", "2026-13-45",
                                  "yesterday"]),
    "method": st.sampled_from(["direct", "left", "post", "electronic", "public", "pigeon"]),
    "new_deadline": st.sampled_from(["9999-12-31", "2027-03-01", "2026-02-30", "0001-01-01"]),
    "published_on": st.sampled_from(["2026-12-01", "9999-12-31", "2026-02-30"]),
    "changes": st.dictionaries(st.sampled_from(["findings", "measures", "deadline", "x"]), json_value, max_size=2),
    "case": st.one_of(st.integers(-1, 10 ** 20), json_value),
    "uscc": st.sampled_from(["91110108551385082Q", "91110108551385082A", "9111", ""]),
    "risk": st.sampled_from(["red", "orange", "yellow", "blue", "红", "purple"]),
    "activities": st.lists(st.sampled_from(["production", "storage", "use", "x", "储存"]), max_size=3),
    "location": st.fixed_dictionaries({}, optional={"lat": st.one_of(st.floats(), api_text),
                                                    "lng": st.one_of(st.floats(), api_text)}),
    "products": st.lists(st.fixed_dictionaries({}, optional={
        "name": api_text, "cas": st.sampled_from(["7664-41-7", "7664-41-8", "67-56-1", "x"]),
        "un_number": st.sampled_from(["1005", "UN1230", "10056", "0000", "x"]), "max_stock": json_value}),
        max_size=3),
    "licences": st.lists(st.fixed_dictionaries({}, optional={
        "type": api_text, "number": api_text, "valid_from": st.sampled_from(["2024-01-01", "2026-02-30", "x"]),
        "valid_to": st.sampled_from(["2029-06-30", "9999-12-31", "0001-01-01", "2020-01-01"])}), max_size=2),
    "installations": st.lists(st.fixed_dictionaries({}, optional={
        "name": api_text, "level": st.one_of(st.integers(-1, 6), json_value)}), max_size=2),
    "arrivals": st.sampled_from(["immediate", "digest", "off", "sometimes"]),
}


def _quoted(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _request(world, name, data):
    method, path, who, varies = ENDPOINTS[name]
    real = {"case": world.case_ids, "task": world.task_ids, "kindtask": world.kind_task_ids, "report": world.report_ids,
            "evidence": [world.evidence[1]],
            "document": world.document_ids, "listing": world.listing_ids, "campaign": world.campaign_ids,
            "uscc": world.usccs, "code": world.codes, "job": world.job_ids}
    for key, values in real.items():
        if "{" + key + "}" in path:
            path = path.replace("{" + key + "}", quote(data.draw(ids(*values), label=key), safe="%"))
    user = getattr(world, who) if who else None
    api = client(user)
    url = f"/api/v1/{path}"
    if varies == "query":
        params = data.draw(query, label="query")
        raw = "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in params.items())  # lone surrogates as %ED%A0%80
        return f"{method.upper()} {url}?{raw}", lambda: getattr(api, method)(f"{url}?{raw}")
    if varies == "upload":
        name_, content = data.draw(files(), label="file")
        from django.core.files.uploadedfile import SimpleUploadedFile

        form = {"file": SimpleUploadedFile(name_, content),
                **data.draw(st.fixed_dictionaries({}, optional={"stage": st.one_of(
                    st.sampled_from(["before", "after", "other"]), api_text), "description": api_text,
                    "task": st.sampled_from(["8", "⁸", "x", "99"])}), label="fields")}
        form = {k: v for k, v in form.items() if not isinstance(v, str) or not any(
            "\ud800" <= c <= "\udfff" for c in v)}  # multipart cannot carry a lone surrogate
        return f"POST {url} multipart {name_!r}", lambda: api.post(url, form, format="multipart")
    if varies == "alarm":
        keys = ["alarm_id", "enterprise_uscc", "enterprise_name", "type", "level", "occurred_at", "street", "address",
                "description"]
        raw = as_json(data.draw(body_for(*keys, extra=PLAUSIBLE), label="alarm")).encode()
        signed = data.draw(st.booleans(), label="signed")
        signature = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest() if signed else "sha256=00"
        return f"POST {url} {raw[:200]!r}", lambda: api.post(url, raw, content_type="application/json",
                                                             HTTP_X_SIGNATURE=signature)
    keys = [k for k in varies.removeprefix("body:").split(",") if k]
    raw = st.sampled_from(["[" * 5000, "", "{", '"\\ud800"', "NaN", '{"a": Infinity}']).map(lambda text: ("raw", text))
    body = data.draw(st.one_of(body_for(*keys, extra=PLAUSIBLE), raw), label="body")
    text = body[1] if isinstance(body, tuple) else as_json(body)
    return f"{method.upper()} {url} {text[:300]!r}", lambda: getattr(api, method)(url, text,
                                                                                  content_type="application/json")


# The schema is generated anew on every request (a second or two): fewer examples there.
FEWER = {"schema": 3, "docs": 3, "document-pdf": 3}


def fuzz_endpoint(world, name: str) -> str | None:
    """Run one endpoint's examples; None when every one held, else what failed."""
    TALLY.sent.setdefault(name, 0)

    @settings(PROFILE, max_examples=FEWER.get(name, PROFILE.max_examples))
    @given(data=st.data())
    def example(data):
        describe, send = _request(world, name, data)
        TALLY.sent[name] += 1
        check_one(send, describe)

    try:
        example()
    except Exception as error:  # noqa: BLE001 - reported below with Hypothesis's falsifying example
        return "\n".join([f"{name}: {type(error).__name__}: {error}", *getattr(error, "__notes__", [])])
    TALLY.passed.add(name)
    return None


def test_no_input_makes_an_endpoint_fail_or_a_refusal_change_anything(world):
    """One world for every endpoint (building it costs more than an endpoint's
    examples); each endpoint is run on its own, and every failure is reported."""
    failures = [failure for name in ENDPOINTS if (failure := fuzz_endpoint(world, name))]
    assert not failures, "\n\n".join(failures)


def _api_route_names(resolver=None, prefix="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            names |= _api_route_names(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and (prefix + str(entry.pattern)).startswith("api/v1/") and entry.name:
            names.add(entry.name)
    return names


def test_every_api_route_is_fuzzed():
    covered = {name.removesuffix("-list").removesuffix("-supervise").removesuffix("-kinds") for name in ENDPOINTS}
    assert _api_route_names() - covered == set()


def test_the_tally_names_a_failed_endpoint_and_counts_only_passed_ones():
    """The closing line never says "none answered 5xx" for a module in which an endpoint failed."""
    tally = Tally()
    tally.sent.update({"cases": 30, "tasks": 20})
    tally.passed.add("cases")
    line = tally.line(suite="API", things="endpoints", refused="request")
    assert "FAILED: tasks" in line and "none answered" not in line and line.startswith("fuzz (API): 30 requests")
    tally.passed.add("tasks")
    assert "50 generated requests over 2 endpoints passed: none answered 5xx" in tally.line(
        suite="API", things="endpoints", refused="request")
