"""The deadline policy (DESIGN.md section 3, reference/time-limits.md): working
days allowed per step, by kind and grade, editable in the admin. The
rectification step is due on the ordered deadline instead."""
import datetime as dt
from dataclasses import dataclass

from .calendar import due_after_working_days, end_of_day
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


REMIND_AT_FRACTION = 0.8


def clock_for_step(step: str, *, created: dt.datetime, kind: str = "", grade: str = "",
                   ordered_deadline: dt.date | None = None) -> Clock:
    policy = policy_for(step, kind=kind, grade=grade)
    if ordered_deadline is not None:
        due = end_of_day(ordered_deadline)
    elif policy is not None:
        due = due_after_working_days(created, policy.working_days)
    else:
        return Clock(None, None, None)
    remind = created + (due - created) * REMIND_AT_FRACTION if due > created else due
    if grade == "major":
        supervise = due
    else:
        grace = policy.grace_working_days if policy is not None else 3
        supervise = due_after_working_days(due, grace) if grace else due
    return Clock(remind, due, supervise)
