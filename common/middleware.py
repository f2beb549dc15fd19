"""Two guards at the edge of every request.

``QueryStringGuardMiddleware`` refuses a query string that holds a control
character (NUL first of all): every filter of every list and page then only
ever sees text a database can compare.

``ApiErrorFormatMiddleware`` makes every error under ``/api/`` answer in the
error format ``{"error": {"code", "message", "fields"}}``, whoever produced
it: the URL resolver (an unknown path, 404), a view that does not take the
method (405), the login lockout (429), a body too large (413), or Django's
own error pages (400, 403, 500).
"""
import json

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .inputs import text_problem

API_PREFIX = "/api/"

CODES = {
    400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "too_large", 429: "locked_out", 503: "unavailable",
}


def _messages() -> dict:
    return {
        400: _("The request is malformed."),
        401: _("Log in or send a valid token."),
        403: _("You may not do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The request body is too large."),
        429: _("Too many failed logins; the account is locked for a while."),
        503: _("The service is busy or the database is unreachable; please try again."),
    }


def api_error(status: int, message=None, fields: dict | None = None, code: str | None = None) -> JsonResponse:
    code = code or CODES.get(status, "server_error" if status >= 500 else "error")
    if message is None:
        message = _messages().get(status, _("The request failed and has been logged."))
    body = {"error": {"code": code, "message": str(message), "fields": fields or {}}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


class QueryStringGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            for text in (key, *values):
                problem = text_problem(text)
                if problem:
                    name = key if text_problem(key) is None else "query"
                    if is_api(request):
                        return api_error(400, _("Some fields are invalid."), {name: [problem]})
                    return render(request, "400.html", {"message": f"{name}: {problem}"}, status=400)
        return self.get_response(request)


class ApiErrorFormatMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api(request) or response.status_code < 400 or _is_json(response):
            return response
        replaced = api_error(response.status_code)
        if response.status_code == 405 and response.has_header("Allow"):
            replaced["Allow"] = response["Allow"]
        return replaced

    def process_exception(self, request, exception):
        """A body over the limit, read by a view outside DRF (the alarm intake): 413, not 400."""
        if isinstance(exception, RequestDataTooBig):
            if is_api(request):
                return api_error(413)
            return render(request, "400.html", {"message": _("The request body is too large.")}, status=413)
        return None


def _is_json(response) -> bool:
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    if getattr(response, "streaming", False):
        return True
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return False
    return isinstance(body, dict) and "error" in body
