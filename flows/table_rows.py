"""The rows of the desk's task tables (templates/desk/_task_rows.html): the
task's own columns, and the words of its case, street, enterprise and
assignee as annotations of the same query. A row is one object, not five (a
task, its case, street, enterprise and owner), and no case's JSON is parsed:
a page of 70 rows (the inbox and the queue's preview) was mostly building
and reading those objects."""
from django.db.models import F, QuerySet

from .models import CaseTask

# what a row, the four-eyes check (flows.rules.barred_from) and the clock's words read of the task itself
ROW_FIELDS = ("id", "flow_task", "status", "process", "owner", "case", "due_at", "due_provisional", "paused_at")


def table_rows(tasks: QuerySet[CaseTask]) -> QuerySet[CaseTask]:
    return tasks.select_related(None).only(*ROW_FIELDS).annotate(
        case_number=F("case__number"), case_title=F("case__title"), case_kind=F("case__kind"),
        case_grade=F("case__grade"), enterprise_name=F("case__enterprise__name"), street_name=F("case__street__name"),
        owner_name=F("owner__full_name"), owner_username=F("owner__username"),
    )
