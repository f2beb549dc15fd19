"""Pages of the desk (namespace ``desk``) and its API routes (in config/urls.py's ``api``)."""
from django.urls import path

from .api import cases as cases_api
from .api import tasks as tasks_api
from .views import cases, filters, tasks

app_name = "desk"
urlpatterns = [
    path("", tasks.inbox, name="inbox"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/new/", cases.case_new, name="case-new"),
    path("cases/<id:case_id>/", cases.case_detail, name="case"),
    path("cases/<id:case_id>/evidence/", cases.evidence_upload, name="evidence-upload"),
    path("cases/<id:case_id>/comments/", cases.comment_add, name="comment-add"),
    path("tasks/bulk/", tasks.tasks_bulk, name="tasks-bulk"),
    path("filters/", filters.filter_save, name="filter-save"),
    path("filters/<id:filter_id>/delete/", filters.filter_delete, name="filter-delete"),
    path("tasks/<id:task_id>/", tasks.task_page, name="task"),
    path("tasks/<id:task_id>/claim/", tasks.task_claim, name="task-claim"),
    path("tasks/<id:task_id>/unclaim/", tasks.task_unclaim, name="task-unclaim"),
    path("tasks/<id:task_id>/assign/", tasks.task_assign, name="task-assign"),
    path("tasks/<id:task_id>/pause/", tasks.task_pause, name="task-pause"),
    path("tasks/<id:task_id>/resume/", tasks.task_resume, name="task-resume"),
]

api_urlpatterns = [
    path("cases", cases_api.CasesApi.as_view(), name="cases"),
    path("cases/<id:case_id>", cases_api.CaseDetailApi.as_view(), name="case"),
    path("cases/<id:case_id>/history", cases_api.CaseHistoryApi.as_view(), name="case-history"),
    path("cases/<id:case_id>/evidence", cases_api.CaseEvidenceApi.as_view(), name="case-evidence"),
    path("cases/<id:case_id>/evidence/<id:evidence_id>/file", cases_api.EvidenceFileApi.as_view(),
         name="evidence-file"),
    path("cases/<id:case_id>/comments", cases_api.CaseCommentsApi.as_view(), name="case-comments"),
    path("intake/alarms", tasks_api.AlarmIntakeApi.as_view(), name="intake-alarms"),
    path("tasks", tasks_api.TaskListApi.as_view(), name="tasks"),
    path("tasks/<id:task_id>/claim", tasks_api.TaskClaimApi.as_view(), name="task-claim"),
    path("tasks/<id:task_id>/unclaim", tasks_api.TaskUnclaimApi.as_view(), name="task-unclaim"),
    path("tasks/<id:task_id>/assign", tasks_api.TaskAssignApi.as_view(), name="task-assign"),
    path("tasks/<id:task_id>/complete", tasks_api.TaskCompleteApi.as_view(), name="task-complete"),
    path("tasks/<id:task_id>/pause", tasks_api.TaskPauseApi.as_view(), name="task-pause"),
    path("tasks/<id:task_id>/resume", tasks_api.TaskResumeApi.as_view(), name="task-resume"),
]
