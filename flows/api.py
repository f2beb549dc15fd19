"""API: open a case, a case's detail with its open tasks, and the task
operations. Every write calls ``flows.services``."""
from drf_spectacular.utils import extend_schema, inline_serializer
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.selectors import get_visible_case
from cases.serializers import CaseDetailSerializer
from enforcement.exceptions import InvalidInput

from . import services
from .models import CaseTask
from .intake import receive_alarm
from .selectors import BOXES, count_in_box, only_overdue, open_tasks_of_case, task_row, task_rows, tasks_in_box
from .serializers import TaskSerializer


CASE_IN = inline_serializer("CaseIn", {
    "kind": serializers.ChoiceField(choices=["hazard", "illegal_site", "waste_referral"]),
    "title": serializers.CharField(), "description": serializers.CharField(required=False),
    "address": serializers.CharField(), "street": serializers.CharField(),
    "grade": serializers.ChoiceField(choices=["general", "major"], required=False),
    "enterprise": inline_serializer("EnterpriseIn", {"name": serializers.CharField(), "uscc": serializers.CharField()},
                                    required=False),
    "source": serializers.CharField(required=False),
})
ALARM_OUT = inline_serializer("AlarmOut", {"created": serializers.BooleanField(), "case": serializers.CharField()})


def case_payload(case) -> dict:
    open_tasks = TaskSerializer(task_rows(open_tasks_of_case(case.pk)), many=True).data
    return CaseDetailSerializer(case, context={"open_tasks": open_tasks}).data


def _object_body(request) -> dict:
    if not isinstance(request.data, dict):
        raise InvalidInput(_("The body must be a JSON object."))
    return request.data


class CaseCreateApi(APIView):
    """POST cases: register a case and start its flow."""

    @extend_schema(request=CASE_IN, responses={201: CaseDetailSerializer})
    def post(self, request):
        body = _object_body(request)
        enterprise = body.get("enterprise") or {}
        if not isinstance(enterprise, dict):
            raise InvalidInput(fields={"enterprise": [_("Must be an object {name, uscc}.")]})
        data = {key: value for key, value in body.items() if key != "enterprise"}
        data["enterprise_name"] = enterprise.get("name", "")
        data["enterprise_uscc"] = enterprise.get("uscc", "")
        try:
            case = services.open_case(actor=request.user, data=data)
        except InvalidInput as error:
            error.fields = {
                {"enterprise_name": "enterprise.name", "enterprise_uscc": "enterprise.uscc"}.get(key, key): value
                for key, value in error.fields.items()
            }
            raise
        return Response(case_payload(get_visible_case(request.user, case.pk)), status=201)


class CaseDetailApi(APIView):
    """GET cases/{id}."""

    @extend_schema(responses=CaseDetailSerializer)
    def get(self, request, case_id):
        return Response(case_payload(get_visible_case(request.user, case_id)))


class TaskListApi(ListAPIView):
    """GET tasks?box=inbox|queue|archive."""

    serializer_class = TaskSerializer
    count_source = None

    def get_queryset(self):
        box = self.request.query_params.get("box", "inbox")
        if box not in BOXES:
            raise InvalidInput(fields={"box": [_("Must be inbox, queue or archive.")]})
        tasks = tasks_in_box(self.request.user, box)
        self.count_source = count_in_box(self.request.user, box)
        overdue = self.request.query_params.get("overdue")
        if overdue is not None:
            if overdue not in ("true", "false"):
                raise InvalidInput(fields={"overdue": [_("Must be true or false.")]})
            tasks = only_overdue(tasks) if overdue == "true" else tasks.exclude(pk__in=only_overdue(tasks).values("pk"))
            self.count_source = None  # due_at is on the task's own table: count the joined rows
        return task_rows(tasks)


class TaskClaimApi(APIView):
    @extend_schema(request=None, responses=TaskSerializer)
    def post(self, request, task_id):
        task = services.claim_task(user=request.user, task_id=task_id)
        return Response(TaskSerializer(task_row(task.pk)).data)


class TaskUnclaimApi(APIView):
    @extend_schema(request=None, responses=TaskSerializer)
    def post(self, request, task_id):
        task = services.unclaim_task(user=request.user, task_id=task_id)
        return Response(TaskSerializer(task_row(task.pk)).data)


class TaskAssignApi(APIView):
    class AssignInSerializer(serializers.Serializer):
        username = serializers.CharField()

    @extend_schema(request=AssignInSerializer, responses=TaskSerializer)
    def post(self, request, task_id):
        data = self.AssignInSerializer(data=_object_body(request))
        data.is_valid(raise_exception=True)
        task = services.assign_task(user=request.user, task_id=task_id, username=data.validated_data["username"])
        return Response(TaskSerializer(task_row(task.pk)).data)


class TaskCompleteApi(APIView):
    """POST tasks/{id}/complete {action, ...fields} -> {task, case, next_tasks}."""

    @extend_schema(request=inline_serializer("CompleteIn", {"action": serializers.CharField(), "note": serializers.CharField(required=False)}), responses=inline_serializer("CompleteOut", {"task": TaskSerializer(), "case": CaseDetailSerializer(), "next_tasks": TaskSerializer(many=True)}))
    def post(self, request, task_id):
        body = dict(_object_body(request))
        action = body.pop("action", None)
        if not action or not isinstance(action, str):
            raise InvalidInput(fields={"action": [_("This field is required.")]})
        done = services.complete_task(user=request.user, task_id=task_id, action=action, data=body)
        return Response(
            {
                "task": TaskSerializer(task_row(done.task.pk)).data,
                "case": case_payload(get_visible_case(request.user, done.case.pk)),
                "next_tasks": TaskSerializer(
                    task_rows(CaseTask.objects.filter(pk__in=[t.pk for t in done.next_tasks]).order_by("created", "id")),
                    many=True).data,
            }
        )


class AlarmIntakeApi(APIView):
    """POST intake/alarms: signed alarms from the municipal monitoring system."""

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = []  # the raw body is what the signature covers

    @extend_schema(request=inline_serializer("AlarmIn", {"alarm_id": serializers.CharField(), "enterprise_uscc": serializers.CharField(), "enterprise_name": serializers.CharField(), "type": serializers.CharField(), "level": serializers.CharField(), "occurred_at": serializers.DateTimeField(), "street": serializers.CharField(), "address": serializers.CharField(required=False), "description": serializers.CharField(required=False)}), responses={201: ALARM_OUT, 200: ALARM_OUT}, auth=[])
    def post(self, request):
        created, case = receive_alarm(body=request.body, signature=request.headers.get("X-Signature", ""))
        body = {"created": created, "case": case.number if case else None}
        return Response(body, status=201 if created else 200)


class TaskPauseApi(APIView):
    """POST tasks/{id}/pause {reason}: stop the task's clock."""

    @extend_schema(request=inline_serializer("PauseIn", {"reason": serializers.CharField()}), responses=TaskSerializer)
    def post(self, request, task_id):
        body = _object_body(request)
        task = services.pause_clock(user=request.user, task_id=task_id, reason=body.get("reason", ""))
        return Response(TaskSerializer(task_row(task.pk)).data)


class TaskResumeApi(APIView):
    """POST tasks/{id}/resume: restart the clock; the due time moves by the pause."""

    @extend_schema(request=None, responses=TaskSerializer)
    def post(self, request, task_id):
        task = services.resume_clock(user=request.user, task_id=task_id)
        return Response(TaskSerializer(task_row(task.pk)).data)
