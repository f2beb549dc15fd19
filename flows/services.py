"""Task services shared by the pages, the API, commands and the benchmark.

Every function takes the flow lock on the case's process (SELECT ... FOR
UPDATE), re-reads the task under it, checks who may act (``flows.rules``),
and commits the case, its history and its tasks together or not at all.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS, STATUS

from cases import services as case_services
from cases.history import chain_held
from cases.models import Case
from cases.selectors import seer
from common.exceptions import (
    Conflict,
    InvalidInput,
    NotFound,
    NotPermitted,
    NotYourTask,
    TaskAlreadyDone,
    TaskHeldByOther,
)
from common.inputs import check_text, parse_id
from common.statements import server_prepared
from enforcement import documents
from org.models import User
from org.outbox import notify
from org.selectors import agency_by_code

from .labels import step_title
from .models import OPEN_STATUSES, CaseTask
from .nodes import collect_created_tasks
from .registration import registration_form
from .registry import kind_of
from .rules import check_may_work, may_assign, may_unclaim
from .step_reads import earliest_due, locked_case, task_with_process, visible_task


@dataclass
class Completion:
    task: CaseTask
    case: Case
    next_tasks: list[CaseTask] = field(default_factory=list)


# --- opening a case --------------------------------------------------------
MAX_REGISTRATION_PHOTOS = 5


@transaction.atomic
def open_case(*, actor: User | None, data: dict, photos: list | tuple = ()) -> Case:
    """Register a case from the registration fields (the common ones and its
    kind's own) and start its kind's flow; ``photos`` taken on the spot are
    its first evidence (现场照片), every one checked before any is kept."""
    if len(photos) > MAX_REGISTRATION_PHOTOS:
        raise InvalidInput(fields={"photos": [_("At most %(n)d photos at registration; add more on the case page.")
                                              % {"n": MAX_REGISTRATION_PHOTOS}]})
    for photo in photos:
        case_services.check_photo(photo)
    form = registration_form(data)
    if not form.is_valid():
        raise InvalidInput(fields=form.errors)
    fields = dict(form.cleaned_data)
    kind = kind_of(fields.pop("kind"))
    campaign = fields.get("campaign")
    if campaign is not None and not campaign.includes(getattr(actor, "agency_id", None)):
        raise InvalidInput(fields={"campaign": [_("Your agency takes no part in this campaign.")]})
    lead = kind.lead_for(actor) if kind.lead_for is not None else agency_by_code(kind.lead_agency)
    case = case_services.register_case(
        actor=actor, kind=kind.code, number_code=kind.number_code, lead_agency=lead,
        details=form.details(), **form.common_data(),
    )
    if kind.on_open is not None:
        kind.on_open(case, actor)
    kind.flow.start.run(case=case)
    _refresh_due(case)
    case.save(update_fields=["due_at"])
    case_services.add_photos(actor=actor, case=case, photos=photos, stage="before",
                             description=_("Photo at registration"))
    return case


# --- acting on a task ------------------------------------------------------
@contextmanager
def locked_task(user: User, task_id) -> Iterator[CaseTask]:
    """The task, re-read under its flow lock, with its case locked too (both
    held until the outer transaction ends: the case's history chain is
    appended by one writer at a time, whichever flow the task belongs to);
    ``NotFound`` when absent or when its case is not visible. The step's
    statements run prepared on the server (``common.statements``)."""
    task_id = parse_id(task_id)
    if task_id is None:
        raise NotFound()
    with server_prepared():
        found = visible_task(user, task_id)
        if found is None:
            raise NotFound()
        with found.flow_task.flow_class.lock(found.process_id):
            task = task_with_process(task_id)
            # a separate statement: FOR UPDATE cannot reach the nullable side of the task's join to its case
            task.case = locked_case(task.case_id)
            with chain_held(task.case), case_services.access_known(_seen_through(user, task)):
                yield task


def _seen_through(user: User, task: CaseTask) -> list[tuple[int, int]]:
    """The access row ``visible_task`` found the task's case visible through: the user's agency's."""
    return [(task.case_id, user.agency_id)] if seer(user)["scope"] == "agency" else []


@transaction.atomic
def claim_task(*, user: User, task_id: int) -> CaseTask:
    """Take a task from the agency's queue into one's inbox (签收)."""
    with locked_task(user, task_id) as task:
        check_may_work(user, task)
        if task.owner_id == user.pk:
            return task
        activation = task.flow_task.activation_class(task)
        task.assigned = timezone.now()
        activation.assign(user)
        task.case.record(actor=user, action="claim", step=task.step, task_id=task.pk)
        return task


@transaction.atomic
def unclaim_task(*, user: User, task_id: int) -> CaseTask:
    """Put a held task back in the agency's queue (its holder, or a leader of its agency)."""
    with locked_task(user, task_id) as task:
        if not user.has_perm(task.owner_permission) and not may_unclaim(user, task):
            raise NotYourTask()
        if not task.is_open:
            raise TaskAlreadyDone()
        if task.owner_id is None:
            return task
        if not may_unclaim(user, task):
            raise TaskHeldByOther()
        activation = task.flow_task.activation_class(task)
        activation.unassign()
        task.case.record(actor=user, action="unclaim", step=task.step, task_id=task.pk)
        return task


@transaction.atomic
def assign_task(*, user: User, task_id: int, username: str) -> CaseTask:
    """A leader gives a task of their agency to one of its officers (指派)."""
    with locked_task(user, task_id) as task:
        if not may_assign(user, task):
            raise NotPermitted(_("Only a leader of the task's agency may assign it."), code="not_leader")
        if not task.is_open:
            raise TaskAlreadyDone()
        username = check_text(username, field="username", required=True, max_length=150)
        assignee = User.objects.filter(username=username, is_active=True).select_related("agency").first()
        if assignee is None or not assignee.has_perm(task.owner_permission):
            raise InvalidInput(fields={"username": [_("No officer of this queue has that user name.")]})
        if task.flow_task.excluded_user_id(task) == assignee.pk:
            raise InvalidInput(fields={"username": [_("The officer who submitted the rectification may not review it.")]})
        activation = task.flow_task.activation_class(task)
        task.assigned = timezone.now()
        if task.owner_id is None:
            activation.assign(assignee)
        else:
            activation.reassign(assignee)
        task.case.record(actor=user, action="assign", step=task.step, task_id=task.pk, note=assignee.username)
        notify(
            recipients=[assignee], level=0, case_id=task.case_id, link=f"/tasks/{task.pk}/",
            subject=_("Assigned to you: %(number)s %(step)s") % {
                "number": task.case.number, "step": step_title(task.case.kind, task.step)},
        )
        return task


def validate_action(task: CaseTask, action: str, data: dict, user: User | None = None):
    """The step's action and its validated form, or ``InvalidInput``."""
    actions = task.flow_task.actions
    if action not in actions:
        raise InvalidInput(
            fields={"action": [_("Unknown action for this step; expected one of: %s") % ", ".join(actions)]}
        )
    form = actions[action].form(data, case=task.case, user=user)
    if not form.is_valid():
        raise InvalidInput(fields=form.errors)
    return actions[action], form


@transaction.atomic
def complete_task(*, user: User, task_id: int, action: str, data: dict) -> Completion:
    """Complete a task with one of its step's actions (claiming it first if it
    is in the user's queue); the flow then creates the next tasks. A case the
    action ends (closed, dismissed) leaves no task open in its other processes."""
    with locked_task(user, task_id) as task:
        check_may_work(user, task)
        step_action, form = validate_action(task, action, data, user)

        case = task.case
        process = task.process.coerced

        activation = task.flow_task.activation_class(task)
        activation.process = process
        if task.owner_id is None:
            activation.take(user)
        activation.start(None)

        history = {
            "actor": user, "action": action, "note": form.history_note(),
            "step": task.step, "task_id": task.pk, "data": form.json_data(),
        }
        facts = step_action.apply(case, history, form.cleaned_data) or {}
        process.case = case
        process.outcome = action  # for the gateways that follow, in this step
        task.data = {**task.data, "action": action}
        task.next_escalation_at = None
        with collect_created_tasks() as next_tasks:
            activation.execute()
        # The documents' numbers last: drawing one locks the agency's sequence row until the commit,
        # and every other step of the agency issuing that type waits for it (docs/performance.md).
        for issues in step_action.documents:
            if issues.applies(form.cleaned_data):
                documents.issue(type=issues.type, case=case, actor=user, data=history["data"], step=task.step,
                                action=action, task_id=task.pk, extra=facts)
        if not case.is_open:
            _end_other_processes(case, own_process_id=process.pk)
        _refresh_due(case)
        case.save()
        return Completion(task=task, case=case, next_tasks=next_tasks)


def _end_other_processes(case: Case, *, own_process_id: int) -> None:
    """A closed or dismissed case leaves no task open in another of its
    processes (a supervision, 督办): those are cancelled, with a history row."""
    others = CaseTask.objects.filter(case_id=case.pk, status__in=OPEN_STATUSES).exclude(process_id=own_process_id)
    process_ids = set(others.values_list("process_id", flat=True))
    if not process_ids:
        return
    now = timezone.now()
    others.update(status=STATUS.CANCELED, finished=now, next_escalation_at=None)
    Process.objects.filter(pk__in=process_ids).update(status=PROCESS.CANCELED, finished=now)
    case.record(actor=None, action="supervision_ended")


# --- the task's clock ---------------------------------------------------------
@transaction.atomic
def pause_clock(*, user: User, task_id: int, reason: str) -> CaseTask:
    """Stop a task's clock (waiting for a laboratory, the enterprise, another
    agency): no rung fires while it is paused, and resuming moves the due time."""
    reason = check_text(reason if isinstance(reason, str) else "", field="reason", max_length=300)
    with locked_task(user, task_id) as task:
        check_may_work(user, task)
        if not reason:
            raise InvalidInput(fields={"reason": [_("Give the reason for pausing the clock.")]})
        if task.paused_at is not None:
            raise Conflict(_("The clock is already paused."), code="already_paused")
        task.paused_at = timezone.now()
        task.pause_reason = reason[:300]
        task.next_escalation_at = None
        CaseTask.objects.filter(pk=task.pk).update(
            paused_at=task.paused_at, pause_reason=task.pause_reason, next_escalation_at=None
        )
        case = task.case
        _refresh_due(case)
        case.save(update_fields=["due_at"])
        case.record(actor=user, action="pause", step=task.step, task_id=task.pk, note=task.pause_reason)
        return task


@transaction.atomic
def resume_clock(*, user: User, task_id: int) -> CaseTask:
    """Restart a paused clock; the ladder moves by the time it was paused."""
    with locked_task(user, task_id) as task:
        check_may_work(user, task)
        if task.paused_at is None:
            raise Conflict(_("The clock is not paused."), code="not_paused")
        paused_for = timezone.now() - task.paused_at
        task.remind_at, task.due_at, task.supervise_at = (
            time + paused_for if time else None for time in task.ladder()
        )
        task.paused_at, task.pause_reason = None, ""
        task.next_escalation_at = task.next_rung_time()
        CaseTask.objects.filter(pk=task.pk).update(
            remind_at=task.remind_at, due_at=task.due_at, supervise_at=task.supervise_at, paused_at=None,
            pause_reason="", next_escalation_at=task.next_escalation_at,
        )
        case = task.case
        _refresh_due(case)
        case.save(update_fields=["due_at"])
        days = paused_for.total_seconds() / 86400
        note = _("Paused for %(days).1f days; now due %(due)s") % {
            "days": days, "due": timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M") if task.due_at else "—"
        }
        case.record(actor=user, action="resume", step=task.step, task_id=task.pk, note=note)
        return task


def _refresh_due(case: Case) -> None:
    """Keep ``Case.due_at``: the earliest due time of its open tasks whose clock runs."""
    case.due_at = earliest_due(case.pk)
