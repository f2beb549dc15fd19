"""API of the documents of record: a case's documents, one document, its PDF,
its service (送达) and its corrections. Visibility is the case's (404)."""
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.selectors import get_visible_case
from common.exceptions import InvalidInput

from . import documents
from .models import Document
from .serializers import DocumentDetailSerializer, DocumentSerializer
from .views import parse_moment, pdf_response


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise InvalidInput(_("The body must be a JSON object."))
    return request.data


class CaseDocumentsApi(APIView):
    """GET cases/{id}/documents: the case's documents, every version, oldest first."""

    @extend_schema(responses=DocumentSerializer(many=True))
    def get(self, request, case_id):
        case = get_visible_case(request.user, case_id)
        return Response(DocumentSerializer(documents.documents_of(case), many=True).data)


class DocumentApi(APIView):
    """GET documents/{id}: one document with the facts it states."""

    @extend_schema(responses=DocumentDetailSerializer)
    def get(self, request, document_id):
        return Response(DocumentDetailSerializer(documents.get_visible_document(request.user, document_id)).data)


class DocumentPdfApi(APIView):
    """GET documents/{id}.pdf: the document as PDF (drawn now if it is not yet)."""

    @extend_schema(operation_id="documents_pdf_retrieve", parameters=[OpenApiParameter(
        "download", str, enum=["1"], description="1: as an attachment rather than inline")],
        responses={(200, "application/pdf"): OpenApiResponse(response=OpenApiTypes.BINARY, description="the PDF")})
    def get(self, request, document_id):
        return pdf_response(documents.get_visible_document(request.user, document_id),
                            download=request.query_params.get("download") == "1")


class DocumentServiceApi(APIView):
    """POST documents/{id}/service {served_at, method, recipient, note?}: 送达."""

    @extend_schema(request=inline_serializer("ServiceIn", {
        "served_at": serializers.DateTimeField(), "method": serializers.ChoiceField(choices=Document.Method.choices),
        "recipient": serializers.CharField(), "note": serializers.CharField(required=False)}),
        responses=DocumentSerializer)
    def post(self, request, document_id):
        body = _body(request)
        served_at = parse_moment(body.get("served_at"))
        document = documents.record_service(
            actor=request.user, document_id=document_id, served_at=served_at, method=body.get("method"),
            recipient=body.get("recipient"), note=body.get("note") if isinstance(body.get("note"), str) else "",
        )
        return Response(DocumentSerializer(document).data)


class DocumentCorrectionApi(APIView):
    """POST documents/{id}/corrections {reason, changes: {fact: text}}: a new version."""

    @extend_schema(request=inline_serializer("CorrectionIn", {
        "reason": serializers.CharField(), "changes": serializers.DictField(child=serializers.CharField())}),
        responses={201: DocumentSerializer})
    def post(self, request, document_id):
        body = _body(request)
        corrected = documents.correct(actor=request.user, document_id=document_id, reason=body.get("reason"),
                                      changes=body.get("changes"))
        return Response(DocumentSerializer(corrected).data, status=201)
