"""The API's error format {"error": {code, message, fields}} and its pagination
{count, count_exact, next, previous, results} (docs/api.md)."""
import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from viewflow.workflow.exceptions import FlowLockFailed

from .exceptions import DomainError, TooLarge
from .paging import CappedCountPaginator

logger = logging.getLogger(__name__)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        flat = []
        for item in detail:
            value = _flatten(item)
            flat.extend(value if isinstance(value, list) else [value])
        return flat
    return str(detail)


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):  # a body read past DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = TooLarge(_("The request body is too large."))
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, _flatten(exc.fields)), status=exc.status)
    if isinstance(exc, Http404):
        return Response(error_body("not_found", _("Not found.")), status=404)
    if isinstance(exc, PermissionDenied):
        return Response(error_body("forbidden", _("You may not do this.")), status=403)
    if isinstance(exc, drf_exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if not isinstance(fields, dict):
            fields = {"non_field_errors": fields}
        return Response(error_body("invalid", _("Some fields are invalid."), fields), status=400)
    if isinstance(exc, drf_exceptions.NotAuthenticated | drf_exceptions.AuthenticationFailed):
        response = Response(error_body("unauthenticated", _("Log in or send a valid token.")), status=401)
        response["WWW-Authenticate"] = "Token"
        return response
    if isinstance(exc, drf_exceptions.APIException):
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        return Response(error_body(code, str(exc.detail)), status=exc.status_code)
    if isinstance(exc, OperationalError | InterfaceError | FlowLockFailed):
        # A lock that could not be had in time, or a dropped connection: the
        # transaction rolled back, so nothing was half written.
        logger.warning("database unavailable during %s: %s", context["request"].path, type(exc).__name__, exc_info=True)
        return Response(
            error_body("unavailable", _("The service is busy or the database is unreachable; please try again.")),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    logger.exception("unexpected error in %s", context["request"].path)
    return Response(error_body("server_error", _("The request failed and has been logged.")), status=500)


class Pagination(PageNumberPagination):
    """{count, count_exact, next, previous, results}; ``count`` is exact up to
    1,000 rows and at most a minute old past that (``common.paging``)."""

    page_size = 50
    count_source = None
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise drf_exceptions.ValidationError({"page_size": [_("Must be a whole number from 1 to 200.")]})
        if not 1 <= size <= self.max_page_size:
            raise drf_exceptions.ValidationError({"page_size": [_("Must be a whole number from 1 to 200.")]})
        return size

    def paginate_queryset(self, queryset, request, view=None):
        # A view may name a cheaper query over the same rows to count.
        self.count_source = getattr(view, "count_source", None)
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list, per_page):
        return CappedCountPaginator(object_list, per_page, count_source=self.count_source)

    def get_paginated_response(self, data):
        return Response({
            "count": self.page.paginator.count,
            "count_exact": self.page.paginator.count_exact,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_exact"] = {"type": "boolean", "example": True}
        response["required"] = [*response.get("required", []), "count_exact"]
        return response
