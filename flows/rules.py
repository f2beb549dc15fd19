"""Who may act on a task: each rule once, asked by the services before they
act and by the pages before they offer a button (so no button is shown that
would be refused)."""
from django.utils.translation import gettext as _

from common.exceptions import DomainError, NotPermitted, NotYourTask, TaskAlreadyDone, TaskHeldByOther
from org.models import User
from org.roles import is_supervisor, leads

from .models import CaseTask


def check_may_work(user: User, task: CaseTask) -> None:
    """Raise why ``user`` may not work ``task`` now: another queue (403),
    done (409), held by another officer (409), or the four-eyes rule (403)."""
    if not user.has_perm(task.owner_permission):
        raise NotYourTask()
    if not task.is_open:
        raise TaskAlreadyDone()
    if task.owner_id and task.owner_id != user.pk:
        raise TaskHeldByOther()
    if task.flow_task.excluded_user_id(task) == user.pk:
        raise NotPermitted(_("The officer who submitted the rectification may not review it."), code="four_eyes")


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
