"""Schemathesis against our own OpenAPI document: no generated request, for
any endpoint, may produce a 5xx. Runs in-process through the WSGI app."""
import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token

from .factories import officer
from .scenarios import register


def application(environ, start_response):
    """The project as a WSGI app, through Django's test handler: as with the
    test client, the end of a request does not close the test's connection."""
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    headers = [*response.items(), *(("Set-Cookie", c.output(header="").strip()) for c in response.cookies.values())]
    start_response(f"{response.status_code} {response.reason_phrase}", headers)
    return response


schema = schemathesis.openapi.from_wsgi("/api/v1/schema?format=json", application)

FUZZ_EXAMPLES = 25
SENT = {"requests": 0}


@pytest.fixture(scope="module", autouse=True)
def report_the_count():
    yield
    print(f"\nschemathesis: {SENT['requests']} generated requests, none answered 5xx")


@pytest.fixture
def auth_headers(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lead = officer("emergency", username="fuzz_lead")
    register(officer("street_changhong", username="fuzz_street"))  # something to find, claim and complete
    return {"Authorization": f"Token {Token.objects.create(user=lead).key}"}


@schema.parametrize()
@hypothesis_settings(
    max_examples=FUZZ_EXAMPLES, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_request_produces_a_server_error(case, auth_headers):
    SENT["requests"] += 1
    response = case.call(headers=auth_headers)
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
