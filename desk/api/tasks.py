"""API of the task resource (``tasks``: the inbox, the queue, the archive, and
what an officer does with a task) and of the alarm intake. Every write calls
``flows.services``."""
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.selectors import get_visible_case
from common.exceptions import InvalidInput
from flows import services
from flows.intake import receive_alarm
from flows.models import CaseTask
from flows.selectors import BOXES, BoxRows, count_in_box, task_row, task_rows, task_values, tasks_in_box

from ..filters import TaskFilterForm
from ..serializers import CaseDetailSerializer, TaskSerializer, task_payloads
from .cases import case_payload, object_body

ALARM_OUT = inline_serializer("AlarmOut", {"created": serializers.BooleanField(), "case": serializers.CharField(allow_null=True)})


def task_list_parameters() -> list[OpenApiParameter]:
    from flows.registry import kind_choices
    return [
        OpenApiParameter("box", str, enum=list(BOXES), default="inbox",
                         description="inbox: assigned to me and open; queue: open, unassigned, claimable by me; "
                                     "archive: done by me"),
        OpenApiParameter("overdue", str, enum=["true", "false"], description="only overdue tasks, or none"),
        OpenApiParameter("q", str, description="search in the case number, title, enterprise or address"),
        OpenApiParameter("kind", str, enum=[code for code, _label in kind_choices()], description="the case kind"),
        OpenApiParameter("street", str, description="the code of the case's street (街道), as `GET agencies` lists them"),
        OpenApiParameter("sort", str, enum=list(TaskFilterForm.ORDERS),
                         description="newest or oldest first (by default the most urgent first: overdue, then due "
                                     "soonest; the archive newest first)"),
    ]


@extend_schema_view(get=extend_schema(summary="My tasks: the inbox, the queue or the archive",
                                      parameters=task_list_parameters()))
class TaskListApi(ListAPIView):
    """GET tasks?box=inbox|queue|archive (and the inbox page's filters: q, kind, street, overdue).

    The rows are read as values and written by ``task_payloads``; a whole
    box (no filter, no order) is read by SQL compiled once per shape
    (``flows.selectors.BoxRows``): the busiest list of the desk costs its two
    queries and little else (docs/performance.md)."""

    serializer_class = TaskSerializer  # the shape task_payloads writes, for the schema
    count_source = None

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(task_payloads(page))

    def get_queryset(self):
        params = self.request.query_params
        box = params.get("box", "inbox")
        if box not in BOXES:
            raise InvalidInput(fields={"box": [_("Must be inbox, queue or archive.")]})
        if params.get("overdue") not in (None, "true", "false"):
            raise InvalidInput(fields={"overdue": [_("Must be true or false.")]})
        self.count_source = None
        if not any(name in params for name in TaskFilterForm.base_fields):
            return BoxRows(self.request.user, box)  # counted by itself, as count_in_box would be
        filters = TaskFilterForm(params)
        if not filters.is_valid():
            raise InvalidInput(fields=filters.errors)
        tasks = filters.filter(tasks_in_box(self.request.user, box))
        if params.get("overdue") == "false":
            tasks = tasks.exclude(pk__in=tasks.overdue().values("pk"))
        # unfiltered, a box is counted on viewflow_task alone (flows.selectors.count_in_box)
        self.count_source = None if filters.active or "overdue" in params else count_in_box(self.request.user, box)
        return task_values(tasks)


class TaskClaimApi(APIView):
    @extend_schema(summary="Claim a task from the queue", request=None, responses=TaskSerializer)
    def post(self, request, task_id):
        task = services.claim_task(user=request.user, task_id=task_id)
        return Response(TaskSerializer(task_row(task.pk)).data)


class TaskUnclaimApi(APIView):
    @extend_schema(summary="Put a claimed task back in the queue", request=None, responses=TaskSerializer)
    def post(self, request, task_id):
        task = services.unclaim_task(user=request.user, task_id=task_id)
        return Response(TaskSerializer(task_row(task.pk)).data)


class TaskAssignApi(APIView):
    class AssignInSerializer(serializers.Serializer):
        username = serializers.CharField()

    @extend_schema(summary="Assign a task to a user of its agency (leaders)", request=AssignInSerializer, responses=TaskSerializer)
    def post(self, request, task_id):
        data = self.AssignInSerializer(data=object_body(request))
        data.is_valid(raise_exception=True)
        task = services.assign_task(user=request.user, task_id=task_id, username=data.validated_data["username"])
        return Response(TaskSerializer(task_row(task.pk)).data)


class TaskCompleteApi(APIView):
    """POST tasks/{id}/complete {action, ...fields} -> {task, case, next_tasks}."""

    @extend_schema(summary="Complete a task with one of its actions", request=inline_serializer("CompleteIn", {"action": serializers.CharField(), "note": serializers.CharField(required=False)}), responses=inline_serializer("CompleteOut", {"task": TaskSerializer(), "case": CaseDetailSerializer(), "next_tasks": TaskSerializer(many=True)}))
    def post(self, request, task_id):
        body = dict(object_body(request))
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

    @extend_schema(summary="Receive a signed alarm from the monitoring system", parameters=[OpenApiParameter(
        "X-Signature", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
        description="`sha256=` and the hex HMAC-SHA256 of the raw body with the shared secret "
                    "(ALARM_INTAKE_SECRET)")],
        request={"application/json": inline_serializer("AlarmIn", {"alarm_id": serializers.CharField(), "enterprise_uscc": serializers.CharField(), "enterprise_name": serializers.CharField(), "type": serializers.CharField(), "level": serializers.CharField(), "occurred_at": serializers.DateTimeField(), "street": serializers.CharField(), "address": serializers.CharField(required=False), "description": serializers.CharField(required=False)})}, responses={201: ALARM_OUT, 200: ALARM_OUT}, auth=[])
    def post(self, request):
        created, case = receive_alarm(body=request.body, signature=request.headers.get("X-Signature", ""))
        body = {"created": created, "case": case.number if case else None}
        return Response(body, status=201 if created else 200)


class TaskPauseApi(APIView):
    """POST tasks/{id}/pause {reason}: stop the task's clock."""

    @extend_schema(request=inline_serializer("PauseIn", {"reason": serializers.CharField()}), responses=TaskSerializer)
    def post(self, request, task_id):
        body = object_body(request)
        task = services.pause_clock(user=request.user, task_id=task_id, reason=body.get("reason", ""))
        return Response(TaskSerializer(task_row(task.pk)).data)


class TaskResumeApi(APIView):
    """POST tasks/{id}/resume: restart the clock; the due time moves by the pause."""

    @extend_schema(request=None, responses=TaskSerializer)
    def post(self, request, task_id):
        task = services.resume_clock(user=request.user, task_id=task_id)
        return Response(TaskSerializer(task_row(task.pk)).data)
