"""Deadline policy: working days allowed per step (DESIGN.md section 3,
reference/time-limits.md). The rectification step is due on the ordered
deadline instead."""
import datetime as dt

from .calendar import due_after_working_days, end_of_day

DEFAULT_WORKING_DAYS = {
    "verify": 3,
    "consult": 5,
    "order": 3,
    "review": 10,
    "close": 3,
    "accept_handoff": 2,
    "police_review": 3,
    "inspect": 5,
    "decide": 3,
}


def due_for_step(step: str, *, created: dt.datetime, ordered_deadline: dt.date | None = None) -> dt.datetime | None:
    if ordered_deadline is not None:
        return end_of_day(ordered_deadline)
    days = DEFAULT_WORKING_DAYS.get(step)
    if days is None:
        return None
    return due_after_working_days(created, days)
