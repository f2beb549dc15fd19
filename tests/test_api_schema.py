"""The OpenAPI document is one an integrator can generate a client from
(docs/api.md): every route under /api/v1/ with every method, a summary and the
error responses on each operation, the completion body per step action, the
token scheme, and a document that validates without warnings."""
import json

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver
from rest_framework.views import APIView

from config.urls import api_v1
from flows.registry import kinds

from .conftest import Api

NOT_IN_SCHEMA = {"schema", "docs"}  # the document itself and its browsable page
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


def _routes(patterns, prefix="/api/v1/"):
    """(OpenAPI path, view class, URL name) of every route, by walking the resolver's patterns."""
    import re

    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
            yield path, pattern.callback, pattern.name


def _methods(callback) -> set[str]:
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    assert view is not None and issubclass(view, APIView), f"{callback} is not a DRF view: the schema cannot see it"
    return {method for method in HTTP_METHODS if hasattr(view, method)}


def test_every_api_route_and_method_is_in_the_schema(schema):
    missing = []
    routes = [(path, callback, name) for path, callback, name in _routes(api_v1) if name not in NOT_IN_SCHEMA]
    assert len(routes) > 40
    for path, callback, _name in routes:
        operations = schema["paths"].get(path, {})
        for method in sorted(_methods(callback)):
            if method not in operations:
                missing.append(f"{method.upper()} {path}")
    assert not missing, f"routes missing from the OpenAPI document: {missing}"
    # and nothing in the document that no route serves
    served = {path for path, _callback, _name in routes}
    assert set(schema["paths"]) <= served


def test_registering_a_case_and_reports_are_in_the_schema(schema):
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/cases"])
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/plan/reports"])


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def test_every_operation_has_a_summary_of_its_own_and_unique_id(schema):
    ids = []
    for path, method, operation in _operations(schema):
        summary = operation.get("summary", "")
        assert summary and not summary.startswith(f"{method.upper()} /"), f"{method.upper()} {path} has no summary"
        ids.append(operation["operationId"])
        assert "." not in operation["operationId"], operation["operationId"]
    assert len(ids) == len(set(ids))


def test_every_operation_documents_its_refusals_in_the_error_format(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["required"] == ["code", "message", "fields"]
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        assert all(response.get("description") is not None for response in responses.values())
        expected = {"400"}
        if operation.get("security") and any(operation["security"]):
            expected |= {"401", "403"}
        if "{" in path:
            expected.add("404")
        if "requestBody" in operation:
            expected.add("413")
        assert expected <= set(responses), f"{method.upper()} {path}: {sorted(responses)}"
        for status in expected:
            ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Error"
    assert "409" in schema["paths"]["/api/v1/tasks/{task_id}/claim"]["post"]["responses"]
    assert "429" in schema["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert "401" in schema["paths"]["/api/v1/intake/alarms"]["post"]["responses"]


def test_query_parameters_and_headers_are_documented(schema):
    def names(path):
        return {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}

    assert {"box", "overdue", "q", "kind", "street", "sort", "page", "page_size"} <= names("/api/v1/tasks")
    assert {"level", "agency", "street", "page"} <= names("/api/v1/supervision/cases")
    assert {"kind", "state", "lead_agency", "street", "overdue", "supervised", "q", "page"} <= names("/api/v1/cases")
    intake = schema["paths"]["/api/v1/intake/alarms"]["post"]
    assert [p for p in intake["parameters"] if p["name"] == "X-Signature" and p["in"] == "header" and p["required"]]
    assert intake["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/AlarmIn")


def test_the_token_scheme_names_its_prefix(schema):
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme["type"] == "apiKey" and scheme["in"] == "header" and scheme["name"] == "Authorization"
    assert "Token " in scheme["description"]


def test_nullability_is_true_to_the_data(schema, street_officer, lead_officer):
    task = schema["components"]["schemas"]["Task"]["properties"]
    assert task["agency"].get("nullable") and task["assignee"].get("nullable")
    detail = schema["components"]["schemas"]["CaseDetail"]["properties"]
    for typed in ("open_tasks", "handoffs", "referrals", "facts", "linked_cases"):
        assert "$ref" in detail[typed]["items"], typed
    assert detail["enterprise"].get("nullable") or detail["enterprise"].get("allOf")
    # what the schema requires, the answers hold
    me = Api(lead_officer).get("me").json()
    assert set(me["agency"]) == {"code", "name", "kind"}


def test_the_completion_body_is_one_schema_per_step_action(schema):
    body = schema["paths"]["/api/v1/tasks/{task_id}/complete"]["post"]["requestBody"]
    union = schema["components"]["schemas"][body["content"]["application/json"]["schema"]["$ref"].split("/")[-1]]
    mapping = union["discriminator"]["mapping"]
    assert union["discriminator"]["propertyName"] == "action"
    assert len(union["oneOf"]) == len(mapping)
    declared = {name: [] for kind in kinds().values() for step in kind.steps().values() for name in step.actions}
    for kind in kinds().values():
        for step in kind.steps().values():
            for name, action in step.actions.items():
                declared[name].append(action.form)
    assert set(mapping) == set(declared)
    for name, forms in declared.items():
        component = schema["components"]["schemas"][mapping[name].split("/")[-1]]
        assert component["properties"]["action"]["enum"] == [name]
        for form in forms:
            assert set(form.base_fields) <= set(component["properties"]), name
            required_everywhere = {field for field in form.base_fields
                                   if all(f.base_fields.get(field) and f.base_fields[field].required for f in forms)}
            assert required_everywhere <= set(component["required"]), name
    # the hazard's order: the rectification order's five elements and its deadline
    issue = schema["components"]["schemas"]["CompleteIssue"]
    assert {"deadline", "measures", "funds", "responsible_person", "contingency_plan"} <= set(issue["properties"])
    assert {"deadline", "measures"} <= set(issue["required"])


def test_the_document_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert target.stat().st_size > 10_000


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/tasks", "/api/v1/supervision/cases"])
def test_every_documented_filter_value_answers(schema, path, street_officer, lead_officer, supervisor):
    """(``supervised=true`` on the case list answered 500 until the schema documented it.)"""
    from .scenarios import register

    register(street_officer)
    user = supervisor if "supervision" in path else lead_officer
    client = Api(user).client
    for parameter in schema["paths"][path]["get"]["parameters"]:
        for value in parameter["schema"].get("enum", []):
            response = client.get(path, {parameter["name"]: value})
            assert response.status_code == 200, (parameter["name"], value, response.content[:300])
