"""API of the case resource: ``cases`` (list, register), ``cases/{id}``, and
what a case holds (history, evidence, comments). Every write calls a service."""
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import services as case_services
from cases.evidence import file_sha256
from cases.models import Grade
from cases.selectors import case_history, get_visible_case, visible_cases
from cases.serializers import CaseListSerializer, CommentSerializer, EvidenceSerializer, HistorySerializer
from common.exceptions import IntegrityFailure, InvalidInput, NotFound, TooLarge
from common.inputs import parse_id
from flows import services
from flows.registry import kinds
from flows.selectors import open_tasks_of_case, task_rows

from ..filters import CaseFilter
from ..serializers import CaseDetailSerializer, TaskSerializer


def case_payload(case, user=None) -> dict:
    """A case as ``GET cases/{id}`` shows it, with its open tasks and the linked cases ``user`` may see."""
    open_tasks = TaskSerializer(task_rows(open_tasks_of_case(case.pk)), many=True).data
    return CaseDetailSerializer(case, context={"open_tasks": open_tasks, "user": user}).data


def object_body(request) -> dict:
    """The JSON body, refused unless it is an object."""
    if not isinstance(request.data, dict):
        raise InvalidInput(_("The body must be a JSON object."))
    return request.data


def case_in_schema():
    return inline_serializer("CaseIn", {
        "kind": serializers.ChoiceField(choices=list(kinds())),
        "title": serializers.CharField(), "description": serializers.CharField(required=False),
        "address": serializers.CharField(), "street": serializers.CharField(),
        "grade": serializers.ChoiceField(choices=Grade.choices, required=False),
        "enterprise": inline_serializer("EnterpriseIn", {"name": serializers.CharField(),
                                                         "uscc": serializers.CharField()}, required=False),
        "source": serializers.CharField(required=False),
        "campaign": serializers.IntegerField(required=False, allow_null=True,
                                             help_text="a running special campaign the agency takes part in"),
        **kind_fields_schema(),
    })


def kind_fields_schema() -> dict:
    """The kinds' own registration fields (a penalty's ``source_case``, a roadside check's vehicle ...)."""
    from django import forms as django_forms

    fields = {}
    for kind in kinds().values():
        for name, field in (kind.registration_form.base_fields.items() if kind.registration_form else ()):
            if name in fields:
                continue
            help_text = f"{kind.code}: {field.label}"
            if isinstance(field, django_forms.MultipleChoiceField):
                fields[name] = serializers.ListField(child=serializers.CharField(), required=False, help_text=help_text)
            elif isinstance(field, django_forms.BooleanField):
                fields[name] = serializers.BooleanField(required=False, help_text=help_text)
            elif isinstance(field, django_forms.IntegerField):
                fields[name] = serializers.IntegerField(required=False, help_text=help_text)
            elif isinstance(field, django_forms.DateField):
                fields[name] = serializers.DateField(required=False, help_text=help_text)
            else:
                fields[name] = serializers.CharField(required=False, help_text=help_text)
    return fields


def case_list_parameters() -> list[OpenApiParameter]:
    """The case list's filters (``desk.filters.CaseFilter``), as query parameters."""
    from cases.models import State
    from flows.registry import kind_choices

    yes_no = ["true", "false"]
    return [
        OpenApiParameter("kind", str, enum=[code for code, _label in kind_choices()], description="the case kind"),
        OpenApiParameter("state", str, enum=list(State.values), description="the case's state"),
        OpenApiParameter("lead_agency", str, description="the lead agency's code"),
        OpenApiParameter("street", str, description="the street's code"),
        OpenApiParameter("overdue", str, enum=yes_no, description="overdue cases only, or none of them"),
        OpenApiParameter("supervised", str, enum=yes_no, description="under supervision (督办) or not"),
        OpenApiParameter("q", str, description="search in the number, title, enterprise name, USCC and address"),
    ]


@extend_schema_view(get=extend_schema(summary="The cases I may see, newest first", parameters=case_list_parameters()))
class CasesApi(ListAPIView):
    """GET cases: the cases the user may see, newest first, with filters.
    POST cases: register a case and start its flow."""

    serializer_class = CaseListSerializer

    def get_queryset(self):
        return (visible_cases(self.request.user).select_related("lead_agency", "street")
                .only(*CaseListSerializer.LIST_COLUMNS))

    def filter_queryset(self, queryset):
        filterset = CaseFilter(self.request.query_params, queryset=queryset)
        if not filterset.is_valid():
            raise InvalidInput(fields=filterset.errors)
        return filterset.qs

    @extend_schema(summary="Register a case and start its flow", request=case_in_schema(), responses={201: CaseDetailSerializer})
    def post(self, request):
        body = object_body(request)
        enterprise = body.get("enterprise") or {}
        if not isinstance(enterprise, dict):
            raise InvalidInput(fields={"enterprise": [_("Must be an object {name, uscc}.")]})
        data = {key: value for key, value in body.items() if key != "enterprise"}
        data["enterprise_name"] = enterprise.get("name", "")
        data["enterprise_uscc"] = enterprise.get("uscc", "")
        try:
            case = services.open_case(actor=request.user, data=data)
        except InvalidInput as error:
            error.fields = {
                {"enterprise_name": "enterprise.name", "enterprise_uscc": "enterprise.uscc"}.get(key, key): value
                for key, value in error.fields.items()
            }
            raise
        return Response(case_payload(get_visible_case(request.user, case.pk), request.user), status=201)


class CaseDetailApi(APIView):
    """GET cases/{id}."""

    @extend_schema(summary="One case with its open tasks", responses=CaseDetailSerializer)
    def get(self, request, case_id):
        return Response(case_payload(get_visible_case(request.user, case_id), request.user))


class CaseHistoryApi(APIView):
    """GET cases/{id}/history, oldest first."""

    @extend_schema(summary="The case's history, oldest first", responses=HistorySerializer(many=True))
    def get(self, request, case_id):
        case = get_visible_case(request.user, case_id)
        return Response(HistorySerializer(case_history(case), many=True).data)


class CaseEvidenceApi(APIView):
    """GET/POST cases/{id}/evidence: photos and documents (JPEG, PNG, PDF)."""

    parser_classes = [MultiPartParser]

    @extend_schema(summary="The case's evidence", responses=EvidenceSerializer(many=True))
    def get(self, request, case_id):
        case = get_visible_case(request.user, case_id)
        rows = case.evidence.select_related("uploaded_by", "agency")
        return Response(EvidenceSerializer(rows, many=True).data)

    @extend_schema(summary="Upload evidence (multipart: file, stage, description)", request={"multipart/form-data": inline_serializer("EvidenceIn", {
        "file": serializers.FileField(),
        "stage": serializers.ChoiceField(choices=["before", "after", "other"], required=False),
        "description": serializers.CharField(required=False)})}, responses={201: EvidenceSerializer})
    def post(self, request, case_id):
        # Refuse an oversized body before reading it.
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.UPLOAD_MAX_BYTES + 64 * 1024:
            raise TooLarge()
        case = get_visible_case(request.user, case_id)
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(fields={"file": [_("Attach a file.")]})
        evidence = case_services.add_evidence(
            actor=request.user, case=case, upload=upload,
            stage=request.data.get("stage", "other"), description=request.data.get("description", ""),
        )
        return Response(EvidenceSerializer(evidence).data, status=201)


class EvidenceFileApi(APIView):
    """GET cases/{id}/evidence/{evidence_id}/file, checked against its SHA-256."""

    @extend_schema(summary="Download an evidence file (checked against its SHA-256)",
                   responses={(200, "application/octet-stream"): OpenApiResponse(
                       response=OpenApiTypes.BINARY, description="the file")})
    def get(self, request, case_id, evidence_id):
        case = get_visible_case(request.user, case_id)
        evidence_id = parse_id(evidence_id)
        evidence = case.evidence.filter(pk=evidence_id).first() if evidence_id is not None else None
        if evidence is None:
            raise NotFound()
        if file_sha256(evidence.file) != evidence.sha256:
            raise IntegrityFailure()
        response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(evidence.original_name)}"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class CaseCommentsApi(APIView):
    """GET/POST cases/{id}/comments {text}."""

    @extend_schema(summary="The case's comments", responses=CommentSerializer(many=True))
    def get(self, request, case_id):
        case = get_visible_case(request.user, case_id)
        return Response(CommentSerializer(case.comments.select_related("author", "agency"), many=True).data)

    @extend_schema(summary="Add a comment", request=inline_serializer("CommentIn", {"text": serializers.CharField()}),
                   responses={201: CommentSerializer})
    def post(self, request, case_id):
        case = get_visible_case(request.user, case_id)
        text = request.data.get("text") if isinstance(request.data, dict) else None
        comment = case_services.add_comment(actor=request.user, case=case, text=text if isinstance(text, str) else "")
        return Response(CommentSerializer(comment).data, status=201)
