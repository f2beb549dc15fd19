from django.urls import path

from . import api, views

app_name = "enforcement"
urlpatterns = [
    path("<int:document_id>/", views.document_page, name="document"),
    path("<int:document_id>/pdf", views.document_pdf, name="document-pdf"),
]

api_urlpatterns = [
    path("cases/<str:case_id>/documents", api.CaseDocumentsApi.as_view(), name="case-documents"),
    path("documents/<str:document_id>.pdf", api.DocumentPdfApi.as_view(), name="document-pdf"),
    path("documents/<str:document_id>", api.DocumentApi.as_view(), name="document"),
    path("documents/<str:document_id>/service", api.DocumentServiceApi.as_view(), name="document-service"),
    path("documents/<str:document_id>/corrections", api.DocumentCorrectionApi.as_view(), name="document-corrections"),
]
