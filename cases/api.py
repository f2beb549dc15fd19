"""API: the case list and a case's history."""

from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.exceptions import InvalidInput

from .filters import CaseFilter
from .selectors import case_history, get_visible_case, visible_cases
from .serializers import CaseListSerializer, HistorySerializer


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

    def get(self, request, case_id):
        case = get_visible_case(request.user, case_id)
        return Response(HistorySerializer(case_history(case), many=True).data)


