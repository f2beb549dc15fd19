"""Every answer under /api/ is JSON in the error format (issue 19): an unknown
path (404), a method a resource does not take (405) and the login lockout
(429) answered HTML before."""
import pytest
from rest_framework.test import APIClient

from .boundary import is_error_format
from .conftest import Api
from .scenarios import register, task_id


@pytest.mark.parametrize("path", ["/api/v1/nowhere", "/api/v1/cases/abc", "/api/v1/cases/1/nothing",
                                  "/api/v2/cases", "/api/v1/tasks/1/complete/extra", "/api/"])
def test_an_unknown_api_path_is_404_in_the_error_format(lead_officer, path):
    response = Api(lead_officer).client.get(path)
    assert is_error_format(response, 404) and response.json()["error"]["code"] == "not_found"


def test_an_unknown_api_path_is_json_for_anonymous_callers_too():
    assert is_error_format(APIClient().get("/api/v1/nowhere"), 404)


def test_a_method_a_resource_does_not_take_is_405_in_the_error_format(street_officer, lead_officer):
    case = register(street_officer)
    client = Api(lead_officer).client
    verify = task_id(case["id"], "verify")
    for method, path in [("delete", f"/api/v1/cases/{case['id']}"), ("put", "/api/v1/cases"),
                         ("get", f"/api/v1/tasks/{verify}/claim"), ("post", "/api/v1/schema"),
                         ("post", "/api/v1/docs"), ("delete", "/api/v1/plan/reports")]:
        response = getattr(client, method)(path)
        assert is_error_format(response, 405), (method, path, response.status_code, response["Content-Type"])
        assert response.json()["error"]["code"] == "method_not_allowed"


def test_the_fifth_failed_token_request_is_429_in_the_error_format(lead_officer):
    client = APIClient()
    answers = [client.post("/api/v1/auth/token", {"username": lead_officer.username, "password": "bad"},
                           format="json") for _ in range(5)]
    assert [a.status_code for a in answers[:4]] == [400] * 4
    assert is_error_format(answers[4], 429) and answers[4].json()["error"]["code"] == "locked_out"
    # locked: even the right password is refused the same way, and no token is issued
    again = client.post("/api/v1/auth/token", {"username": lead_officer.username, "password": "pw-123456"},
                        format="json")
    assert is_error_format(again, 429) and again.json()["error"]["code"] == "locked_out"


def test_the_page_login_lockout_stays_a_page(lead_officer):
    from django.test import Client

    client = Client()
    for _ in range(5):
        response = client.post("/login/", {"username": lead_officer.username, "password": "wrong"})
    assert response.status_code == 429 and response["Content-Type"].startswith("text/html")
