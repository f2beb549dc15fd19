"""API: the case list, a case's history, evidence and comments."""

from rest_framework import serializers
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.exceptions import IntegrityFailure, InvalidInput, NotFound, TooLarge
from enforcement.inputs import parse_id

from . import services
from .evidence import file_sha256
from .filters import CaseFilter
from .selectors import case_history, get_visible_case, visible_cases
from .serializers import CaseListSerializer, CommentSerializer, EvidenceSerializer, HistorySerializer


class CaseListApi(ListAPIView):
    """GET cases: the cases the user may see, newest first, with filters."""

    serializer_class = CaseListSerializer

    def get_queryset(self):
        return visible_cases(self.request.user).select_related("lead_agency", "street")

    def filter_queryset(self, queryset):
        filterset = CaseFilter(self.request.query_params, queryset=queryset)
        if not filterset.is_valid():
            raise InvalidInput(fields=filterset.errors)
        return filterset.qs


class CaseHistoryApi(APIView):
    """GET cases/{id}/history, oldest first."""

    @extend_schema(responses=HistorySerializer(many=True))
    def get(self, request, case_id):
        case = get_visible_case(request.user, case_id)
        return Response(HistorySerializer(case_history(case), many=True).data)




class CaseEvidenceApi(APIView):
    """GET/POST cases/{id}/evidence: photos and documents (JPEG, PNG, PDF)."""

    parser_classes = [MultiPartParser]

    @extend_schema(responses=EvidenceSerializer(many=True))
    def get(self, request, case_id):
        case = get_visible_case(request.user, case_id)
        rows = case.evidence.select_related("uploaded_by", "agency")
        return Response(EvidenceSerializer(rows, many=True).data)

    @extend_schema(request={"multipart/form-data": inline_serializer("EvidenceIn", {"file": serializers.FileField(), "stage": serializers.ChoiceField(choices=["before", "after", "other"], required=False), "description": serializers.CharField(required=False)})}, responses={201: EvidenceSerializer})
    def post(self, request, case_id):
        # Refuse an oversized body before reading it.
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.UPLOAD_MAX_BYTES + 64 * 1024:
            raise TooLarge()
        case = get_visible_case(request.user, case_id)
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(fields={"file": [_("Attach a file.")]})
        evidence = services.add_evidence(
            actor=request.user, case=case, upload=upload,
            stage=request.data.get("stage", "other"), description=request.data.get("description", ""),
        )
        return Response(EvidenceSerializer(evidence).data, status=201)


class EvidenceFileApi(APIView):
    """GET cases/{id}/evidence/{evidence_id}/file, checked against its SHA-256."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="the file")})
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

    @extend_schema(responses=CommentSerializer(many=True))
    def get(self, request, case_id):
        case = get_visible_case(request.user, case_id)
        return Response(CommentSerializer(case.comments.select_related("author", "agency"), many=True).data)

    @extend_schema(request=inline_serializer("CommentIn", {"text": serializers.CharField()}), responses={201: CommentSerializer})
    def post(self, request, case_id):
        case = get_visible_case(request.user, case_id)
        text = request.data.get("text") if isinstance(request.data, dict) else None
        comment = services.add_comment(actor=request.user, case=case, text=text if isinstance(text, str) else "")
        return Response(CommentSerializer(comment).data, status=201)
