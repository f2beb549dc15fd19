"""The official working-day calendar (工作日), with public holidays skipped and
make-up working days (调休) counted, from the maintained `chinese-calendar`
package. Years the package does not know yet fall back to Monday-Friday.
"""
import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def is_working_day(day: dt.date, corrections: dict[dt.date, bool] | None = None) -> bool:
    if corrections and day in corrections:
        return corrections[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def corrections() -> dict[dt.date, bool]:
    """The administrator's corrections (CalendarDay), day -> working, held in memory (refcache)."""
    from common.refcache import cached

    from .models import CalendarDay

    return cached(CalendarDay._meta.label_lower,
                  lambda: dict(CalendarDay.objects.values_list("date", "is_working_day")))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    corrected = corrections()
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, corrected):
            counted += 1
    return day


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 of ``day`` in Asia/Shanghai, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=local_tz())


def due_after_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """A deadline of ``days`` working days from the moment ``start``."""
    return end_of_day(add_working_days(start.astimezone(local_tz()).date(), days))
