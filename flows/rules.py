"""Who may act on a task: each rule once, asked by the services before they
act and by the pages before they offer a button (so no button is shown that
would be refused)."""
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from common.exceptions import DomainError, NotPermitted, NotYourTask, TaskAlreadyDone, TaskHeldByOther
from org.backends import SUPERVISOR_PERMISSION
from org.models import User
from org.roles import is_supervisor, leads

from .models import CaseTask


def check_may_work(user: User, task: CaseTask) -> None:
    """Raise why ``user`` may not work ``task`` now, naming who can: another
    queue (403), done (409), held by another officer (409), or the four-eyes
    rule (403)."""
    if not user.has_perm(task.owner_permission):
        raise NotYourTask(_("This task is for %(queue)s.") % {"queue": queue_label(task)})
    if not task.is_open:
        raise TaskAlreadyDone()
    if task.owner_id and task.owner_id != user.pk:
        raise TaskHeldByOther(_("%(name)s has claimed this task; a leader of %(agency)s can return it to the queue.")
                              % {"name": task.owner, "agency": task.agency.name if task.agency else "—"})
    if task.flow_task.excluded_user_id(task) == user.pk:
        raise NotPermitted(_("The officer who submitted the rectification may not review it: another officer of "
                             "%(agency)s reviews it.") % {"agency": task.agency.name if task.agency else "—"},
                           code="four_eyes")


def queue_label(task: CaseTask) -> str:
    """Who works a task's queue, in words: 区应急局的执法人员, 区应急局负责人, 区安委会办公室."""
    permission = task.owner_permission or ""
    if permission == SUPERVISOR_PERMISSION:
        return str(_("the safety office (区安委会办公室)"))
    agency = task.agency.name if task.agency else permission
    if permission.endswith(":leader"):
        return _("the leaders of %(agency)s") % {"agency": agency}
    return _("the officers of %(agency)s") % {"agency": agency}


def barred_from(user: User, rows) -> set[int]:
    """The ids of the tasks of ``rows`` (a page of a queue, read as values: id, process_id and
    flow_task, ``flows.selectors.table_values``) the four-eyes rule bars ``user`` from, in one
    query: the user did the last step the task's ``not_by`` names."""
    guarded = [row for row in rows if row["flow_task"] is not None and row["flow_task"].excluded_step is not None]
    if not guarded:
        return set()
    last = {}
    for process_id, flow_task, owner_id in (
        CaseTask.objects.filter(process_id__in={row["process_id"] for row in guarded}, status=STATUS.DONE,
                                flow_task__in={row["flow_task"].excluded_step for row in guarded})
        .order_by("finished", "id").values_list("process_id", "flow_task", "owner_id")
    ):
        last[(process_id, flow_task)] = owner_id  # the latest wins
    return {row["id"] for row in guarded if last.get((row["process_id"], row["flow_task"].excluded_step)) == user.pk}


def may_work(user: User, task: CaseTask) -> bool:
    try:
        check_may_work(user, task)
    except DomainError:
        return False
    return True


def may_assign(user: User, task: CaseTask) -> bool:
    """指派: a leader of the task's agency (the safety office's supervisors for its tasks)."""
    return leads(user, task.agency_id) or (is_supervisor(user) and task.agency_id == user.agency_id)


def may_unclaim(user: User, task: CaseTask) -> bool:
    """Return a held task to the queue: its holder, or a leader of its agency."""
    return task.owner_id == user.pk or leads(user, task.agency_id)
