from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cases import api as cases_api
from config import health
from enforcement import api as enforcement_api
from flows import api as flows_api
from supervision import api as supervision_api
from supervision import api_plan as plan_api


def by_method(**views):
    """One URL, one API class per operation (GET list, POST create, ...)."""
    handlers = {method.upper(): view.as_view() for method, view in views.items()}
    handlers.setdefault("HEAD", handlers.get("GET"))

    def dispatch(request, *args, **kwargs):
        handler = handlers.get(request.method)
        if handler is None:
            return JsonResponse(
                {"error": {"code": "method_not_allowed", "message": f"{request.method} is not allowed.", "fields": {}}},
                status=405,
            )
        return handler(request, *args, **kwargs)

    return csrf_exempt(dispatch)  # DRF enforces CSRF itself for session-authenticated calls


api_v1 = [
    path("auth/token", enforcement_api.TokenApi.as_view(), name="token"),
    path("auth/token/revoke", enforcement_api.TokenRevokeApi.as_view(), name="token-revoke"),
    path("me", enforcement_api.MeApi.as_view(), name="me"),
    path("agencies", enforcement_api.AgencyListApi.as_view(), name="agencies"),
    path("cases", by_method(get=cases_api.CaseListApi, post=flows_api.CaseCreateApi), name="cases"),
    path("cases/<id:case_id>", flows_api.CaseDetailApi.as_view(), name="case"),
    path("cases/<id:case_id>/history", cases_api.CaseHistoryApi.as_view(), name="case-history"),
    path("cases/<id:case_id>/evidence", cases_api.CaseEvidenceApi.as_view(), name="case-evidence"),
    path("cases/<id:case_id>/evidence/<id:evidence_id>/file", cases_api.EvidenceFileApi.as_view(), name="evidence-file"),
    path("cases/<id:case_id>/comments", cases_api.CaseCommentsApi.as_view(), name="case-comments"),
    path("intake/alarms", flows_api.AlarmIntakeApi.as_view(), name="intake-alarms"),
    path("tasks", flows_api.TaskListApi.as_view(), name="tasks"),
    path("tasks/<id:task_id>/claim", flows_api.TaskClaimApi.as_view(), name="task-claim"),
    path("tasks/<id:task_id>/unclaim", flows_api.TaskUnclaimApi.as_view(), name="task-unclaim"),
    path("tasks/<id:task_id>/assign", flows_api.TaskAssignApi.as_view(), name="task-assign"),
    path("tasks/<id:task_id>/complete", flows_api.TaskCompleteApi.as_view(), name="task-complete"),
    path("tasks/<id:task_id>/pause", flows_api.TaskPauseApi.as_view(), name="task-pause"),
    path("tasks/<id:task_id>/resume", flows_api.TaskResumeApi.as_view(), name="task-resume"),
    path("supervision/cases", supervision_api.SupervisionCasesApi.as_view(), name="supervision-cases"),
    path("notifications", enforcement_api.NotificationListApi.as_view(), name="notifications"),
    path("plan/tasks", plan_api.PlanTaskListApi.as_view(), name="plan-tasks"),
    path("plan/reports", by_method(get=plan_api.ReportListApi, post=plan_api.ReportSaveApi), name="plan-reports"),
    path("plan/reports/<id:report_id>", plan_api.ReportDetailApi.as_view(), name="plan-report"),
    path("plan/reports/<id:report_id>/submit", plan_api.ReportSubmitApi.as_view(), name="plan-report-submit"),
    path("plan/reports/<id:report_id>/accept", plan_api.ReportReviewApi.as_view(accept=True), name="plan-report-accept"),
    path("plan/reports/<id:report_id>/return", plan_api.ReportReviewApi.as_view(accept=False), name="plan-report-return"),
    path("plan/reports/<id:report_id>/attachments", plan_api.ReportAttachmentApi.as_view(), name="plan-report-attachments"),
    path("plan/late", plan_api.LateUnitsApi.as_view(), name="plan-late"),
    path("plan/late/warn", plan_api.LateUnitWarnApi.as_view(), name="plan-late-warn"),
    path("stats", plan_api.StatsApi.as_view(), name="stats"),
    path("reports/monthly.xlsx", plan_api.MonthlyWorkbookApi.as_view(), name="monthly-workbook"),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include((api_v1, "api"))),
    path("login/", auth_views.LoginView.as_view(template_name="login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("cases/", include("cases.urls")),
    path("supervision/", include("supervision.urls")),
    path("notifications/", include("enforcement.urls")),
    path("", include("flows.urls")),
]

