"""Schemathesis against our own OpenAPI document: no generated request, for
any endpoint, may produce a 5xx. Runs in-process through the WSGI app.
Requests that follow the schema reach the success paths; tests/test_fuzz_api.py
sends hostile input to the same endpoints and checks that refusals change
nothing. The count is printed at the end, and says "none answered 5xx" only
when every operation passed."""
import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import HypothesisException

from org.auth import issue_token

from .factories import officer
from .fuzzing import PROFILE
from .scenarios import register


def application(environ, start_response):
    """The project as a WSGI app, through Django's test handler: as with the
    test client, the end of a request does not close the test's connection."""
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    headers = [*response.items(), *(("Set-Cookie", c.output(header="").strip()) for c in response.cookies.values())]
    start_response(f"{response.status_code} {response.reason_phrase}", headers)
    return response


schema = schemathesis.openapi.from_wsgi("/api/v1/schema?format=json", application)

FUZZ_EXAMPLES = 10
SENT = {"requests": 0, "operations": 0, "failed": []}


@pytest.fixture(scope="module", autouse=True)
def report_the_count(request):
    yield
    if not SENT["operations"]:
        return
    if SENT["failed"]:
        line = f"schemathesis: {SENT['requests']} generated requests; FAILED: {', '.join(SENT['failed'])}"
    else:
        line = f"schemathesis: {SENT['requests']} generated requests over {SENT['operations']} operations, " \
               f"none answered 5xx"
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    with request.config.pluginmanager.get_plugin("capturemanager").global_and_fixture_disabled():
        reporter.ensure_newline()
        reporter.write_line(line)


@pytest.fixture
def operation(request):
    """The operation's name, counted once."""
    SENT["operations"] += 1
    return request.node.name


@pytest.fixture
def auth_headers(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lead = officer("emergency", username="fuzz_lead")
    register(officer("street_changhong", username="fuzz_street"))  # something to find, claim and complete
    return {"Authorization": f"Token {issue_token(lead)}"}


@schema.parametrize()
@hypothesis_settings(PROFILE, max_examples=FUZZ_EXAMPLES)  # derandomized, no example database, no deadline
def test_no_request_produces_a_server_error(case, auth_headers, operation):
    SENT["requests"] += 1
    try:
        response = case.call(headers=auth_headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
    except HypothesisException:
        raise  # Hypothesis's own control flow (a rejected example), not a failure
    except BaseException:
        if operation not in SENT["failed"]:
            SENT["failed"].append(operation)
        raise


CONFORMANCE_EXAMPLES = 4


@schema.parametrize()
@hypothesis_settings(PROFILE, max_examples=CONFORMANCE_EXAMPLES)
def test_every_answer_is_documented_and_conforms(case, auth_headers):
    """Each answer's status is one the operation documents (0 undocumented
    status codes), and its body is the documented one (the errors included)."""
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    response = case.call(headers=auth_headers)
    case.validate_response(response, checks=[status_code_conformance, content_type_conformance,
                                             response_schema_conformance])


@pytest.mark.parametrize(("method", "path", "query"), [
    ("GET", "/api/v1/stats", {"period": "2026-11"}),
    ("GET", "/api/v1/supervision/cases", {"level": "2"}),
    ("GET", "/api/v1/plan/lagging", {}),
    ("GET", "/api/v1/plan/late", {"period": "2026-11"}),
])
def test_the_safety_office_reads_conform(db, method, path, query, settings, tmp_path):
    """What the fuzzing officer is refused (403), read as the safety office, is what the document says."""
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    from org.models import User

    settings.MEDIA_ROOT = tmp_path
    register(officer("street_changhong", username="conf_street"))
    office = officer("safety_office", User.Role.SUPERVISOR, username="conf_office")
    case = schema[path][method].Case(query=query)
    response = case.call(headers={"Authorization": f"Token {issue_token(office)}"})
    assert response.status_code == 200, response.text[:300]
    case.validate_response(response, checks=[status_code_conformance, response_schema_conformance])
