from django.urls import path

from . import plan_views, views

app_name = "planning"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("tasks/", plan_views.plan_tasks, name="tasks"),
    path("tasks/lagging/<str:action>/", plan_views.lagging_action, name="lagging"),
    path("campaigns/", plan_views.campaign_list, name="campaigns"),
    path("campaigns/<id:campaign_id>/", plan_views.campaign_detail, name="campaign"),
    path("reports/", views.report_list, name="reports"),
    path("reports/late/warn/", views.late_unit_warn, name="late-warn"),
    path("reports/<id:report_id>/review/", views.report_review, name="report-review"),
    path("reports/<str:kind>/<str:period>/", views.report_edit, name="report-edit"),
]
