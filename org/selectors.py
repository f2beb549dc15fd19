"""Reads of the agencies: a few dozen rows read on every step and page, held
in memory (``common.refcache``; an edit through the ORM clears them)."""
from common.refcache import cached

from .models import Agency


def agencies_by_code() -> dict[str, Agency]:
    return cached(Agency._meta.label_lower, lambda: {agency.code: agency for agency in Agency.objects.all()})


def agency_by_code(code: str) -> Agency:
    """The agency with this code; ``KeyError`` when there is none."""
    return agencies_by_code()[code]


def streets() -> list[Agency]:
    """The twelve sub-district offices, by code."""
    return sorted((a for a in agencies_by_code().values() if a.is_street), key=lambda a: a.code)
