"""Deadlines (时限): the policy per step, the escalation ladder of a task, and
the rule of what is overdue.

Each step of a case kind declares its default time limit in working days
(``flows.engine.HumanStep``); the deadline policy table holds the same figures
per kind, grade and step, editable in the admin, and the most specific row
wins: kind and grade, then kind, then any. A step missing from the table
falls back to its declaration (and ``manage.py check --database default``
reports the missing row). The rectification step is due on the deadline its
order sets instead. The legal basis of each default is in docs/rules.md.
"""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from common.refcache import cached

from .calendar import due_after, end_of_day, working_days_between
from .models import DeadlinePolicy

REMIND_AT_FRACTION = 0.8
DEFAULT_GRACE_WORKING_DAYS = 3


# --- overdue: one rule for cases, tasks, pages, API, scans and statistics ---------
def is_overdue(due_at: dt.datetime | None, *, now: dt.datetime | None = None) -> bool:
    """A running clock is overdue once its due time has passed. Callers ask
    only of what is still open (an open case, an open and unpaused task)."""
    return due_at is not None and due_at < (now or timezone.now())


def overdue_q(*, now: dt.datetime | None = None, field: str = "due_at") -> Q:
    """``is_overdue`` as a query condition on ``field``."""
    return Q(**{f"{field}__lt": now or timezone.now()})


@dataclass(frozen=True)
class TimeLeft:
    """What a list shows beside a due time: whole working days left, or overdue by."""

    overdue: bool
    working_days: int  # left (0: due today) or, when overdue, since the due day


def time_left(due_at: dt.datetime | None, *, now: dt.datetime | None = None) -> TimeLeft | None:
    """剩余/逾期工作日: counted on the working-day calendar from today to the due day."""
    if due_at is None:
        return None
    now = now or timezone.now()
    today, due_day = timezone.localdate(now), timezone.localdate(due_at)
    if is_overdue(due_at, now=now):
        return TimeLeft(True, max(working_days_between(due_day, today), 0))
    return TimeLeft(False, working_days_between(today, due_day))


# --- the policy -------------------------------------------------------------------
def policy_for(step: str, *, kind: str = "", grade: str = "") -> DeadlinePolicy | None:
    """The most specific policy row for the step: kind and grade, then kind, then any."""
    rows = [p for p in policies() if p.step == step and p.kind in (kind, "") and p.grade in (grade, "")]
    ranked = sorted(rows, key=lambda p: (p.kind == kind and kind != "", p.grade == grade and grade != ""), reverse=True)
    return ranked[0] if ranked else None


def policies() -> list[DeadlinePolicy]:
    return cached(DeadlinePolicy._meta.label_lower, lambda: list(DeadlinePolicy.objects.all()))


@dataclass(frozen=True)
class Clock:
    """The escalation ladder of one task: remind at 80% of the time, notify the
    leader at the due time, list for supervision after the grace period."""

    remind_at: dt.datetime | None
    due_at: dt.datetime | None
    supervise_at: dt.datetime | None
    # counted through a year whose holiday notice is not loaded (Monday to Friday): see org.calendar
    provisional: bool = False


NO_CLOCK = Clock(None, None, None)


def clock_for_step(step: str, *, created: dt.datetime, kind: str = "", grade: str = "",
                   default_days: int | None = None, default_grace: int = DEFAULT_GRACE_WORKING_DAYS,
                   ordered_deadline: dt.date | None = None, assume_unknown: frozenset[int] = frozenset()) -> Clock:
    """The ladder of a task of ``step`` created at ``created``: the policy row's
    working days (or the step's declared default), or the ordered deadline.
    ``assume_unknown``: count those years Monday to Friday, as before their
    holiday notice was loaded (flows.recompute)."""
    policy = policy_for(step, kind=kind, grade=grade)
    days = policy.working_days if policy is not None and policy.working_days else default_days
    grace = policy.grace_working_days if policy is not None else default_grace
    provisional = False
    if ordered_deadline is not None:
        due = end_of_day(ordered_deadline)
    elif days:
        counted = due_after(created, days, assume_unknown)
        due, provisional = counted.at, counted.provisional
    else:
        return NO_CLOCK
    remind = created + (due - created) * REMIND_AT_FRACTION if due > created else due
    supervise = due
    if grace:
        counted = due_after(due, grace, assume_unknown)
        supervise, provisional = counted.at, provisional or counted.provisional
    return Clock(remind, due, supervise, provisional)
