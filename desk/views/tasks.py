"""Pages of the task resource: the inbox, the queue and the archive, the task
page, and what an officer does with a task. Every write calls
``flows.services``; domain errors become form errors (beside the field, with
what was typed) or messages here."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.selectors import case_file
from common.exceptions import DomainError, InvalidInput, NotFound
from common.paging import CappedCountPaginator
from enforcement.documents import documents_on_file
from enforcement.referrals import referrals_of
from flows import bulk, services
from flows.labels import step_title
from flows.registry import kind_of
from flows.rules import barred_from, check_may_work, may_assign
from flows.selectors import BOXES, TableRows, count_in_box, table_values, tasks_in_box
from flows.workload import workload

from ..filters import TaskFilterForm
from ..models import SavedFilter
from ..saved_filters import saved_filters
from .common import focus_first_error, next_or, task_or_404

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
    if filters.is_bound:
        filters.is_valid()  # a wrong value is ignored, and shown as wrong
    whole = not any(name in request.GET for name in TaskFilterForm.base_fields)

    def paged(in_box, size, number):
        if whole:  # read by SQL compiled once per shape, and counted by itself as count_in_box would be
            return CappedCountPaginator(TableRows(request.user, in_box), size).get_page(number)
        # unfiltered, a box is counted on viewflow_task alone (selectors.count_in_box)
        tasks = table_values(filters.filter(tasks_in_box(request.user, in_box)))
        source = None if filters.active else count_in_box(request.user, in_box)
        return CappedCountPaginator(tasks, size, count_source=source).get_page(number)

    page = paged(box, 50, request.GET.get("page"))
    queue = paged("queue", QUEUE_PREVIEW, 1) if box == "inbox" else None
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("box", None)
    leads = request.user.is_leader and request.user.agency_id is not None
    queue_rows = queue.object_list if queue is not None else (page.object_list if box == "queue" else [])
    return render(request, "desk/inbox.html", {
        "box": box, "page": page, "queue": queue, "filters": filters, "query": query.urlencode(),
        "barred": barred_from(request.user, list(queue_rows)),
        "assignees": workload(request.user.agency_id) if leads and box in ("inbox", "queue") else [],
        "saved": saved_filters(request.user, SavedFilter.Page.TASKS), "page_code": SavedFilter.Page.TASKS,
        "current_query": request.GET.urlencode() if filters.is_bound and (filters.active or request.GET.get("sort"))
        else "",
    })


@require_http_methods(["GET", "POST"])
@login_required
def task_page(request, task_id):
    task = task_or_404(request.user, task_id)
    case = task.case
    actions = task.flow_task.actions
    file = case_file(case)
    # a step that comes back (a referral returned by the police, a rectification that failed review)
    # offers what was answered the last time
    earlier = {row.action: row.data for row in file["history"] if row.step == task.step and row.data}
    forms = {name: action.form(prefix=name, case=case, user=request.user, initial=earlier.get(name))
             for name, action in actions.items()}
    chosen = next(iter(actions), "")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in actions:
            chosen = action
            forms[action] = actions[action].form(request.POST, prefix=action, case=case, user=request.user)
            data = {name: _post_value(request.POST, forms[action].add_prefix(name), field)
                    for name, field in forms[action].fields.items()}
            try:
                done = services.complete_task(user=request.user, task_id=task.pk, action=action, data=data)
            except InvalidInput:
                focus_first_error(forms[action])
            except DomainError as error:
                # refused as a whole (another officer's, done meanwhile, four eyes):
                # say why and keep what was typed
                messages.error(request, error.text())
                task = task_or_404(request.user, task_id)
            else:
                messages.success(request, _("%(number)s: %(step)s, %(action)s. Done.") % {
                    "number": done.case.number, "step": task.flow_task.task_title, "action": actions[action].label,
                })
                return _after_completion(request, done)
        else:
            messages.error(request, InvalidInput.default_message)
    refusal = _refusal(request.user, task)
    assignees = workload(task.agency_id) if may_assign(request.user, task) else []
    kind = kind_of(case.kind)
    return render(request, "desk/task.html", {
        "task": task, "case": case, "kind": kind, "facts": kind.facts(case), "order": kind.order(case),
        "referrals": referrals_of(case), "documents": documents_on_file(case), **file,
        "actions": [(actions[name], forms[name]) for name in actions], "chosen": chosen,
        "may_work": refusal is None, "refusal": refusal, "assignees": assignees,
    })


@require_POST
@login_required
def tasks_bulk(request):
    """The queue's buttons: claim one task (and open it), claim the ticked
    tasks, or (a leader) assign the ticked tasks to one officer."""
    if request.POST.get("claim"):
        return _task_operation(request, request.POST["claim"], services.claim_task)
    chosen = request.POST.getlist("tasks")
    try:
        if request.POST.get("bulk") == "assign":
            result = bulk.assign_tasks(user=request.user, task_ids=chosen, username=request.POST.get("username", ""))
            done_text = _("%(n)d task(s) assigned.")
        else:
            result = bulk.claim_tasks(user=request.user, task_ids=chosen)
            done_text = _("%(n)d task(s) claimed: they are in your inbox.")
    except InvalidInput as error:
        messages.error(request, error.text())
    else:
        if result.done:
            messages.success(request, done_text % {"n": len(result.done)})
        for task_id, why in result.refused.items():
            messages.error(request, _("Task %(id)d: %(why)s") % {"id": task_id, "why": why})
    return redirect(reverse("desk:inbox") + "?box=queue")


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
    return HttpResponseRedirect(next_or(request, reverse("desk:task", args=[task_id])))


def _refusal(user, task) -> str | None:
    """Why the user may not work the task now (None: they may), by the
    services' own checks: another queue, done, held by another officer, four eyes."""
    try:
        check_may_work(user, task)
    except DomainError as error:
        return error.text()
    return None


def _after_completion(request, done):
    """The next task of the user's: one the completion just created for
    them, else the most urgent in their inbox, else the inbox."""
    for task in done.next_tasks:
        if _refusal(request.user, task) is None:
            return redirect("desk:task", task_id=task.pk)
    following = tasks_in_box(request.user, "inbox").first()  # the most urgent
    if following is not None:
        messages.info(request, _("Your next task: %(number)s, %(step)s.") % {
            "number": following.case.number, "step": step_title(following.case.kind, following.step),
        })
        return redirect("desk:task", task_id=following.pk)
    return redirect("desk:inbox")
