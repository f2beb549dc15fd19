"""JSON shapes of a case and of what it holds (history, evidence, comments,
hand-offs), as every API shows them; the case's full detail, with its tasks
and acts of enforcement, is composed by the desk (``desk.serializers``)."""
from django.urls import reverse
from rest_framework import serializers

from .models import Case, CaseHistory, Comment, Evidence, Handoff


class CaseListSerializer(serializers.ModelSerializer):
    """A row of a case list. ``LIST_COLUMNS``: what it reads of the case and its
    agencies, for a list's ``only()`` (a page of 50 cases parses none of their JSON)."""

    LIST_COLUMNS = ("id", "number", "kind", "grade", "title", "state", "lead_agency__code", "street__code",
                    "created_at", "due_at", "supervision_level")

    lead_agency = serializers.CharField(source="lead_agency.code")
    street = serializers.CharField(source="street.code")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "number", "kind", "grade", "title", "state", "lead_agency", "street",
            "created_at", "due_at", "overdue", "supervision_level",
        ]

    def get_overdue(self, case) -> bool:
        return case.is_overdue


class HistorySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True)
    agency = serializers.CharField(source="agency.code", default=None, allow_null=True)

    class Meta:
        model = CaseHistory
        fields = ["at", "actor", "agency", "action", "step", "from_state", "to_state", "note"]


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username")
    agency = serializers.CharField(source="agency.code", default=None, allow_null=True)
    url = serializers.SerializerMethodField()
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id", "original_name", "content_type", "size", "sha256", "stage", "description",
            "taken_at", "latitude", "longitude", "metadata_note", "uploaded_by", "agency", "uploaded_at", "url",
        ]

    # a position is shown only when it is one (rows stored before the EXIF checks may hold anything)
    def get_latitude(self, evidence) -> str | None:
        return f"{evidence.position[0]:.6f}" if evidence.position else None

    def get_longitude(self, evidence) -> str | None:
        return f"{evidence.position[1]:.6f}" if evidence.position else None

    def get_url(self, evidence) -> str:
        return reverse("api:evidence-file", args=[evidence.case_id, evidence.pk])


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username")
    agency = serializers.CharField(source="agency.code", default=None, allow_null=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "agency", "text", "created_at"]


class HandoffSerializer(serializers.ModelSerializer):
    from_agency = serializers.CharField(source="from_agency.code")
    to_agency = serializers.CharField(source="to_agency.code")
    requested_by = serializers.CharField(source="requested_by.username")
    answered_by = serializers.CharField(source="answered_by.username", default=None, allow_null=True)

    class Meta:
        model = Handoff
        fields = ["from_agency", "to_agency", "reason", "requested_by", "requested_at", "status", "answer",
                  "answered_by", "answered_at"]
