"""API: the key tasks, the periodic reports, statistics and the monthly workbook."""
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.exceptions import InvalidInput, NotPermitted

from . import reports
from .models import PlanTask, ProgressReport, ReportEntry
from .stats import period_stats
from .workbook import monthly_workbook

PERIOD = OpenApiParameter("period", str, description="YYYY-MM", required=True)


class PlanTaskSerializer(serializers.ModelSerializer):
    agencies = serializers.SerializerMethodField()

    class Meta:
        model = PlanTask
        fields = ["number", "group", "measure", "text", "agencies", "deadline", "deadline_text", "ongoing", "milestones"]

    def get_agencies(self, task) -> list[dict]:
        return [{"code": r.agency.code, "name": r.agency.name, "role": r.role} for r in task.responsibilities.all()]


class EntrySerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="task.number")
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = ReportEntry
        fields = ["task", "status", "progress", "attachments"]

    def get_attachments(self, entry) -> list[dict]:
        return [{"name": a.original_name, "sha256": a.sha256} for a in entry.attachments.all()]


class ReportSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")
    period = serializers.SerializerMethodField()
    due = serializers.SerializerMethodField()
    entries = EntrySerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "agency", "kind", "period", "due", "status", "submitted_at", "reviewed_at", "review_comment",
                  "entries"]

    def get_period(self, report) -> str:
        return reports.format_period(report.period)

    def get_due(self, report) -> str:
        return reports.due_date(report.period).isoformat()


REPORT_IN = inline_serializer("ReportIn", {
    "kind": serializers.ChoiceField(choices=ProgressReport.Kind.values),
    "period": serializers.CharField(),
    "submit": serializers.BooleanField(required=False),
    "entries": inline_serializer("EntryIn", {
        "task": serializers.IntegerField(), "status": serializers.ChoiceField(choices=ReportEntry.Progress.values),
        "progress": serializers.CharField()}, many=True),
})


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise InvalidInput(_("The body must be a JSON object."))
    return request.data


class PlanTaskListApi(ListAPIView):
    """GET plan/tasks: the plan's 22 key tasks."""

    serializer_class = PlanTaskSerializer
    queryset = PlanTask.objects.prefetch_related("responsibilities__agency").order_by("number")


class ReportsApi(ListAPIView):
    """GET plan/reports?period=&kind=: the unit's reports (the safety office: every submitted report).
    POST plan/reports {kind, period, entries: [{task, status, progress}], submit?}: save the draft (and submit)."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        rows = reports.reports_visible_to(self.request.user).prefetch_related("entries__task", "entries__attachments")
        if self.request.query_params.get("period"):
            rows = rows.filter(period=reports.parse_period(self.request.query_params["period"]))
        if self.request.query_params.get("kind"):
            rows = rows.filter(kind=self.request.query_params["kind"])
        return rows

    @extend_schema(request=REPORT_IN, responses={200: ReportSerializer})
    def post(self, request):
        body = _body(request)
        report = reports.save_report(actor=request.user, kind=body.get("kind"), period=body.get("period"),
                                     entries=body.get("entries"), submit=body.get("submit") is True)
        return Response(ReportSerializer(report).data)


class ReportDetailApi(APIView):
    @extend_schema(responses=ReportSerializer)
    def get(self, request, report_id):
        return Response(ReportSerializer(reports.get_visible_report(request.user, report_id)).data)


class ReportSubmitApi(APIView):
    @extend_schema(request=None, responses=ReportSerializer)
    def post(self, request, report_id):
        return Response(ReportSerializer(reports.submit_report(actor=request.user, report_id=report_id)).data)


class ReportReviewApi(APIView):
    """POST plan/reports/{id}/accept or /return {comment}: the safety office's review."""

    accept = True

    @extend_schema(request=inline_serializer("ReviewIn", {"comment": serializers.CharField(required=False)}),
                   responses=ReportSerializer)
    def post(self, request, report_id):
        report = reports.review_report(actor=request.user, report_id=report_id, accept=self.accept,
                                       comment=_body(request).get("comment", ""))
        return Response(ReportSerializer(report).data)


class ReportAttachmentApi(APIView):
    """POST plan/reports/{id}/attachments (multipart: task, file)."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": inline_serializer("AttachmentIn", {
        "task": serializers.IntegerField(), "file": serializers.FileField()})},
        responses={201: OpenApiResponse(description="attached")})
    def post(self, request, report_id):
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(fields={"file": [_("Attach a file.")]})
        attachment = reports.add_attachment(actor=request.user, report_id=report_id,
                                            task_number=request.data.get("task", ""), upload=upload)
        return Response({"name": attachment.original_name, "sha256": attachment.sha256}, status=201)


class LateUnitsApi(APIView):
    """GET plan/late?period=YYYY-MM: units late with the month's report (the safety office)."""

    @extend_schema(parameters=[PERIOD], responses=inline_serializer("LateUnit", {
        "agency": serializers.CharField(), "name": serializers.CharField(),
        "submitted_at": serializers.DateTimeField(allow_null=True)}, many=True))
    def get(self, request):
        _require_supervisor(request.user)
        period = reports.parse_period(request.query_params.get("period"))
        return Response([{"agency": r["agency"].code, "name": r["agency"].name, "submitted_at": r["submitted_at"]}
                         for r in reports.late_units(period)])


class LateUnitWarnApi(APIView):
    """POST plan/late/warn {agency, period, note}: 警示提醒 to a late unit."""

    @extend_schema(request=inline_serializer("WarnIn", {"agency": serializers.CharField(),
                   "period": serializers.CharField(), "note": serializers.CharField()}),
                   responses={201: OpenApiResponse(description="warned")})
    def post(self, request):
        body = _body(request)
        warning = reports.warn_late_unit(actor=request.user, agency_code=body.get("agency", ""),
                                         period=body.get("period"), note=body.get("note", ""))
        return Response({"agency": warning.agency.code, "issued_at": warning.issued_at}, status=201)


class StatsApi(APIView):
    """GET stats?period=YYYY-MM: the month's figures (leaders and the safety office)."""

    @extend_schema(parameters=[PERIOD], responses=OpenApiResponse(description="figures by kind, grade, agency, street"))
    def get(self, request):
        _require_leader_or_supervisor(request.user)
        return Response(period_stats(reports.parse_period(request.query_params.get("period"))))


class MonthlyWorkbookApi(APIView):
    """GET reports/monthly.xlsx?period=YYYY-MM: the district's monthly report."""

    @extend_schema(parameters=[PERIOD], responses={(200, "application/vnd.openxmlformats-officedocument."
                                                   "spreadsheetml.sheet"): OpenApiResponse(description="workbook")})
    def get(self, request):
        _require_leader_or_supervisor(request.user)
        period = reports.parse_period(request.query_params.get("period"))
        response = HttpResponse(
            monthly_workbook(period),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="nankai-monthly-{reports.format_period(period)}.xlsx"'
        return response


def _require_supervisor(user):
    if not user.is_supervisor:
        raise NotPermitted(_("Only the safety office sees this."))


def _require_leader_or_supervisor(user):
    if not (user.is_supervisor or user.is_leader):
        raise NotPermitted(_("Statistics are for agency leaders and the safety office."))
