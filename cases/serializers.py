"""JSON shapes of cases and their history (DESIGN.md section 6)."""
from rest_framework import serializers

from .models import Case, CaseHistory


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

    class Meta(CaseListSerializer.Meta):
        fields = [
            "id", "number", "kind", "grade", "title", "description", "address", "source", "state",
            "lead_agency", "agencies", "street", "enterprise", "criteria", "rectification_order",
            "created_at", "closed_at", "due_at", "overdue", "supervision_level", "open_tasks",
        ]

    def get_agencies(self, case) -> list[str]:
        return sorted(agency.code for agency in case.participants.all())

    def get_enterprise(self, case) -> dict | None:
        if case.enterprise is None:
            return None
        return {"name": case.enterprise.name, "uscc": case.enterprise.uscc}

    def get_open_tasks(self, case) -> list[dict]:
        return self.context.get("open_tasks", [])


class HistorySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)
    agency = serializers.CharField(source="agency.code", default=None)

    class Meta:
        model = CaseHistory
        fields = ["at", "actor", "agency", "action", "step", "from_state", "to_state", "note"]
