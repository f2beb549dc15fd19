"""The official working-day calendar (工作日): public holidays skipped and
make-up working days (调休) counted.

A year is *known* when its official holiday notice is loaded: either the
maintained ``chinese-calendar`` package has it, or an administrator entered
the notice in the admin (``CalendarYear``, with the year's holidays and
make-up days as ``CalendarDay`` rows). The administrator's days always win
over the package's.

A deadline that runs through a year that is not known is still computed,
Monday to Friday, so that no task is left without a due time; but it is
*provisional*: the clock says so (``Clock.provisional``, ``CaseTask.
due_provisional``, shown on the pages and in the API), a warning is logged,
and ``manage.py recompute_due_times`` computes it again once the notice is
loaded. A system check, ``/readyz`` and the admin say which year is missing
(``calendar_problems``). See docs/calendar.md.
"""
import datetime as dt
import functools
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar.constants import holidays as _package_holidays
from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# How long before the new year a missing notice for it becomes a warning (and /readyz fails).
NEXT_YEAR_WARNING_DAYS = 30


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- which years are known ----------------------------------------------------------
@functools.cache
def package_years() -> range:
    """The years the installed chinese-calendar package has official data for
    (fixed for the process: the package's data change only with its version)."""
    years = [day.year for day in _package_holidays]
    return range(min(years), max(years) + 1)


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinese-calendar")
    except PackageNotFoundError:  # pragma: no cover - installed from requirements.txt
        return "?"


def entered_years() -> frozenset[int]:
    """Years whose notice an administrator entered and marked as complete (refcache)."""
    from common.refcache import cached

    from .models import CalendarYear

    return cached(CalendarYear._meta.label_lower,
                  lambda: frozenset(CalendarYear.objects.filter(known=True).values_list("year", flat=True)))


def is_year_known(year: int) -> bool:
    return year in package_years() or year in entered_years()


def unknown_years(first: dt.date, last: dt.date) -> list[int]:
    """The years from ``first`` to ``last`` whose notice is not loaded."""
    return [year for year in range(first.year, last.year + 1) if not is_year_known(year)]


# --- working days ---------------------------------------------------------------------
def is_working_day(day: dt.date, corrections: dict[dt.date, bool] | None = None,
                   assume_unknown: frozenset[int] = frozenset()) -> bool:
    """Whether ``day`` is a working day: the administrator's days, then the
    package's, then Monday to Friday. ``assume_unknown`` treats those years as
    if no notice were loaded (to recompute what was computed before it was)."""
    if day.year in assume_unknown:
        return day.weekday() < 5
    if corrections and day in corrections:
        return corrections[day]
    package = _package_workday(day)
    return day.weekday() < 5 if package is None else package


@functools.lru_cache(maxsize=4096)
def _package_workday(day: dt.date) -> bool | None:
    """The package's answer for ``day`` (None: a year it has no data for),
    remembered: its data are fixed for the process, and every new task counts
    its deadline day by day through them."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def corrections() -> dict[dt.date, bool]:
    """The administrator's corrections (CalendarDay), day -> working, held in memory (refcache)."""
    from common.refcache import cached

    from .models import CalendarDay

    return cached(CalendarDay._meta.label_lower,
                  lambda: dict(CalendarDay.objects.values_list("date", "is_working_day")))


def add_working_days(start: dt.date, days: int, assume_unknown: frozenset[int] = frozenset()) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    corrected = corrections()
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, corrected, assume_unknown):
            counted += 1
    return day


def working_days_between(first: dt.date, last: dt.date) -> int:
    """The working days after ``first`` up to and including ``last`` (0 when
    ``last`` is not after ``first``)."""
    corrected, day, counted = corrections(), first, 0
    while day < last:
        day += dt.timedelta(days=1)
        counted += is_working_day(day, corrected)
    return counted


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 of ``day`` in Asia/Shanghai, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=local_tz())


@dataclass(frozen=True)
class Due:
    at: dt.datetime
    provisional: bool  # counted through a year whose notice is not loaded (Monday to Friday)


def due_after(start: dt.datetime, days: int, assume_unknown: frozenset[int] = frozenset()) -> Due:
    """A deadline of ``days`` working days from the moment ``start``, and whether it is provisional."""
    first = start.astimezone(local_tz()).date()
    last = add_working_days(first, days, assume_unknown)
    missing = unknown_years(first, last)
    if missing:
        logger.warning("working-day calendar: no official notice for %s; a deadline from %s counted Monday to "
                       "Friday is provisional (enter the notice, then run recompute_due_times)",
                       ", ".join(map(str, missing)), first.isoformat())
    return Due(end_of_day(last), bool(missing))


def due_after_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """A deadline of ``days`` working days from the moment ``start``."""
    return due_after(start, days).at


# --- what operators are told ---------------------------------------------------------
@dataclass(frozen=True)
class CalendarProblem:
    year: int
    error: bool  # the current year (an error) or the next one, close to the new year (a warning)
    message: str


def calendar_problems(today: dt.date | None = None) -> list[CalendarProblem]:
    """The current year when it is not known (an error), and the next year
    when it is not known within ``NEXT_YEAR_WARNING_DAYS`` of the new year (a warning)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    problems = []
    if not is_year_known(today.year):
        problems.append(CalendarProblem(today.year, True, _(
            "The working-day calendar has no official holiday notice for %(year)d: deadlines are counted Monday to "
            "Friday and marked provisional. Enter the notice in the admin (calendar years).") % {"year": today.year}))
    new_year = dt.date(today.year + 1, 1, 1)
    if (new_year - today).days <= NEXT_YEAR_WARNING_DAYS and not is_year_known(new_year.year):
        problems.append(CalendarProblem(new_year.year, False, _(
            "The working-day calendar has no official holiday notice for %(year)d, which begins in %(days)d days: "
            "enter it in the admin (calendar years) once it is published.")
            % {"year": new_year.year, "days": (new_year - today).days}))
    return problems
