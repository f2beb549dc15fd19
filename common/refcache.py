"""Small reference tables read on every step, held in memory.

A completion reads the deadline policy, the calendar corrections and (for a
hazard) the major-hazard criteria; each is a few dozen rows that change a few
times a year, so reading them on every step cost three of a completion's
statements. Each process keeps them for ``TTL_SECONDS``; a save or delete
through the ORM in this process (the admin) clears them at once, and other
processes see the change within the TTL.
"""
import time
from collections.abc import Callable
from typing import Any

TTL_SECONDS = 30.0
_store: dict[str, tuple[float, Any]] = {}


def cached(name: str, load: Callable[[], Any]) -> Any:
    hit = _store.get(name)
    now = time.monotonic()
    if hit is not None and hit[0] > now:
        return hit[1]
    value = load()
    _store[name] = (now + TTL_SECONDS, value)
    return value


def clear(*names: str) -> None:
    """Forget the named tables (all when none are named)."""
    if not names:
        _store.clear()
    for name in names:
        _store.pop(name, None)


def clear_on_change(sender, **kwargs) -> None:
    """post_save / post_delete receiver: the table of ``sender`` is stale."""
    clear(sender._meta.label_lower)
