from django.urls import path

from . import views, views_plan

app_name = "supervision"
urlpatterns = [
    path("", views.board, name="board"),
    path("dashboard/", views_plan.dashboard, name="dashboard"),
    path("reports/", views_plan.report_list, name="reports"),
    path("reports/late/warn/", views_plan.late_unit_warn, name="late-warn"),
    path("reports/<id:report_id>/review/", views_plan.report_review, name="report-review"),
    path("reports/<str:kind>/<str:period>/", views_plan.report_edit, name="report-edit"),
]
