"""JSON shape of a document of record."""
from django.urls import reverse
from rest_framework import serializers

from .models import Document, DocumentType


class DocumentSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.code")
    issued_by = serializers.CharField(source="issued_by.username")
    rendered = serializers.BooleanField(source="is_rendered")
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "case", "type", "title", "number", "agency", "issued_at", "issued_by", "version", "supersedes",
                  "correction_reason", "rendered", "sha256", "served_at", "service_method", "service_recipient",
                  "pdf_url"]

    def get_title(self, document) -> str:
        return document.facts.get("title") or document.type

    def get_pdf_url(self, document) -> str:
        return reverse("api:document-pdf", args=[document.pk])


class DocumentDetailSerializer(DocumentSerializer):
    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "facts", "service_note"]


def type_titles() -> dict[str, str]:
    return dict(DocumentType.objects.values_list("code", "title"))
