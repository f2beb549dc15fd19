"""JSON shape of a task (DESIGN.md section 6)."""
from rest_framework import serializers
from viewflow.workflow.status import STATUS

from .models import CaseTask
from .selectors import is_overdue
from .steps import STEP_TITLES, actions_for

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class TaskSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    step = serializers.CharField()
    title = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.code", default=None)
    assignee = serializers.CharField(source="owner.username", default=None)
    status = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="created")
    overdue = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    paused = serializers.SerializerMethodField()

    class Meta:
        model = CaseTask
        fields = [
            "id", "case", "case_number", "step", "title", "agency", "assignee", "status",
            "created_at", "due_at", "overdue", "actions", "paused", "pause_reason", "escalation_level",
        ]

    def get_paused(self, task) -> bool:
        return task.paused_at is not None

    def get_title(self, task) -> str:
        return str(STEP_TITLES.get(task.step, task.step))

    def get_status(self, task) -> str:
        return task.status.lower()

    def get_overdue(self, task) -> bool:
        return is_overdue(task)

    def get_actions(self, task) -> list[str]:
        return list(actions_for(task.case.kind, task.step)) if task.status in OPEN else []
