from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/", views.report_list, name="reports"),
    path("reports/late/warn/", views.late_unit_warn, name="late-warn"),
    path("reports/<id:report_id>/review/", views.report_review, name="report-review"),
    path("reports/<str:kind>/<str:period>/", views.report_edit, name="report-edit"),
]
