"""Whom a leader may assign a task to: the agency's active officers, each
with the tasks they hold (in their inbox), fewest first.

Counted from the box mirror (``CaseTask.holder``, set while a human task is
claimed or being worked) on its index ``casetask_holder_due_idx``: one index
range per officer, no join of viewflow's table, users and counts in one
statement. Like the task lists (``common.paging``), an officer is counted
exactly up to ``paging.EXACT_UP_TO`` held tasks, which costs at most that many index
entries; past that the figure is read from a cache that keeps it for
``paging.CACHE_SECONDS`` and is marked approximate ("≈" on the page)."""
from typing import NamedTuple

from django.db.models import Count
from django.db.models.expressions import RawSQL

from common import paging
from common.prepared import Prepared
from org.models import User

from .models import CaseTask


class Load(NamedTuple):
    officer: User
    open_tasks: int
    exact: bool  # False: past paging.EXACT_UP_TO, from the cache


def _held_up_to(limit: int) -> RawSQL:
    """The officer's held tasks, counted up to ``limit`` (the index range stops there)."""
    tasks, users = CaseTask._meta.db_table, User._meta.db_table
    return RawSQL(f'SELECT COUNT(*) FROM (SELECT 1 FROM "{tasks}" held WHERE held."holder_id" = "{users}"."id" '
                  f"LIMIT %s) firsts", (limit,))


def workload(agency_id: int | None) -> list[Load]:
    """The agency's active officers with the tasks they hold, fewest first (then by username)."""
    if agency_id is None:
        return []
    officers = _OFFICERS.objects(shape={"up_to": paging.EXACT_UP_TO + 1}, agency_id=agency_id)
    beyond = _counted_beyond([officer.pk for officer in officers if officer.held > paging.EXACT_UP_TO])
    loads = [Load(officer, beyond.get(officer.pk, officer.held), officer.pk not in beyond) for officer in officers]
    return sorted(loads, key=lambda load: load.open_tasks)


# every leader's inbox, queue and task page reads it: compiled once (common.prepared)
_OFFICERS = Prepared(lambda up_to, agency_id: User.objects.filter(agency_id=agency_id, is_active=True)
                     .annotate(held=_held_up_to(up_to)).order_by("username"))


def _counted_beyond(officer_ids: list[int]) -> dict[int, int]:
    """Exact counts of the officers holding more than ``paging.EXACT_UP_TO`` tasks, at most a minute old."""
    if not officer_ids:
        return {}

    def count(missing: list[int]) -> dict[int, int]:
        counted = dict(CaseTask.objects.filter(holder__in=missing).order_by().values_list("holder")
                       .annotate(n=Count("pk")).values_list("holder", "n"))
        return {officer_id: max(counted.get(officer_id, 0), paging.EXACT_UP_TO + 1) for officer_id in missing}

    return paging.cached_counts({f"held-count:{officer_id}": officer_id for officer_id in officer_ids}, count)
