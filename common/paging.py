"""Counting long lists cheaply (the lists' {count, next, previous, results}).

An agency's queue in a city-wide deployment holds hundreds of thousands of open
tasks; counting them exactly on every page view costs more than reading the
page itself (about 65 ms for 390,000 rows against 1 ms for the first 50). So a
list is counted exactly up to ``EXACT_UP_TO`` rows, which costs at most that
many index entries; past that the count is read from a cache that holds it for
``CACHE_SECONDS`` and is marked ``count_exact = False``: the first page of a
queue of 390,000 says "about 390,000", at most a minute old. A task box a
process has found long reads that cached count first and skips the capped
count while the cache holds it.
"""
import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property

EXACT_UP_TO = 1000
CACHE_SECONDS = 60


def count_key(sql: str, params) -> str:
    """The cache key of a list's full count: its query's SQL and parameters (unordered)."""
    return "list-count:" + hashlib.sha256(f"{sql}|{tuple(params)!r}".encode()).hexdigest()


class _QuerySetCount:
    """The counts ``capped_count`` takes, of a queryset."""

    def __init__(self, queryset):
        self.queryset = queryset.order_by()

    def count_up_to(self, limit: int) -> int:
        return self.queryset.values("pk")[:limit].count()

    def count(self) -> int:
        return self.queryset.count()

    def count_key(self) -> str:
        return count_key(*self.queryset.query.sql_with_params())


def capped_count(source) -> tuple[int, bool]:
    """(count, exact): exact when the list holds at most ``EXACT_UP_TO`` rows.

    ``source`` is a queryset, maybe a cheaper query over the same rows than
    the page's (``count_source``: the task lists count ``viewflow_task``
    alone, from its partial index, without joining the task's own table), or
    a list that counts itself as a queryset would (``count_up_to``, ``count``,
    ``count_key``: ``flows.selectors.BoxRows``)."""
    if hasattr(source, "query"):
        source, key = _QuerySetCount(source), None  # its key compiles its SQL: made only once it is long
    else:  # a list that counts itself (``BoxRows``): its key is SQL compiled once, cheap to make
        try:
            key = source.count_key()
        except EmptyResultSet:  # a list that can hold nothing has no SQL
            return 0, True
        if (known := _known_long(key)) is not None:
            return known, False
    counted = source.count_up_to(EXACT_UP_TO + 1)
    if counted <= EXACT_UP_TO:
        _long_lists.discard(key)
        return counted, True
    key = key or source.count_key()
    if len(_long_lists) >= LONG_LISTS_KEPT:
        _long_lists.clear()
    _long_lists.add(key)
    total = cached_counts({key: key}, lambda keys: {key: source.count()})[key]
    return max(total, counted), False


# The count keys of the task boxes this process found longer than EXACT_UP_TO: their next page
# reads the cached count first, and counts up to the cap only when the cache has none (an
# officer holding thousands of tasks paid 1,001 index entries a page for a number the cache
# held). Short lists never ask the cache; a queryset's list counts to the cap first, as its key
# would cost a compilation of its SQL on every page.
_long_lists: set[str] = set()
LONG_LISTS_KEPT = 10_000


def _known_long(key: str) -> int | None:
    """The cached count of a box this process found long, while the cache holds one past the cap."""
    if key not in _long_lists:
        return None
    try:
        known = cache.get(key)
    except Exception:  # noqa: BLE001 - the shared cache down: counted as without it
        return None
    return known if known is not None and known > EXACT_UP_TO else None


def cached_counts(keys: dict, count) -> dict:
    """Counts at most ``CACHE_SECONDS`` old: ``keys`` maps each cache key to
    what it counts; ``count(missing)`` counts those the cache lacks (all of
    them when the shared cache, Redis, is down) and they are kept."""
    try:
        found = {keys[key]: value for key, value in cache.get_many(list(keys)).items()}
    except Exception:  # noqa: BLE001 - the shared cache down: count, as without a cache
        found = {}
    missing = [item for item in keys.values() if item not in found]
    if missing:
        counted = count(missing)
        try:
            cache.set_many({key: counted[item] for key, item in keys.items() if item in counted}, CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            pass
        found.update(counted)
    return found


class CappedCountPaginator(Paginator):
    """A paginator whose ``count`` is exact up to ``EXACT_UP_TO`` and cached past it."""

    def __init__(self, object_list, per_page, *, count_source=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_source = count_source

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        source = self.count_source if self.count_source is not None else self.object_list
        if hasattr(source, "query") or hasattr(source, "count_up_to"):
            return capped_count(source)
        return len(source), True

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_exact(self) -> bool:
        return self._counted[1]
