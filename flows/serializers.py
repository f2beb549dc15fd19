"""JSON shape of a task (DESIGN.md section 6)."""
from django.utils import timezone
from rest_framework import serializers

from .models import OPEN_STATUSES, CaseTask
from .selectors import is_overdue
from .steps import STEP_TITLES, actions_for



def _iso(moment) -> str:
    """As DRF's DateTimeField writes it: local time (Asia/Shanghai), ISO 8601, Z for UTC."""
    text = timezone.localtime(moment).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class TaskSerializer(serializers.ModelSerializer):
    """Reads the rows of ``selectors.task_rows``: the case number and kind, the
    agency code and the assignee come as columns of the same query."""

    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField()
    step = serializers.CharField()
    title = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency_code", default=None)
    assignee = serializers.CharField(default=None)
    status = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="created")
    overdue = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    paused = serializers.SerializerMethodField()

    class Meta:
        model = CaseTask
        fields = [
            "id", "case", "case_number", "step", "title", "agency", "assignee", "status",
            "created_at", "due_at", "due_provisional", "overdue", "actions", "paused", "pause_reason",
            "escalation_level",
        ]

    def to_representation(self, task) -> dict:
        """The declared fields above, built directly: a list page serializes 50
        tasks a request, and DRF's field-by-field dispatch costs more than the
        query. ``tests/test_api_tasks.py`` pins this equal to the generic path."""
        return {
            "id": task.pk, "case": task.case_id, "case_number": task.case_number, "step": task.step,
            "title": self.get_title(task), "agency": task.agency_code, "assignee": task.assignee,
            "status": self.get_status(task), "created_at": _iso(task.created),
            "due_at": _iso(task.due_at) if task.due_at else None, "due_provisional": task.due_provisional,
            "overdue": self.get_overdue(task), "actions": self.get_actions(task), "paused": self.get_paused(task),
            "pause_reason": task.pause_reason, "escalation_level": task.escalation_level,
        }

    def get_paused(self, task) -> bool:
        return task.paused_at is not None

    def get_title(self, task) -> str:
        return str(STEP_TITLES.get(task.step, task.step))

    def get_status(self, task) -> str:
        return task.status.lower()

    def get_overdue(self, task) -> bool:
        return is_overdue(task)

    def get_actions(self, task) -> list[str]:
        return list(actions_for(task.case_kind, task.step)) if task.status in OPEN_STATUSES else []
