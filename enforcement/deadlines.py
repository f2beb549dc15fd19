"""The deadline policy: working days allowed per step, by kind and grade,
editable in the admin (the legal basis of each default in its ``basis``). The
rectification step is due on the ordered deadline instead."""
import datetime as dt
from dataclasses import dataclass

from .calendar import due_after, end_of_day
from .models import DeadlinePolicy
from .refcache import cached


def policy_for(step: str, *, kind: str = "", grade: str = "") -> DeadlinePolicy | None:
    """The most specific policy for the step: kind and grade, then kind, then any."""
    rows = [p for p in _policies() if p.step == step and p.kind in (kind, "") and p.grade in (grade, "")]
    ranked = sorted(rows, key=lambda p: (p.kind == kind and kind != "", p.grade == grade and grade != ""), reverse=True)
    return ranked[0] if ranked else None


def _policies() -> list[DeadlinePolicy]:
    return cached(DeadlinePolicy._meta.label_lower, lambda: list(DeadlinePolicy.objects.all()))


@dataclass(frozen=True)
class Clock:
    """The escalation ladder of one task: remind at 80% of the time, notify the
    leader at the due time, list for supervision after the grace period (at
    once for a major hazard)."""

    remind_at: dt.datetime | None
    due_at: dt.datetime | None
    supervise_at: dt.datetime | None
    # counted through a year whose holiday notice is not loaded (Monday to Friday): see enforcement.calendar
    provisional: bool = False


REMIND_AT_FRACTION = 0.8


def clock_for_step(step: str, *, created: dt.datetime, kind: str = "", grade: str = "",
                   ordered_deadline: dt.date | None = None, assume_unknown: frozenset[int] = frozenset()) -> Clock:
    """The ladder of a step's task created at ``created``. ``assume_unknown``:
    count those years Monday to Friday, as before their notice was loaded."""
    policy = policy_for(step, kind=kind, grade=grade)
    provisional = False
    if ordered_deadline is not None:
        due = end_of_day(ordered_deadline)
    elif policy is not None:
        counted = due_after(created, policy.working_days, assume_unknown)
        due, provisional = counted.at, counted.provisional
    else:
        return Clock(None, None, None)
    remind = created + (due - created) * REMIND_AT_FRACTION if due > created else due
    if grade == "major":
        supervise = due
    else:
        grace = policy.grace_working_days if policy is not None else 3
        supervise = due
        if grace:
            counted = due_after(due, grace, assume_unknown)
            supervise, provisional = counted.at, provisional or counted.provisional
    return Clock(remind, due, supervise, provisional)
