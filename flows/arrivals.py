"""Work that finds the officer (新任务提醒).

A task put in a queue (not given to one person) concerns everyone who may take
it: the agency's officers, its leaders, or the safety office's supervisors
(``org.backends.holders_q``). Each chooses how to hear of it
(``User.arrivals``): at once, one notice per task; grouped, one notice per
interval listing what arrived and is still waiting; or not at all. The
agency's group robots get the same grouped notice. A task given to a person
(指派) is told to them at once by the assignment itself.

``task_arrived`` runs inside the transaction that creates the task (a step's
completion, a registration, a listing), so the notice commits with it or not
at all; ``send_digests`` runs every ``ARRIVAL_DIGEST_MINUTES`` from beat.
"""
import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from viewflow.workflow.status import STATUS

from common.prepared import Prepared
from org.backends import holders_q
from org.models import Notification, User
from org.outbox import enqueue_notifications, notify
from org.robots import robot_messages

from .models import TaskArrival

DIGEST_LINES = 20  # a digest names this many tasks, then says how many more

# who asked to hear at once of a queue's new task, compiled once per queue (common.prepared): every
# step that puts a task in a queue reads it
_AT_ONCE = Prepared(lambda permission: User.objects.filter(holders_q(permission), arrivals=User.Arrivals.IMMEDIATE))


def _line(task) -> str:
    due = timezone.localtime(task.due_at).strftime("%Y-%m-%d") if task.due_at else "—"
    return _("%(number)s %(step)s (due %(due)s)") % {
        "number": task.case.number, "step": task.flow_task.task_title, "due": due}


def task_arrived(*, task, case) -> None:
    """Note a new task in a queue; tell at once whoever asked to hear at once."""
    if task.owner_id is not None:
        return
    TaskArrival.objects.create(task=task, created_at=task.created)
    task.case = case
    at_once = _AT_ONCE.objects(shape={"permission": task.owner_permission})
    if at_once:  # most queues: nobody asked to hear at once, and the notice is not even worded
        notify(recipients=at_once, level=0, case_id=case.pk, link=f"/tasks/{task.pk}/",
               subject=_("New in your queue: %(line)s") % {"line": _line(task)})


def _digest_text(tasks: list) -> tuple[str, str]:
    subject = ngettext("%(n)d new task waiting in your queue", "%(n)d new tasks waiting in your queue",
                       len(tasks)) % {"n": len(tasks)}
    lines = [_line(task) for task in tasks[:DIGEST_LINES]]
    if len(tasks) > DIGEST_LINES:
        lines.append(_("… and %(n)d more") % {"n": len(tasks) - DIGEST_LINES})
    return subject, "\n".join(lines)


@transaction.atomic
def send_digests(*, now: dt.datetime | None = None, batch: int = 5000) -> int:
    """One grouped notice per person (and per agency robot) for the tasks that
    arrived since the last digest and still wait in the queue; the number of
    notices written."""
    now = now or timezone.now()
    arrivals = list(TaskArrival.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(digested_at__isnull=True, created_at__lte=now)
                    .select_related("task__case").order_by("created_at", "id")[:batch])
    if not arrivals:
        return 0
    TaskArrival.objects.filter(pk__in=[a.pk for a in arrivals]).update(digested_at=now)
    waiting = [a.task for a in arrivals if a.task.status == STATUS.NEW and a.task.owner_id is None]
    by_permission, by_agency = defaultdict(list), defaultdict(list)
    for task in waiting:
        by_permission[task.owner_permission].append(task)
        by_agency[task.agency_id].append(task)
    per_user: dict[int, tuple[User, list]] = {}
    if by_permission:
        holders = Q(pk__in=[])
        for permission in by_permission:
            holders |= holders_q(permission)
        for user in User.objects.filter(holders, arrivals=User.Arrivals.DIGEST).select_related("agency"):
            tasks = [task for permission, tasks in by_permission.items() if user.has_perm(permission)
                     for task in tasks]
            if tasks:
                per_user[user.pk] = (user, sorted(tasks, key=lambda t: (t.due_at is None, t.due_at, t.pk)))
    rows = []
    for user, tasks in per_user.values():
        subject, body = _digest_text(tasks)
        rows.append(Notification(recipient=user, subject=subject, body=body, link="/?box=queue", level=0))
    enqueue_notifications(rows=rows)
    for agency_id, tasks in by_agency.items():
        subject, body = _digest_text(tasks)
        link = f"\n{settings.SITE_URL}/?box=queue" if settings.SITE_URL else ""
        robot_messages(agency_ids=[agency_id], text=f"{subject}\n{body}{link}")
    return len(rows)
