from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("<id:case_id>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("<id:case_id>/comments/", views.comment_add, name="comment-add"),
]
