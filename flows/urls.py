from django.urls import path

from . import views

app_name = "flows"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/<id:case_id>/", views.case_detail, name="case"),
    path("tasks/<id:task_id>/", views.task_page, name="task"),
    path("tasks/<id:task_id>/claim/", views.task_claim, name="task-claim"),
    path("tasks/<id:task_id>/unclaim/", views.task_unclaim, name="task-unclaim"),
    path("tasks/<id:task_id>/assign/", views.task_assign, name="task-assign"),
    path("tasks/<id:task_id>/pause/", views.task_pause, name="task-pause"),
    path("tasks/<id:task_id>/resume/", views.task_resume, name="task-resume"),
]
