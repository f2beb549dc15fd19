"""One batch of the scan: every rung due for a set of tasks in a handful of
set-based statements, in one transaction.

Rows are taken with ``FOR UPDATE SKIP LOCKED`` (tasks, then their cases): a
task or case that a completion is working on is left for the next scan, and
the scan never waits, so it cannot deadlock with a completion. The unique
``Escalation`` row per task and rung means a rung never fires twice; each rung
writes its history row in the case's hash chain and its notifications to the
outbox in the same transaction. Rung 3 also starts the supervision flow (督办)
for each case that has none open: one ``supervise`` task per case, however many
of its tasks are late.
"""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.history import Entry, append
from cases.models import Case
from common.bulk import insert_rows
from flows.labels import step_title
from flows.models import OPEN_STATUSES, CaseTask
from org.models import Agency, Notification, User
from org.outbox import enqueue_notifications, supervisors, users_of

from .listing import start_supervisions
from .models import Escalation, SupervisionProcess


@dataclass(slots=True)
class DueTask:
    """A task as the scan reads it: plain columns, no model instance."""

    pk: int
    case_id: int
    agency: Agency
    owner_id: int | None
    escalation_level: int
    remind_at: dt.datetime | None
    due_at: dt.datetime | None
    supervise_at: dt.datetime | None
    step: str

    @property
    def agency_id(self) -> int:
        return self.agency.pk

    def ladder(self) -> list:
        return [self.remind_at, self.due_at, self.supervise_at]


@dataclass(slots=True)
class DueCase:
    pk: int
    number: str
    kind: str
    grade: str
    state: str
    supervision_level: int


@transaction.atomic
def escalate_batch(task_ids: list[int], *, now: dt.datetime) -> list[tuple]:
    """Fire every rung due at ``now`` for these tasks; returns
    (case number, step, agency code, level) for each rung fired."""
    rows = list(
        CaseTask.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=task_ids, next_escalation_at__lte=now)
        .values_list("pk", "status", "paused_at", "case_id", "agency_id", "owner_id", "escalation_level", "remind_at",
                     "due_at", "supervise_at", "flow_task")
    )
    agencies = Agency.objects.in_bulk()
    tasks = [DueTask(pk, case_id, agencies[agency_id], owner_id, level, remind, due, supervise, node.name)
             for pk, status, paused_at, case_id, agency_id, owner_id, level, remind, due, supervise, node in rows
             if status in OPEN_STATUSES and paused_at is None]
    if len(tasks) < len(rows):  # done or paused since: nothing more to fire
        CaseTask.objects.filter(pk__in={row[0] for row in rows} - {t.pk for t in tasks}).update(next_escalation_at=None)
    cases = {
        row[0]: DueCase(*row) for row in Case.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in={t.case_id for t in tasks})
        .values_list("id", "number", "kind", "grade", "state", "supervision_level")
    }
    plans = []
    for task in tasks:
        case = cases.get(task.case_id)
        if case is None:
            continue  # a completion holds the case: the next scan
        levels = [level for level, at in enumerate(task.ladder(), start=1)
                  if level > task.escalation_level and at is not None and at <= now]
        if levels:
            plans.append((task, case, levels))
    if not plans:
        return []
    return _fire(plans, now=now)


ESCALATION_COLUMNS = ("task_id", "case_id", "agency_id", "level", "fired_at", "due_at")


def _fire(plans: list, *, now: dt.datetime) -> list[tuple]:
    recipients = _recipients(plans)
    fired, escalations, history, listed = [], [], [], []
    notices = defaultdict(list)
    by_level, case_levels = defaultdict(list), {}
    for task, case, levels in plans:
        words = rung_words(task, case)
        for level in levels:
            escalations.append((task.pk, case.pk, task.agency_id, level, now, task.due_at))
            subject, note = rung_text(level, words)
            link = f"/cases/{case.pk}/" if level == 3 else f"/tasks/{task.pk}/"
            for uid in recipients[(level, task.pk)]:
                notices[(uid, level)].append((subject, link, case.pk))
            history.append(Entry(case_id=case.pk, at=now, action="escalate", step=task.step, task_id=task.pk,
                                 from_state=case.state, to_state=case.state, note=note,
                                 data={"level": level, "agency": task.agency.code}))
            fired.append((case.number, task.step, task.agency.code, level))
        top = max(levels)
        by_level[top].append(task.pk)
        if top >= 2:
            case_levels[case.pk] = max(case_levels.get(case.pk, 0), case.supervision_level, top)
        if top == 3:
            listed.append((task, case))
    notes = _notifications(notices, now=now)
    insert_rows(Escalation, ESCALATION_COLUMNS, escalations)
    append(history)
    enqueue_notifications(rows=notes)
    for level, ids in by_level.items():
        CaseTask.objects.filter(pk__in=ids).update(escalation_level=level, next_escalation_at=CaseTask.NEXT_RUNG_AFTER[level])
    for level in set(case_levels.values()):
        Case.objects.filter(pk__in=[pk for pk, lv in case_levels.items() if lv == level]).update(supervision_level=level)
    if listed:
        _start_supervisions(listed, now=now)
    return fired


# A recipient with more rungs than this in one batch gets one digest instead
# (an officer of a busy queue is told once that 40 tasks are near their
# deadline, not 40 times); the history and the Escalation rows stay per task.
DIGEST_AFTER = 3
DIGEST_LINES = 50
DIGEST_LINK = {1: "/", 2: "/", 3: "/supervision/"}


def _notifications(notices: dict, *, now: dt.datetime) -> list[Notification]:
    rows = []
    for (uid, level), entries in notices.items():
        if len(entries) <= DIGEST_AFTER:
            rows += [Notification(recipient_id=uid, level=level, subject=subject, link=link, case_id=case_id,
                                  next_attempt_at=now) for subject, link, case_id in entries]
            continue
        lines = [subject for subject, _link, _case in entries[:DIGEST_LINES]]
        if len(entries) > DIGEST_LINES:
            lines.append(_("… and %(count)d more") % {"count": len(entries) - DIGEST_LINES})
        rows.append(Notification(recipient_id=uid, level=level, subject=digest_subject(level, len(entries)),
                                 body="\n".join(lines), link=DIGEST_LINK[level], next_attempt_at=now))
    return rows


def digest_subject(level: int, count: int) -> str:
    words = {"count": count}
    if level == 1:
        return _("Reminder: %(count)d tasks are near their due time") % words
    if level == 2:
        return _("Overdue: %(count)d tasks passed their due time") % words
    return _("Listed for supervision (挂牌督办): %(count)d cases") % words


def _start_supervisions(listed: list, *, now: dt.datetime) -> None:
    """挂牌督办: a ``supervise`` task for the safety office, one per case with no
    supervision open (the first late task of the case names the lagging agency)."""
    open_ = set(SupervisionProcess.objects.filter(case_id__in={case.pk for _t, case in listed}, finished__isnull=True)
                .values_list("case_id", flat=True))
    first = {}
    for task, case in listed:
        if case.pk not in open_:
            first.setdefault(case.pk, (task, case))
    start_supervisions(list(first.values()), now=now)


def _recipients(plans) -> dict:
    """(level, task) -> user ids: the holder or the agency's officers for a
    reminder, its leaders for a notice, the supervisors and its leaders when the
    case is listed for supervision."""
    agencies = {task.agency_id for task, _c, _l in plans}
    officers, leaders = defaultdict(list), defaultdict(list)
    for uid, agency_id, role in users_of(agencies).values_list("pk", "agency_id", "role"):
        officers[agency_id].append(uid)
        if role == User.Role.LEADER:
            leaders[agency_id].append(uid)
    listing = any(3 in levels for _t, _c, levels in plans)
    supervisor_ids = list(supervisors().values_list("pk", flat=True)) if listing else []
    result = {}
    for task, _case, levels in plans:
        for level in levels:
            if level == 1:
                result[(level, task.pk)] = [task.owner_id] if task.owner_id else officers[task.agency_id]
            elif level == 2:
                result[(level, task.pk)] = leaders[task.agency_id]
            else:
                result[(level, task.pk)] = list(dict.fromkeys([*supervisor_ids, *leaders[task.agency_id]]))
    return result


def rung_words(task, case) -> dict:
    due = timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M") if task.due_at else "—"
    return {"number": case.number, "step": step_title(case.kind, task.step), "due": due,
            "agency": task.agency.name}


def rung_text(level: int, words: dict) -> tuple[str, str]:
    """The notification subject and the history note of a rung."""
    if level == 1:
        return _("Reminder: %(number)s %(step)s is due %(due)s") % words, _("Reminder sent: due %(due)s") % words
    if level == 2:
        return (_("Overdue: %(number)s %(step)s was due %(due)s") % words,
                _("Overdue: the leaders of %(agency)s notified") % words)
    return (_("Listed for supervision (挂牌督办): %(number)s, %(agency)s, %(step)s") % words,
            _("Listed for supervision: %(agency)s is late with %(step)s") % words)
