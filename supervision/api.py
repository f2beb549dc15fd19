"""API: the supervision list for the safety office."""
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from cases.serializers import CaseListSerializer
from common.exceptions import InvalidInput, NotPermitted

from .selectors import assessment, escalated_cases, escalations_by, overdue_days


class SupervisedCaseSerializer(CaseListSerializer):
    overdue_days = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "overdue_days"]

    def get_overdue_days(self, case) -> float | None:
        return overdue_days(case)


class SupervisionCasesApi(ListAPIView):
    """GET supervision/cases?level=2|3&agency=&street=: escalated (2) and listed (3) cases."""

    serializer_class = SupervisedCaseSerializer

    def get_queryset(self):
        if not self.request.user.is_supervisor:
            raise NotPermitted(_("Only the safety office sees the supervision list."))
        level = self.request.query_params.get("level", "2")
        if level not in ("2", "3"):
            raise InvalidInput(fields={"level": [_("Must be 2 or 3.")]})
        cases = escalated_cases(self.request.user, min_level=int(level))
        for param, lookup in (("agency", "lead_agency__code"), ("street", "street__code")):
            if self.request.query_params.get(param):
                cases = cases.filter(**{lookup: self.request.query_params[param]})
        return cases

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data["by_agency"] = escalations_by(request.user, "lead_agency")
        response.data["by_street"] = escalations_by(request.user, "street")
        response.data["assessment"] = assessment()
        return Response(response.data)
