"""The OpenAPI document's shared parts (docs/api.md): every operation's summary
and its error responses in the error format, declared once here rather than on
each view, so that a new endpoint is documented the same way without trying.

- ``AutoSchema`` (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``) gives each
  operation a summary: the one given to ``extend_schema``, else the first
  sentence of the method's docstring, else of the view's, without the
  ``GET path`` it may start with.
- ``document_errors`` (a ``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]`` hook)
  adds the ``Error`` component ``{"error": {code, message, fields}}`` and, on
  every operation, the refusals it can answer (``ERROR_STATUSES``).
- ``form_field_schema`` turns a Django form field into its JSON schema, for
  bodies that a form validates (the task completions, the kinds' registration
  fields).
"""
import re

from django import forms
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import get_doc

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _after_route(part: str) -> str:
    """``POST tasks/{id}/pause {reason}: stop the clock`` -> ``stop the clock``;
    a part that is a route and nothing else -> ``""``."""
    depth = 0
    for index, char in enumerate(part):
        if char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
        elif char == ":" and depth == 0 and part[index + 1:index + 2] in (" ", ""):
            return part[index + 1:].strip()
    return ""


def _first_sentence(text: str) -> str:
    depth, end = 0, len(text)
    for index, char in enumerate(text):
        if char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
        elif char in ".;" and depth == 0 and text[index + 1:index + 2] in (" ", ""):
            end = index
            break
    return text[:end].strip()


def summary_from_doc(doc: str, method: str) -> str:
    """The summary a docstring gives an operation ``method``: its part for that
    method when it names several (``GET cases: ... POST cases: ...``), without
    the route it starts with."""
    text = " ".join((doc or "").split())
    if not text:
        return ""
    methods = "|".join(METHODS)
    parts = [part.strip() for part in re.split(rf"(?=\b(?:{methods})(?:/(?:{methods}))*(?: [a-z{{]|: ))", text)
             if part.strip()]
    routed = [part for part in parts if re.match(rf"(?:{methods})\b", part)]
    if not routed:
        return _first_sentence(text)
    mine = [part for part in routed if re.match(rf"(?:(?:{methods})/)*{method}\b", part)]
    if not mine:
        return ""
    return _first_sentence(_after_route(mine[0]))


class AutoSchema(SpectacularAutoSchema):
    def get_operation_id(self):
        # `documents/{id}.pdf` -> documents_pdf_retrieve: a dot in an id makes a bad name in generated clients
        return super().get_operation_id().replace(".", "_")

    def get_summary(self):
        explicit = super().get_summary()
        if explicit:
            return explicit
        handler = getattr(self.view, self.method.lower(), None)
        for doc in (get_doc(handler), get_doc(self.view.__class__)):
            summary = summary_from_doc(doc, self.method)
            if summary:
                return summary[:1].upper() + summary[1:]
        return f"{self.method} {self.path}"


# --- errors ---------------------------------------------------------------------------------
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every refusal: nothing was changed.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "a stable slug: invalid, bad_credentials, unauthenticated, "
                         "forbidden, not_your_task, not_found, conflict, task_done, task_held, invalid_transition, "
                         "too_large, locked_out, unavailable, ..."},
                "message": {"type": "string", "description": "for a person, in the request's language"},
                "fields": {
                    "type": "object",
                    "description": "per field (a nested field as `enterprise.uscc`), the messages; empty when the "
                                   "refusal is not about a field",
                    "additionalProperties": {},
                },
            },
            "required": ["code", "message", "fields"],
        },
    },
    "required": ["error"],
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}

ERROR_STATUSES = {
    "400": "Bad input: a field is missing or invalid (see `fields`), a query parameter is wrong, or the body "
           "holds what cannot be stored.",
    "401": "Not authenticated: no token, an unknown, revoked or expired token (send `Authorization: Token <key>`).",
    "403": "Authenticated, but not allowed to do this (visible but not yours to act on).",
    "404": "Absent, or not visible to you.",
    "409": "Conflict: the task was done, is held by someone else, or the case moved on.",
    "413": "The body or upload is larger than the limit.",
    "429": "Too many failed logins: the account and address are locked for a while.",
    "503": "The database is unreachable or busy; nothing was written, try again.",
}


def error_statuses(path: str, method: str, operation: dict) -> list[str]:
    """The refusals an operation can answer."""
    secured = any(requirement for requirement in operation.get("security", [{}]) if requirement)
    statuses = ["400"]
    if secured or path.endswith("/intake/alarms"):  # the intake refuses a bad signature with 401
        statuses += ["401"]
    if secured:
        statuses += ["403"]
    paged = any(parameter.get("name") == "page" for parameter in operation.get("parameters", []))
    writes = method in ("post", "put", "patch", "delete") and secured
    if "{" in path or paged or writes:  # a page past the last; a body naming a case, task or unit not there
        statuses += ["404"]
    if writes:
        statuses += ["409"]
    if "requestBody" in operation:
        statuses += ["413"]
    if path.endswith("/auth/token"):
        statuses += ["429"]
    statuses += ["503"]
    return statuses


def document_errors(result, generator, request, public):
    """Postprocessing hook: the ``Error`` component and each operation's error responses."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for status in error_statuses(path, method, operation):
                responses.setdefault(status, {
                    "description": ERROR_STATUSES[status],
                    "content": {"application/json": {"schema": ERROR_REF}},
                })
            for response in responses.values():
                response.setdefault("description", "")
    return result


# --- bodies validated by forms ----------------------------------------------------------------
def _choices(field) -> list:
    try:
        return [value for value, _label in field.choices if value not in ("", None)]
    except (TypeError, ValueError):
        return []


def form_field_schema(field: forms.Field) -> dict:
    """The JSON schema of what a form field accepts in a JSON body."""
    schema: dict
    if isinstance(field, forms.ModelMultipleChoiceField):
        schema = {"type": "array", "items": {"type": "string"}, "description": "codes"}
    elif isinstance(field, forms.ModelChoiceField):
        schema = {"type": "string", "description": "a code"}
    elif isinstance(field, forms.MultipleChoiceField):
        values = _choices(field)
        schema = {"type": "array", "items": {"type": "string", **({"enum": values} if values else {})}}
    elif isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
        values = [str(value) for value in _choices(field)]
        schema = {"type": "string", **({"enum": values} if values else {})}
    elif isinstance(field, forms.NullBooleanField):
        schema = {"type": "boolean", "nullable": True}
    elif isinstance(field, forms.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
    elif isinstance(field, forms.DecimalField):
        schema = {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$"}
    elif isinstance(field, forms.FloatField):
        schema = {"type": "number"}
    elif isinstance(field, forms.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(field, forms.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, forms.JSONField):
        schema = {}
    else:
        schema = {"type": "string"}
        if getattr(field, "max_length", None):
            schema["maxLength"] = field.max_length
    label = str(field.label) if field.label else ""
    help_text = str(field.help_text) if field.help_text else ""
    description = "; ".join(text for text in (label, help_text, schema.pop("description", "")) if text)
    if description:
        schema["description"] = description
    return schema


def form_schema(form_class, *, extra: dict | None = None) -> dict:
    """The JSON object a form validates: its fields, those it requires required."""
    properties, required = dict(extra or {}), []
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.FileField) or field.widget.is_hidden and not field.required:
            continue
        properties[name] = form_field_schema(field)
        if field.required:
            required.append(name)
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


# --- authentication ---------------------------------------------------------------------------
class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    """``org.auth.ExpiringTokenAuthentication``: DRF's token with its ``Token`` prefix spelled out,
    so that a client generated from the document is told what to send (docs/api.md)."""

    target_class = "org.auth.ExpiringTokenAuthentication"
    name = "tokenAuth"
    priority = 1  # before drf-spectacular's scheme for TokenAuthentication, which it subclasses

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Send `Authorization: Token <token>` (the word `Token`, a space, the key; not `Bearer`). "
                           "Get the token with `POST /api/v1/auth/token {username, password}`; it expires after "
                           "API_TOKEN_TTL_HOURS (7 days by default) and ends with `POST /api/v1/auth/token/revoke`. "
                           "With openapi-python-client: `AuthenticatedClient(base_url, token=key, prefix=\"Token\")`.",
        }
