"""What the desk's pages share: a visible case or task or a 404, a form
shown again with the first wrong field focused, and where to go back to."""
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from cases.selectors import get_visible_case
from common.exceptions import NotFound
from common.inputs import parse_id, text_problem
from flows.models import CaseTask
from flows.selectors import human_task


def case_or_404(user, case_id):
    """The case if the user may see it; 404 otherwise (never 403: nothing leaks)."""
    try:
        return get_visible_case(user, case_id)
    except NotFound:
        raise Http404


def task_or_404(user, task_id) -> CaseTask:
    task_id = parse_id(task_id)
    task = human_task(task_id) if task_id is not None else None
    if task is None:
        raise Http404
    task.case = case_or_404(user, task.case_id)
    return task


def focus_first_error(form) -> None:
    """Validate, and let the browser bring the first wrong field into view
    (``autofocus``: no script, the page may be long on a phone)."""
    if form.is_valid():
        return
    name = next((name for name in form.fields if name in form.errors), next(iter(form.fields), None))
    if name:
        form.fields[name].widget.attrs["autofocus"] = True


def next_or(request, default: str) -> str:
    """The form's ``next`` when it is a path on this site, else ``default``
    (anything else — another host, a view name, control characters — is ignored)."""
    target = request.POST.get("next", "")
    if (target.startswith("/") and text_problem(target) is None
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})):
        return target
    return default
