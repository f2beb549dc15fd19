from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("<int:case_id>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("<int:case_id>/comments/", views.comment_add, name="comment-add"),
]
