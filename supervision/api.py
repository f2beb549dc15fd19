"""API: the supervision list for the safety office."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.serializers import CaseListSerializer
from common.exceptions import InvalidInput, NotPermitted
from common.schema import AutoSchema

from . import listings
from .models import Listing
from .selectors import assessment, escalated_cases, escalations_by, overdue_days


class SupervisedCaseSerializer(CaseListSerializer):
    overdue_days = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "overdue_days"]

    def get_overdue_days(self, case) -> float | None:
        return overdue_days(case)


@extend_schema_view(get=extend_schema(
    summary="The supervision list: escalated (2) or listed (3) cases, with counts by agency and street",
    parameters=[
        OpenApiParameter("level", str, enum=["2", "3"], default="2",
                         description="2: escalated to the safety office and above; 3: listed for supervision"),
        OpenApiParameter("agency", str, description="the lead agency's code"),
        OpenApiParameter("street", str, description="the street's code"),
    ]))
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


# --- 挂牌督办 -------------------------------------------------------------------------------
class ListingSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number")
    responsible_agency = serializers.CharField(source="responsible_agency.code")
    listed_by = serializers.CharField(source="listed_by.username")

    class Meta:
        model = Listing
        fields = ["id", "case", "case_number", "responsible_agency", "requirements", "deadline", "state", "listed_by",
                  "listed_at", "publication_due", "published_on", "publication_channel", "extension",
                  "extension_reason", "extension_deadline", "extension_note", "removal_report",
                  "removal_requested_at", "removed_at", "removal_publication_due", "removal_published_on"]


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise InvalidInput(_("The body must be a JSON object."))
    return request.data


LISTING_IN = inline_serializer("ListingIn", {
    "case": serializers.IntegerField(), "deadline": serializers.DateField(), "requirements": serializers.CharField(),
    "responsible_agency": serializers.CharField(required=False)})


class ListingsApi(ListAPIView):
    """GET supervision/listings: the listings of the cases the user may see.
    POST supervision/listings {case, deadline, requirements, responsible_agency?}: 挂牌督办 (the safety office)."""

    serializer_class = ListingSerializer

    def get_queryset(self):
        return listings.listings_visible_to(self.request.user)

    @extend_schema(request=LISTING_IN, responses={201: ListingSerializer})
    def post(self, request):
        body = _body(request)
        listing = listings.list_case(actor=request.user, case_id=body.get("case"), deadline=body.get("deadline"),
                                     requirements=body.get("requirements"),
                                     responsible_agency=body.get("responsible_agency") or "")
        return Response(ListingSerializer(listing).data, status=201)


LISTING_ACTIONS = {  # action: (summary, its body's fields)
    "extend": ("Ask for a later deadline (the responsible agency)", {
        "reason": serializers.CharField(), "new_deadline": serializers.DateField()}),
    "grant": ("Grant the extension asked for (the safety office)", {"note": serializers.CharField(required=False)}),
    "refuse": ("Refuse the extension asked for (the safety office)", {"note": serializers.CharField()}),
    "remove": ("Ask for the listing's removal with the rectification report", {"report": serializers.CharField()}),
    "approve_removal": ("Approve the removal (the safety office)", {"note": serializers.CharField(required=False)}),
    "publish": ("Record the listing's (or its removal's) publication", {
        "channel": serializers.CharField(), "published_on": serializers.DateField(required=False)}),
}


class ListingActionSchema(AutoSchema):
    """One summary and one body per listing action (the view serves them all)."""

    def get_summary(self):
        return LISTING_ACTIONS[self.view.action][0]

    def get_request_serializer(self):
        action = self.view.action
        name = "Listing" + "".join(part.capitalize() for part in action.split("_")) + "In"
        return inline_serializer(name, LISTING_ACTIONS[action][1])


class ListingActionApi(APIView):
    """POST supervision/listings/{id}/{action}: extend {reason, new_deadline}; grant {note?}; refuse {note};
    remove {report}; approve_removal {note?}; publish {channel, published_on?}."""

    action = ""

    schema = ListingActionSchema()

    @extend_schema(responses=ListingSerializer)
    def post(self, request, listing_id):
        body, user = _body(request), request.user
        actions = {
            "extend": lambda: listings.request_extension(actor=user, listing_id=listing_id, reason=body.get("reason"),
                                                         new_deadline=body.get("new_deadline")),
            "grant": lambda: listings.decide_extension(actor=user, listing_id=listing_id, grant=True,
                                                       note=body.get("note") or ""),
            "refuse": lambda: listings.decide_extension(actor=user, listing_id=listing_id, grant=False,
                                                        note=body.get("note")),
            "remove": lambda: listings.request_removal(actor=user, listing_id=listing_id, report=body.get("report")),
            "approve_removal": lambda: listings.approve_removal(actor=user, listing_id=listing_id,
                                                                note=body.get("note") or ""),
            "publish": lambda: listings.publish(actor=user, listing_id=listing_id, channel=body.get("channel"),
                                                published_on=body.get("published_on")),
        }
        return Response(ListingSerializer(actions[self.action]()).data)
