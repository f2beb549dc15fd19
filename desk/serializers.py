"""JSON shapes of a task and of a case's full detail (with its open tasks
and acts of enforcement)."""
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from cases.selectors import linked_cases
from cases.serializers import CaseListSerializer, HandoffSerializer
from enforcement.models import Referral
from enforcement.referrals import referrals_of
from flows.labels import step_title
from flows.models import OPEN_STATUSES, CaseTask, task_is_overdue
from flows.registry import kind_of
from flows.selectors import ROW_COLUMNS
from supervision.listings import listing_in_force


def _iso(moment, zone=None) -> str:
    """As DRF's DateTimeField writes it: local time (Asia/Shanghai), ISO 8601, Z for UTC."""
    text = timezone.localtime(moment, zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def task_payloads(rows) -> list[dict]:
    """The JSON of tasks read as ``flows.selectors.ROW_COLUMNS`` (dicts), in
    ``TaskSerializer``'s fields: a list page builds 50 of them a request, so
    the step's title and actions are looked up once per step of a kind, the
    time and the time zone once per page."""
    now, zone = timezone.now(), timezone.get_current_timezone()
    steps = {}
    payloads = []
    for row in rows:
        node, kind, status, paused_at = row["flow_task"], row["case_kind"], row["status"], row["paused_at"]
        step = steps.get((kind, node))
        if step is None:
            name = node.name if node else ""
            step = steps[kind, node] = (name, str(step_title(kind, name)), tuple(node.actions) if node else ())
        payloads.append({
            "id": row["id"], "case": row["case_id"], "case_number": row["case_number"], "step": step[0],
            "title": step[1], "agency": row["agency_code"], "assignee": row["assignee"], "status": status.lower(),
            "created_at": _iso(row["created"], zone), "due_at": _iso(row["due_at"], zone) if row["due_at"] else None,
            "due_provisional": row["due_provisional"],
            "overdue": task_is_overdue(status=status, paused_at=paused_at, due_at=row["due_at"], now=now),
            "actions": list(step[2]) if status in OPEN_STATUSES else [], "paused": paused_at is not None,
            "pause_reason": row["pause_reason"], "escalation_level": row["escalation_level"],
        })
    return payloads


class TaskSerializer(serializers.ModelSerializer):
    """Reads the rows of ``flows.selectors.task_rows``: the case number and kind, the
    agency code and the assignee come as columns of the same query."""

    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField()
    step = serializers.CharField()
    title = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency_code", default=None, allow_null=True)
    assignee = serializers.CharField(default=None, allow_null=True)
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
        """The declared fields above, built by ``task_payloads`` (the lists'
        rows): DRF's field-by-field dispatch costs more than the query.
        ``tests/test_desk_api_tasks.py`` pins both equal to the generic path."""
        return task_payloads([{column: getattr(task, column) for column in ROW_COLUMNS}])[0]

    def get_paused(self, task) -> bool:
        return task.paused_at is not None

    def get_title(self, task) -> str:
        return str(step_title(task.case_kind, task.step))

    def get_status(self, task) -> str:
        return task.status.lower()

    def get_overdue(self, task) -> bool:
        return task.is_overdue

    def get_actions(self, task) -> list[str]:
        return list(task.flow_task.actions) if task.is_open else []


class ReferralSerializer(serializers.ModelSerializer):
    referred_by = serializers.CharField(source="referred_by.username")
    approved_by = serializers.CharField(source="approved_by.username", default=None, allow_null=True)
    decided_by = serializers.CharField(source="decided_by.username", default=None, allow_null=True)

    class Meta:
        model = Referral
        fields = ["reason", "documents", "referred_by", "referred_at", "status", "approved_by", "approved_at",
                  "refusal_reason", "police_case_no", "return_reason", "decline_reason", "reconsider_reason",
                  "reconsider_requested_at", "uphold_reason", "decided_by", "decided_at"]


ENTERPRISE = inline_serializer("CaseEnterprise", {"name": serializers.CharField(), "uscc": serializers.CharField()},
                               allow_null=True)
CAMPAIGN = inline_serializer("CaseCampaign", {"id": serializers.IntegerField(), "name": serializers.CharField()},
                             allow_null=True)
FACT = inline_serializer("CaseFact", {"label": serializers.CharField(), "value": serializers.CharField()}, many=True)
LINKED = inline_serializer("LinkedCase", {"id": serializers.IntegerField(), "number": serializers.CharField(),
                                          "kind": serializers.CharField(), "state": serializers.CharField()}, many=True)
LISTING = inline_serializer("CaseListing", {"id": serializers.IntegerField(), "deadline": serializers.DateField(),
                                            "state": serializers.CharField()}, allow_null=True)


class CaseDetailSerializer(CaseListSerializer):
    criteria = serializers.ListField(child=serializers.CharField(), read_only=True,
                                     help_text="the major-hazard criteria (判定标准) the case meets, by code")
    rectification_order = serializers.DictField(
        child=serializers.JSONField(), read_only=True, help_text="the rectification order's elements (deadline, measures, ...), as the kind's "
                                  "order step recorded them; empty before the order")
    agencies = serializers.SerializerMethodField()
    enterprise = serializers.SerializerMethodField()
    open_tasks = serializers.SerializerMethodField()
    handoffs = serializers.SerializerMethodField()
    referrals = serializers.SerializerMethodField()
    listing = serializers.SerializerMethodField()
    suspended = serializers.BooleanField(source="is_suspended")
    campaign = serializers.SerializerMethodField()
    details = serializers.JSONField(read_only=True)
    facts = serializers.SerializerMethodField()
    linked_cases = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            "id", "number", "kind", "grade", "title", "description", "address", "source", "state",
            "lead_agency", "agencies", "street", "enterprise", "criteria", "rectification_order",
            "created_at", "closed_at", "due_at", "overdue", "supervision_level", "open_tasks",
            "handoffs", "referrals", "listing", "suspended", "campaign", "details", "facts", "linked_cases",
        ]

    def get_agencies(self, case) -> list[str]:
        return sorted(agency.code for agency in case.participants.all())

    @extend_schema_field(ENTERPRISE)
    def get_enterprise(self, case) -> dict | None:
        if case.enterprise is None:
            return None
        return {"name": case.enterprise.name, "uscc": case.enterprise.uscc}

    @extend_schema_field(CAMPAIGN)
    def get_campaign(self, case) -> dict | None:
        """The special campaign (专项行动) the case was found in, or null."""
        campaign = case.campaign
        return None if campaign is None else {"id": campaign.pk, "name": campaign.name}

    @extend_schema_field(FACT)
    def get_facts(self, case) -> list[dict]:
        """The kind's own facts in words, as the case page shows them (label, value)."""
        return [{"label": str(label), "value": str(value)} for label, value in kind_of(case.kind).facts(case)]

    @extend_schema_field(LINKED)
    def get_linked_cases(self, case) -> list[dict]:
        """The case it was opened from and the cases opened from it, that the reader may see."""
        request = self.context.get("request")
        user = self.context.get("user") or getattr(request, "user", None)
        if user is None:
            return []
        return [{"id": other.pk, "number": other.number, "kind": other.kind, "state": other.state}
                for other in linked_cases(case, user)]

    @extend_schema_field(TaskSerializer(many=True))
    def get_open_tasks(self, case) -> list[dict]:
        return self.context.get("open_tasks", [])

    @extend_schema_field(HandoffSerializer(many=True))
    def get_handoffs(self, case) -> list[dict]:
        rows = case.handoffs.select_related("from_agency", "to_agency", "requested_by", "answered_by")
        return HandoffSerializer(rows, many=True).data

    @extend_schema_field(LISTING)
    def get_listing(self, case) -> dict | None:
        """挂牌督办 in force, or null."""
        listing = listing_in_force(case)
        if listing is None:
            return None
        return {"id": listing.pk, "deadline": listing.deadline.isoformat(), "state": listing.state}

    @extend_schema_field(ReferralSerializer(many=True))
    def get_referrals(self, case) -> list[dict]:
        return ReferralSerializer(referrals_of(case), many=True).data
