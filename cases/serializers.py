"""JSON shapes of cases and their history (DESIGN.md section 6)."""
from rest_framework import serializers

from .models import Case, CaseHistory, Comment, Evidence, Handoff, Referral


class CaseListSerializer(serializers.ModelSerializer):
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
        return case.is_overdue()


class CaseDetailSerializer(CaseListSerializer):
    agencies = serializers.SerializerMethodField()
    enterprise = serializers.SerializerMethodField()
    open_tasks = serializers.SerializerMethodField()
    handoffs = serializers.SerializerMethodField()
    referrals = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            "id", "number", "kind", "grade", "title", "description", "address", "source", "state",
            "lead_agency", "agencies", "street", "enterprise", "criteria", "rectification_order",
            "created_at", "closed_at", "due_at", "overdue", "supervision_level", "open_tasks",
            "handoffs", "referrals",
        ]

    def get_agencies(self, case) -> list[str]:
        return sorted(agency.code for agency in case.participants.all())

    def get_enterprise(self, case) -> dict | None:
        if case.enterprise is None:
            return None
        return {"name": case.enterprise.name, "uscc": case.enterprise.uscc}

    def get_open_tasks(self, case) -> list[dict]:
        return self.context.get("open_tasks", [])

    def get_handoffs(self, case) -> list[dict]:
        rows = case.handoffs.select_related("from_agency", "to_agency", "requested_by", "answered_by")
        return HandoffSerializer(rows, many=True).data

    def get_referrals(self, case) -> list[dict]:
        return ReferralSerializer(case.referrals.select_related("referred_by", "decided_by"), many=True).data


class HistorySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)
    agency = serializers.CharField(source="agency.code", default=None)

    class Meta:
        model = CaseHistory
        fields = ["at", "actor", "agency", "action", "step", "from_state", "to_state", "note"]


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username")
    agency = serializers.CharField(source="agency.code", default=None)
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
        return f"/api/v1/cases/{evidence.case_id}/evidence/{evidence.pk}/file"


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username")
    agency = serializers.CharField(source="agency.code", default=None)

    class Meta:
        model = Comment
        fields = ["id", "author", "agency", "text", "created_at"]


class HandoffSerializer(serializers.ModelSerializer):
    from_agency = serializers.CharField(source="from_agency.code")
    to_agency = serializers.CharField(source="to_agency.code")
    requested_by = serializers.CharField(source="requested_by.username")
    answered_by = serializers.CharField(source="answered_by.username", default=None)

    class Meta:
        model = Handoff
        fields = ["from_agency", "to_agency", "reason", "requested_by", "requested_at", "status", "answer",
                  "answered_by", "answered_at"]


class ReferralSerializer(serializers.ModelSerializer):
    referred_by = serializers.CharField(source="referred_by.username")
    decided_by = serializers.CharField(source="decided_by.username", default=None)

    class Meta:
        model = Referral
        fields = ["reason", "documents", "referred_by", "referred_at", "status", "police_case_no", "return_reason",
                  "decided_by", "decided_at"]
