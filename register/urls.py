"""Pages of the register (namespace ``register``) and its API routes (in config/urls.py's ``api``)."""
from django.urls import path

from . import api, edit, views

app_name = "register"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprises"),
    path("enterprises/import/", views.import_page, name="import"),
    path("enterprises/imports/<id:job_id>/", views.import_job, name="import-job"),
    path("enterprises/template.xlsx", views.template, name="template"),
    path("enterprises/export.xlsx", views.export, name="export"),
    path("enterprises/risk/", views.risk, name="risk"),
    path("enterprises/<str:uscc>/", views.enterprise_detail, name="enterprise"),
    path("enterprises/<str:uscc>/labels/", views.labels, name="labels"),
    path("enterprises/<str:uscc>/edit/", edit.enterprise_edit, name="enterprise-edit"),
    path("codes/<str:code>", views.safety_card, name="code"),
]

api_urlpatterns = [
    path("enterprises", api.EnterprisesApi.as_view(), name="enterprises"),
    path("enterprises/import", api.ImportApi.as_view(), name="enterprise-import"),
    path("enterprises/imports/<id:job_id>", api.ImportJobApi.as_view(), name="enterprise-import-job"),
    path("enterprises/template.xlsx", api.TemplateApi.as_view(), name="enterprise-template"),
    path("enterprises/export.xlsx", api.ExportApi.as_view(), name="enterprise-export"),
    path("enterprises/<str:uscc>", api.EnterpriseApi.as_view(), name="enterprise"),
    path("enterprises/<str:uscc>/cases", api.EnterpriseCasesApi.as_view(), name="enterprise-cases"),
    path("codes/<str:code>", api.SafetyCardApi.as_view(), name="code"),
]
