"""Limits the rules set on times, as data (``TimeLimit``; loaded from
org/data/limits.json by a migration, edited in the admin, held in memory).
A limit a module asks for and the table lacks is a programming error: the
loaded data names every code the code asks for (a test checks it)."""
import datetime as dt
import json
from pathlib import Path

from django.utils.translation import gettext as _

from common.refcache import cached

from .calendar import add_working_days
from .models import TimeLimit

DATA = Path(__file__).resolve().parent / "data" / "limits.json"


def load_limits(limit_model=TimeLimit) -> int:
    """Add the limits missing from the table (never overwriting an administrator's edit)."""
    rows = json.loads(DATA.read_text(encoding="utf-8"))["limits"]
    for row in rows:
        limit_model.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
    return len(rows)


def limit(code: str) -> TimeLimit:
    return cached(TimeLimit._meta.label_lower, lambda: {row.code: row for row in TimeLimit.objects.all()})[code]


def latest_day(code: str, start: dt.date) -> dt.date:
    """The last day the limit ``code`` allows, counted from ``start``."""
    row = limit(code)
    return add_working_days(start, row.days) if row.working_days else start + dt.timedelta(days=row.days)


def basis_note(code: str) -> str:
    """The limit's source, for a refusal that cites it: "依据：…", with "（待核对）"
    while an administrator has not confirmed it against the text."""
    row = limit(code)
    if row.confirmed:
        return _("Basis: %(basis)s") % {"basis": row.basis}
    return _("Basis: %(basis)s (to be confirmed)") % {"basis": row.basis}
