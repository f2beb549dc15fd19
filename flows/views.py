"""Pages: inbox / queue / archive, registering a case, the case file and the
task page. Every write calls ``flows.services``; domain errors become form
errors or messages here."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms import CaseRegistrationForm
from cases.selectors import case_file, get_visible_case
from enforcement.exceptions import DomainError, InvalidInput, NotFound
from enforcement.models import User

from . import services
from .diagram import process_diagram
from .filters import TaskFilterForm
from .models import CaseTask
from .registry import FLOWS
from .selectors import BOXES, open_tasks_of_case, tasks_in_box
from .steps import actions_for

QUEUE_PREVIEW = 20  # queue rows shown under the user's own tasks on the landing page


@require_http_methods(["GET"])
@login_required
def inbox(request):
    """我的待办: the user's own tasks first, then the agency's queue (or one
    box alone: queue, archive), with search and filters."""
    box = request.GET.get("box", "inbox")
    if box not in BOXES:
        box = "inbox"
    filters = TaskFilterForm(request.GET or None)
    page = Paginator(filters.filter(tasks_in_box(request.user, box)), 50).get_page(request.GET.get("page"))
    queue = None
    if box == "inbox":
        queue = Paginator(filters.filter(tasks_in_box(request.user, "queue")), QUEUE_PREVIEW).get_page(1)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("box", None)
    return render(request, "flows/inbox.html", {
        "box": box, "page": page, "queue": queue, "filters": filters, "query": query.urlencode(),
        "now_ts": timezone.now(),
    })


@require_http_methods(["GET", "POST"])
@login_required
def case_new(request):
    form = CaseRegistrationForm(request.POST or None, kinds=FLOWS.keys())
    if request.method == "POST":
        try:
            case = services.open_case(actor=request.user, data=request.POST)
        except InvalidInput:
            form.is_valid()  # the same form the service ran: show its errors beside the fields
        else:
            messages.success(request, case.number)
            return redirect("flows:case", case_id=case.pk)
    return render(request, "flows/case_new.html", {"form": form})


@require_http_methods(["GET"])
@login_required
def case_detail(request, case_id):
    case = _visible_case_or_404(request.user, case_id)
    tasks = list(open_tasks_of_case(case.pk))
    return render(
        request,
        "flows/case_detail.html",
        {"case": case, "tasks": tasks, "now_ts": timezone.now(), "diagram": process_diagram(case), **case_file(case)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def task_page(request, task_id):
    task = _visible_task_or_404(request.user, task_id)
    actions = actions_for(task.case.kind, task.step)
    forms = {name: action.form(prefix=name, case=task.case) for name, action in actions.items()}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in actions:
            forms[action] = actions[action].form(request.POST, prefix=action, case=task.case)
            data = {name: _post_value(request.POST, forms[action].add_prefix(name), field)
                    for name, field in forms[action].fields.items()}
            try:
                done = services.complete_task(user=request.user, task_id=task.pk, action=action, data=data)
            except InvalidInput:
                forms[action].is_valid()
            except DomainError as error:
                messages.error(request, error.message)
                return redirect("flows:task", task_id=task.pk)
            else:
                messages.success(request, f"{done.case.number}: {actions[action].label}")
                mine = [t for t in done.next_tasks if request.user.has_perm(t.owner_permission)]
                if mine:
                    return redirect("flows:task", task_id=mine[0].pk)
                return redirect("flows:inbox")
        else:
            messages.error(request, InvalidInput.default_message)
    assignees = []
    if request.user.is_leader and task.agency_id == request.user.agency_id:
        assignees = User.objects.filter(agency_id=task.agency_id, is_active=True).order_by("username")
    return render(
        request,
        "flows/task.html",
        {
            "task": task,
            "case": task.case,
            "now_ts": timezone.now(),
            **case_file(task.case),
            "actions": [(actions[name], forms[name]) for name in actions],
            "may_work": _may_work(request.user, task),
            "assignees": assignees,
        },
    )


@require_POST
@login_required
def task_claim(request, task_id):
    return _task_operation(request, task_id, services.claim_task)


@require_POST
@login_required
def task_unclaim(request, task_id):
    return _task_operation(request, task_id, services.unclaim_task)


@require_POST
@login_required
def task_assign(request, task_id):
    return _task_operation(request, task_id, services.assign_task, username=request.POST.get("username", ""))


@require_POST
@login_required
def task_pause(request, task_id):
    return _task_operation(request, task_id, services.pause_clock, reason=request.POST.get("reason", ""))


@require_POST
@login_required
def task_resume(request, task_id):
    return _task_operation(request, task_id, services.resume_clock)


# --- helpers ---------------------------------------------------------------
def _post_value(post, key, field):
    return post.getlist(key) if getattr(field.widget, "allow_multiple_selected", False) else post.get(key, "")


def _task_operation(request, task_id, operation, **kwargs):
    try:
        operation(user=request.user, task_id=task_id, **kwargs)
    except NotFound:
        raise Http404
    except DomainError as error:
        messages.error(request, error.text())
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("flows:task", args=[task_id])
    return redirect(target)


def _visible_case_or_404(user, case_id):
    try:
        return get_visible_case(user, case_id)
    except NotFound:
        raise Http404


def _visible_task_or_404(user, task_id) -> CaseTask:
    task = CaseTask.objects.filter(pk=task_id, flow_task_type="HUMAN").select_related("agency", "owner").first()
    if task is None:
        raise Http404
    task.case = _visible_case_or_404(user, task.case_id)
    return task


def _may_work(user, task) -> bool:
    return task.status in services.OPEN and user.has_perm(task.owner_permission) and task.owner_id in (None, user.pk)
