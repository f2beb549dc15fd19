from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import health
from desk.api import counts as desk_counts
from desk.urls import api_urlpatterns as desk_api
from enforcement.urls import api_urlpatterns as documents_api
from org import api as org_api
from planning import api as plan_api
from register.urls import api_urlpatterns as register_api
from supervision import api as supervision_api

api_v1 = [
    path("auth/token", org_api.TokenApi.as_view(), name="token"),
    path("auth/token/revoke", org_api.TokenRevokeApi.as_view(), name="token-revoke"),
    path("me", org_api.MeApi.as_view(), name="me"),
    path("me/preferences", org_api.PreferencesApi.as_view(), name="me-preferences"),
    path("me/counts", desk_counts.CountsApi.as_view(), name="me-counts"),
    path("agencies", org_api.AgencyListApi.as_view(), name="agencies"),
    path("notifications", org_api.NotificationListApi.as_view(), name="notifications"),
    *desk_api,
    *documents_api,
    path("supervision/cases", supervision_api.SupervisionCasesApi.as_view(), name="supervision-cases"),
    path("supervision/listings", supervision_api.ListingsApi.as_view(), name="listings"),
    *[path(f"supervision/listings/<str:listing_id>/{action}", supervision_api.ListingActionApi.as_view(action=action),
           name=f"listing-{action.replace('_', '-')}")
      for action in ("extend", "grant", "refuse", "remove", "approve_removal", "publish")],
    path("plan/tasks", plan_api.PlanTaskListApi.as_view(), name="plan-tasks"),
    path("plan/reports", plan_api.ReportsApi.as_view(), name="plan-reports"),
    path("plan/reports/<id:report_id>", plan_api.ReportDetailApi.as_view(), name="plan-report"),
    path("plan/reports/<id:report_id>/submit", plan_api.ReportSubmitApi.as_view(), name="plan-report-submit"),
    path("plan/reports/<id:report_id>/accept", plan_api.ReportReviewApi.as_view(accept=True), name="plan-report-accept"),
    path("plan/reports/<id:report_id>/return", plan_api.ReportReviewApi.as_view(accept=False), name="plan-report-return"),
    path("plan/reports/<id:report_id>/attachments", plan_api.ReportAttachmentApi.as_view(), name="plan-report-attachments"),
    path("plan/late", plan_api.LateUnitsApi.as_view(), name="plan-late"),
    path("plan/late/warn", plan_api.LateUnitWarnApi.as_view(), name="plan-late-warn"),
    path("plan/lagging", plan_api.LaggingUnitsApi.as_view(), name="plan-lagging"),
    path("plan/lagging/warn", plan_api.LaggingUnitWarnApi.as_view(), name="plan-lagging-warn"),
    path("plan/lagging/interview", plan_api.LaggingUnitInterviewApi.as_view(), name="plan-lagging-interview"),
    path("campaigns", plan_api.CampaignsApi.as_view(), name="campaigns"),
    path("campaigns/<id:campaign_id>", plan_api.CampaignDetailApi.as_view(), name="campaign"),
    *register_api,
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
    path("supervision/", include("supervision.urls")),
    path("plan/", include("planning.urls")),
    path("notifications/", include("org.urls")),
    path("documents/", include("enforcement.urls")),
    path("", include("register.urls")),
    path("", include("desk.urls")),
]
