"""The scan's fast path: reminders (rung 1) and leader notices (rung 2) for a
batch of tasks in a handful of set-based statements.

Rows are taken with ``FOR UPDATE SKIP LOCKED`` (tasks, then their cases): a
task or case that a completion is working on is left for the next scan, and
the scan never waits, so it cannot deadlock with a completion. The same
guards as the per-task path hold: a unique ``Escalation`` row per task and
rung, a history row per rung in the case's hash chain, notifications in the
outbox, all in one transaction per batch. Rung 3 starts a flow and keeps the
per-task path (``escalation.escalate_task``).
"""
import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from cases.models import Case, CaseHistory
from enforcement.models import Notification, User
from flows.models import CaseTask
from flows.steps import STEP_TITLES

from .models import Escalation

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


@transaction.atomic
def escalate_batch(task_ids: list[int], *, now: dt.datetime) -> tuple[list, list[int]]:
    """Fire rungs 1 and 2 that are due for these tasks. Returns (fired, ids
    left for the per-task path): tasks whose rung 3 is due."""
    locked = list(
        CaseTask.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=task_ids, next_escalation_at__lte=now)
        .values_list("pk", flat=True)
    )
    tasks = list(
        CaseTask.objects.filter(pk__in=locked, status__in=OPEN, paused_at__isnull=True)
        .select_related("agency")
        .only("id", "case_id", "agency", "owner_id", "escalation_level", "remind_at", "due_at", "supervise_at",
              "flow_task", "process_id")
    )
    stale = set(locked) - {t.pk for t in tasks}
    if stale:  # done or paused since: nothing more to fire
        CaseTask.objects.filter(pk__in=stale).update(next_escalation_at=None)
    cases = {
        c.pk: c for c in Case.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in={t.case_id for t in tasks}).only("id", "number", "state", "supervision_level")
    }
    fired, to_supervise, plans = [], [], []
    for task in tasks:
        case = cases.get(task.case_id)
        if case is None:
            continue  # a completion holds the case: the next scan
        levels = [level for level, at in enumerate(task.ladder(), start=1)
                  if level > task.escalation_level and at is not None and at <= now]
        if 3 in levels:
            to_supervise.append(task.pk)
            continue
        if levels:
            plans.append((task, case, levels))
    if not plans:
        return fired, to_supervise

    recipients = _recipients(plans)
    escalations, notes, history, task_updates, case_levels = [], [], [], [], {}
    last_hash = _last_hashes({case.pk for _t, case, _l in plans})
    for task, case, levels in plans:
        for level in levels:
            escalations.append(Escalation(task_id=task.pk, case_id=case.pk, agency_id=task.agency_id, level=level,
                                          fired_at=now, due_at=task.due_at))
            subject, note = rung_text(level, rung_words(task, case))
            notes += [Notification(recipient_id=uid, level=level, subject=subject[:200], link=f"/tasks/{task.pk}/",
                                   case_id=case.pk, next_attempt_at=now) for uid in recipients[(level, task.pk)]]
            row = CaseHistory(case_id=case.pk, at=now, actor=None, agency_id=None, action="escalate", step=task.step,
                              task_id=task.pk, from_state=case.state, to_state=case.state, note=note,
                              data={"level": level, "agency": task.agency.code}, prev_hash=last_hash.get(case.pk, ""))
            row.hash = row.compute_hash()
            last_hash[case.pk] = row.hash
            history.append(row)
            fired.append((case.number, task.step, task.agency.code, level))
        task.escalation_level = max(levels)
        task.next_escalation_at = task.next_rung_time()
        task_updates.append(task)
        if task.escalation_level >= 2:
            case_levels[case.pk] = max(case_levels.get(case.pk, 0), case.supervision_level, task.escalation_level)
    Escalation.objects.bulk_create(escalations)
    CaseHistory.objects.bulk_create(history)
    Notification.objects.bulk_create(notes)
    CaseTask.objects.bulk_update(task_updates, ["escalation_level", "next_escalation_at"])
    for level in set(case_levels.values()):
        Case.objects.filter(pk__in=[pk for pk, lv in case_levels.items() if lv == level]).update(supervision_level=level)
    if notes:
        from enforcement.services import schedule_delivery

        transaction.on_commit(schedule_delivery)
    return fired, to_supervise


def _recipients(plans) -> dict:
    """(level, task) -> user ids: the holder or the agency's officers for a reminder, its leaders for a notice."""
    agencies = {task.agency_id for task, _c, _l in plans}
    officers, leaders = defaultdict(list), defaultdict(list)
    for uid, agency_id, role in User.objects.filter(agency_id__in=agencies, is_active=True).values_list(
        "pk", "agency_id", "role"
    ):
        officers[agency_id].append(uid)
        if role == User.Role.LEADER:
            leaders[agency_id].append(uid)
    result = {}
    for task, _case, levels in plans:
        for level in levels:
            if level == 1:
                result[(level, task.pk)] = [task.owner_id] if task.owner_id else officers[task.agency_id]
            else:
                result[(level, task.pk)] = leaders[task.agency_id]
    return result


def _last_hashes(case_ids: set[int]) -> dict[int, str]:
    """The newest history hash of each case (the head of its chain)."""
    heads = {}
    newest = CaseHistory.objects.filter(case_id__in=case_ids).order_by("case_id", "-id").values_list("case_id", "hash")
    for case_id, digest in newest.iterator():
        heads.setdefault(case_id, digest)
    return heads


def rung_words(task, case) -> dict:
    due = timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M") if task.due_at else "—"
    return {"number": case.number, "step": STEP_TITLES.get(task.step, task.step), "due": due,
            "agency": task.agency.name}


def rung_text(level: int, words: dict) -> tuple[str, str]:
    """The notification subject and the history note of rung 1 or 2."""
    if level == 1:
        return _("Reminder: %(number)s %(step)s is due %(due)s") % words, _("Reminder sent: due %(due)s") % words
    return (_("Overdue: %(number)s %(step)s was due %(due)s") % words,
            _("Overdue: the leaders of %(agency)s notified") % words)
