"""API: the key tasks, the periodic reports, statistics and the monthly workbook."""
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.exceptions import InvalidInput, NotPermitted
from common.inputs import parse_day
from common.replica import replica_reads
from flows.registry import state_label

from . import campaigns, progress, reports
from .models import ProgressReport, ReportEntry
from .stats import period_stats
from .workbook import monthly_workbook

PERIOD = OpenApiParameter("period", str, description="YYYY-MM", required=True)


class EntrySerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="task.number")
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = ReportEntry
        fields = ["task", "status", "progress", "attachments"]

    @extend_schema_field(inline_serializer("EntryAttachment", {"name": serializers.CharField(),
                                                              "sha256": serializers.CharField()}, many=True))
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


UNIT_OUT = inline_serializer("PlanTaskUnit", {
    "agency": serializers.CharField(), "name": serializers.CharField(), "role": serializers.CharField(),
    "role_label": serializers.CharField(), "stands_for": serializers.CharField(),
    "state": serializers.ChoiceField(choices=list(progress.STATE_LABELS)), "state_label": serializers.CharField(),
    "missed": serializers.ListField(child=serializers.CharField()),
    "last_report": inline_serializer("PlanTaskLastReport", {
        "period": serializers.CharField(), "kind": serializers.CharField(), "status": serializers.CharField(),
        "progress": serializers.CharField(allow_null=True)}, allow_null=True),
})
TASK_OUT = inline_serializer("PlanTask", {
    "number": serializers.IntegerField(), "group": serializers.CharField(), "measure": serializers.CharField(),
    "text": serializers.CharField(), "responsible_text": serializers.CharField(),
    "deadline": serializers.DateField(allow_null=True), "deadline_text": serializers.CharField(),
    "ongoing": serializers.BooleanField(), "milestones": serializers.ListField(child=inline_serializer("PlanMilestone", {
        "date": serializers.DateField(), "text": serializers.CharField()})),
    "units": UNIT_OUT.__class__(many=True),
})


def _unit_json(user, unit: progress.UnitProgress) -> dict:
    last = unit.last
    mine = user.is_supervisor or unit.agency.pk == user.agency_id  # a report's words are its unit's and the office's
    return {
        "agency": unit.agency.code, "name": unit.agency.name, "role": unit.role,
        "role_label": str(unit.role_label), "stands_for": unit.stands_for,
        "state": unit.state, "state_label": str(unit.state_label), "missed": unit.missed,
        "last_report": None if last is None else {
            "period": reports.format_period(last.report.period), "kind": last.report.kind, "status": last.status,
            "progress": last.progress if mine else None},
    }


class PlanTaskListApi(APIView):
    """GET plan/tasks: the plan's 22 key tasks in the plan's words, each unit
    that reports on it with its role, its progress state (未开始, 推进中, 已完成,
    逾期) and its last report (the report's words only to the unit itself and
    the safety office)."""

    @extend_schema(responses=TASK_OUT.__class__(many=True))
    def get(self, request):
        return Response([{
            "number": row.task.number, "group": row.task.group, "measure": row.task.measure, "text": row.task.text,
            "responsible_text": row.task.responsible_text, "deadline": row.task.deadline,
            "deadline_text": row.task.deadline_text, "ongoing": row.task.ongoing, "milestones": row.task.milestones,
            "units": [_unit_json(request.user, unit) for unit in row.units],
        } for row in progress.progress_table()])


class LaggingUnitsApi(APIView):
    """GET plan/lagging: the units whose work on a key task lags (the safety office).
    POST plan/lagging/warn {agency, task, note}: 警示提醒.
    POST plan/lagging/interview {agency, task, held_on, attendees, minutes}: 约谈."""

    @extend_schema(responses=inline_serializer("LaggingUnit", {
        "task": serializers.IntegerField(), "agency": serializers.CharField(), "name": serializers.CharField(),
        "missed": serializers.ListField(child=serializers.CharField())}, many=True))
    def get(self, request):
        _require_supervisor(request.user)
        return Response([{"task": task.number, "agency": unit.agency.code, "name": unit.agency.name,
                          "missed": unit.missed} for task, unit in progress.lagging_units()])


class LaggingUnitWarnApi(APIView):
    @extend_schema(summary="Warn a unit whose work on a key task lags (警示提醒)", request=inline_serializer("LaggingWarnIn", {
        "agency": serializers.CharField(), "task": serializers.IntegerField(), "note": serializers.CharField()}),
        responses={201: inline_serializer("LaggingWarned", {"agency": serializers.CharField(),
                                                            "task": serializers.IntegerField(),
                                                            "issued_at": serializers.DateTimeField()})})
    def post(self, request):
        body = _body(request)
        warning = progress.warn_lagging_unit(actor=request.user, agency_code=body.get("agency"),
                                             task_number=body.get("task"), note=body.get("note"))
        return Response({"agency": warning.agency.code, "task": warning.plan_task, "issued_at": warning.issued_at},
                        status=201)


class LaggingUnitInterviewApi(APIView):
    @extend_schema(summary="Record an interview with a lagging unit (约谈)", request=inline_serializer("LaggingInterviewIn", {
        "agency": serializers.CharField(), "task": serializers.IntegerField(), "held_on": serializers.DateField(),
        "attendees": serializers.CharField(), "minutes": serializers.CharField()}),
        responses={201: inline_serializer("LaggingInterviewed", {"agency": serializers.CharField(),
                                                                 "task": serializers.IntegerField(),
                                                                 "held_on": serializers.DateField()})})
    def post(self, request):
        body = _body(request)
        interview = progress.interview_lagging_unit(
            actor=request.user, agency_code=body.get("agency"), task_number=body.get("task"),
            held_on=parse_day(body.get("held_on"), field="held_on"), attendees=body.get("attendees"),
            minutes=body.get("minutes"))
        return Response({"agency": interview.agency.code, "task": interview.plan_task, "held_on": interview.held_on},
                        status=201)


@extend_schema_view(get=extend_schema(summary="Progress reports: my unit's (the safety office: every submitted one)",
                                      parameters=[OpenApiParameter("period", str, description="YYYY-MM"),
                                                  OpenApiParameter("kind", str, enum=ProgressReport.Kind.values)]))
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

    @extend_schema(summary="Save a report's draft (and submit it)", request=REPORT_IN, responses={200: ReportSerializer})
    def post(self, request):
        body = _body(request)
        report = reports.save_report(actor=request.user, kind=body.get("kind"), period=body.get("period"),
                                     entries=body.get("entries"), submit=body.get("submit") is True)
        return Response(ReportSerializer(report).data)


class ReportDetailApi(APIView):
    @extend_schema(summary="One progress report", responses=ReportSerializer)
    def get(self, request, report_id):
        return Response(ReportSerializer(reports.get_visible_report(request.user, report_id)).data)


class ReportSubmitApi(APIView):
    @extend_schema(summary="Submit a report", request=None, responses=ReportSerializer)
    def post(self, request, report_id):
        return Response(ReportSerializer(reports.submit_report(actor=request.user, report_id=report_id)).data)


class ReportReviewApi(APIView):
    """POST plan/reports/{id}/accept or /return {comment}: the safety office's review."""

    accept = True

    @extend_schema(summary="Accept or return a report (the safety office)", request=inline_serializer("ReviewIn", {"comment": serializers.CharField(required=False)}),
                   responses=ReportSerializer)
    def post(self, request, report_id):
        report = reports.review_report(actor=request.user, report_id=report_id, accept=self.accept,
                                       comment=_body(request).get("comment", ""))
        return Response(ReportSerializer(report).data)


class ReportAttachmentApi(APIView):
    """POST plan/reports/{id}/attachments (multipart: task, file)."""

    parser_classes = [MultiPartParser]

    @extend_schema(summary="Attach a file to a report's entry (multipart: task, file)", request={"multipart/form-data": inline_serializer("AttachmentIn", {
        "task": serializers.IntegerField(), "file": serializers.FileField()})},
        responses={201: inline_serializer("AttachmentOut", {"name": serializers.CharField(),
                                                            "sha256": serializers.CharField()})})
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
                   responses={201: inline_serializer("LateWarned", {"agency": serializers.CharField(),
                                                                    "issued_at": serializers.DateTimeField()})})
    def post(self, request):
        body = _body(request)
        warning = reports.warn_late_unit(actor=request.user, agency_code=body.get("agency", ""),
                                         period=body.get("period"), note=body.get("note", ""))
        return Response({"agency": warning.agency.code, "issued_at": warning.issued_at}, status=201)


CAMPAIGN_OUT = inline_serializer("Campaign", {
    "id": serializers.IntegerField(), "name": serializers.CharField(), "lead": serializers.CharField(),
    "lead_name": serializers.CharField(), "agencies": serializers.ListField(child=serializers.CharField()),
    "starts_on": serializers.DateField(), "ends_on": serializers.DateField(), "running": serializers.BooleanField(),
    "plan_task": serializers.IntegerField(allow_null=True),
    "counts": inline_serializer("CampaignCounts", {name: serializers.IntegerField() for name in
                                                   ("found", "open", "closed", "dismissed", "referred")}),
})
CAMPAIGN_IN = inline_serializer("CampaignIn", {
    "name": serializers.CharField(), "lead": serializers.CharField(),
    "agencies": serializers.ListField(child=serializers.CharField(), required=False),
    "starts_on": serializers.DateField(), "ends_on": serializers.DateField(),
    "plan_task": serializers.IntegerField(required=False, allow_null=True),
})


def _campaign_json(campaign) -> dict:
    return {
        "id": campaign.pk, "name": campaign.name, "lead": campaign.lead.code, "lead_name": campaign.lead.name,
        "agencies": [agency.code for agency in campaign.agencies.all()], "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on, "running": campaign.is_running(), "plan_task": campaign.plan_task,
        "counts": vars(campaigns.counts_of(campaign)),
    }


class CampaignsApi(APIView):
    """GET campaigns: every special campaign (专项行动) with its counts (found,
    open, closed, dismissed, referred to the police).
    POST campaigns {name, lead, agencies, starts_on, ends_on, plan_task?}: open
    one (the safety office; a leader for its own agency)."""

    @extend_schema(responses=CAMPAIGN_OUT.__class__(many=True))
    def get(self, request):
        return Response([_campaign_json(campaign) for campaign in campaigns.campaigns_with_counts()])

    @extend_schema(request=CAMPAIGN_IN, responses={201: CAMPAIGN_OUT})
    def post(self, request):
        body = _body(request)
        campaign = campaigns.open_campaign(
            actor=request.user, name=body.get("name"), lead=body.get("lead"), agencies=body.get("agencies", []),
            starts_on=parse_day(body.get("starts_on"), field="starts_on"),
            ends_on=parse_day(body.get("ends_on"), field="ends_on"), plan_task=body.get("plan_task"))
        return Response(_campaign_json(campaigns.get_campaign(campaign.pk)), status=201)


class CampaignDetailApi(APIView):
    """GET campaigns/{id}: the campaign, its counts and the cases of it the user may see."""

    @extend_schema(responses=inline_serializer("CampaignDetail", {
        "campaign": CAMPAIGN_OUT, "cases": inline_serializer("CampaignCase", {
            "id": serializers.IntegerField(), "number": serializers.CharField(), "title": serializers.CharField(),
            "state": serializers.CharField(), "state_label": serializers.CharField()}, many=True)}))
    def get(self, request, campaign_id):
        campaign = campaigns.get_campaign(campaign_id)
        return Response({"campaign": _campaign_json(campaign), "cases": [
            {"id": case.pk, "number": case.number, "title": case.title, "state": case.state,
             "state_label": str(state_label(case.state, case.kind))}
            for case in campaigns.campaign_cases(request.user, campaign)]})


def _figures(name: str, keyed: bool) -> dict:
    fields = {"opened": serializers.IntegerField(), "closed": serializers.IntegerField(),
              "overdue": serializers.IntegerField(), "supervised": serializers.IntegerField(),
              "closure_rate": serializers.FloatField(allow_null=True,
                                                     help_text="of the month's opened cases, the share closed")}
    if keyed:
        fields = {"key": serializers.CharField(help_text="the kind, grade, agency or street code"), **fields}
    return fields


KEYED_FIGURES = inline_serializer("StatsKeyedFigures", _figures("keyed", keyed=True))
STATS_OUT = inline_serializer("Stats", {
    "period": serializers.CharField(), "as_of": serializers.CharField(),
    "totals": inline_serializer("StatsFigures", _figures("totals", keyed=False)),
    **{f"by_{name}": KEYED_FIGURES.__class__(many=True) for name in ("kind", "grade", "agency", "street")},
    "median_days_to_close": serializers.FloatField(allow_null=True),
    "report_punctuality": inline_serializer("ReportPunctuality", {
        "agency": serializers.CharField(), "name": serializers.CharField(), "state": serializers.CharField(),
        "submitted_at": serializers.DateTimeField(allow_null=True)}, many=True),
    "register": inline_serializer("RegisterFigures", {
        "as_of": serializers.DateField(), "enterprises": serializers.IntegerField(),
        "by_risk": inline_serializer("RiskCounts", {colour: serializers.IntegerField() for colour in (
            "red", "orange", "yellow", "blue", "none")}),
        "by_street": serializers.ListField(child=inline_serializer("StreetRiskCounts", {
            "key": serializers.CharField(), "street": serializers.CharField(), "red": serializers.IntegerField(),
            "orange": serializers.IntegerField(), "yellow": serializers.IntegerField(),
            "blue": serializers.IntegerField(), "none": serializers.IntegerField(),
            "total": serializers.IntegerField()})),
        "with_expired_licence": serializers.IntegerField(), "with_licence_expiring": serializers.IntegerField(),
    }, help_text="the enterprise register's figures (register.selectors.register_figures)"),
})


class StatsApi(APIView):
    """GET stats?period=YYYY-MM: the month's figures (leaders and the safety office)."""

    @extend_schema(parameters=[PERIOD], responses=STATS_OUT)
    def get(self, request):
        _require_leader_or_supervisor(request.user)
        period = reports.parse_period(request.query_params.get("period"))
        with replica_reads():
            return Response(period_stats(period))


class MonthlyWorkbookApi(APIView):
    """GET reports/monthly.xlsx?period=YYYY-MM: the district's monthly report."""

    @extend_schema(operation_id="reports_monthly_xlsx_retrieve", parameters=[PERIOD], responses={(200, "application/vnd.openxmlformats-officedocument."
                                                   "spreadsheetml.sheet"): OpenApiResponse(response=OpenApiTypes.BINARY,
                                                                                      description="workbook")})
    def get(self, request):
        _require_leader_or_supervisor(request.user)
        period = reports.parse_period(request.query_params.get("period"))
        with replica_reads():
            workbook = monthly_workbook(period)
        response = HttpResponse(
            workbook,
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
