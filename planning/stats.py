"""Statistics for a month: the figures of the stats API, the dashboard and the
monthly workbook come from ``period_stats`` alone, so they always agree.

Definitions (for the month [start, end), Asia/Shanghai):
- opened: cases registered in the month;
- closed: cases closed (销号) in the month;
- overdue: cases registered before the month's end, still open, whose due time
  has passed by the month's end (or by now, for the current month);
- supervised: such open cases listed for supervision (挂牌督办, level 3);
- closure_rate: the share of the month's opened cases that are closed;
- median_days_to_close: over the cases closed in the month;
- register: the enterprise register as it is today, whatever the month
  (``register.selectors.register_figures``): enterprises by risk colour and
  street, and those with a licence expired or expiring within 30 days.
"""
import datetime as dt
import statistics

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from cases.models import OPEN_STATES, Case, Grade, State, supervised_q
from flows.registry import kinds
from org.deadlines import overdue_q
from org.models import Agency
from register.selectors import register_figures

from .reports import format_period, month_bounds, punctuality

DIMENSIONS = {"kind": "kind", "grade": "grade", "agency": "lead_agency__code", "street": "street__code"}

# The words of a unit's report for the month (``reports.punctuality``), on the
# dashboard and in the workbook.
PUNCTUALITY_LABELS = {
    "on_time": pgettext_lazy("report punctuality", "On time"),
    "late": pgettext_lazy("report punctuality", "Late"),
    "missing": pgettext_lazy("report punctuality", "Not submitted"),
    "pending": pgettext_lazy("report punctuality", "Not yet due"),
}


def dimension_labels() -> dict[str, dict[str, str]]:
    """The words a person reads for each dimension's keys (a kind's name, a
    grade, an agency's or street's name) in the active language; the
    dashboard and the workbook both label their rows with these."""
    agencies = {agency.code: str(agency) for agency in Agency.objects.all()}
    return {
        "kind": {code: str(kind.label) for code, kind in kinds().items()},
        "grade": {**{grade.value: str(grade.label) for grade in Grade},
                  "": str(pgettext_lazy("grade", "Not graded"))},
        "agency": agencies, "street": agencies,
    }


def labelled(rows: list[dict], dimension: str, labels: dict[str, dict[str, str]]) -> list[dict]:
    """``rows`` of a dimension, each with its ``label`` beside its ``key``."""
    words = labels[dimension]
    return [{**row, "label": words.get(row["key"] or "", row["key"] or "—")} for row in rows]


def period_stats(period: dt.date, *, now: dt.datetime | None = None) -> dict:
    start, end = month_bounds(period)
    as_of = min(end, now or timezone.now())
    opened, closed = _opened(start, end), _closed(start, end)
    overdue = Q(state__in=OPEN_STATES, created_at__lt=end) & overdue_q(now=as_of)
    supervised = Q(state__in=OPEN_STATES, created_at__lt=end) & supervised_q()
    relevant = Case.objects.filter(opened | closed | overdue | supervised)
    counts = {
        "opened": Count("id", filter=opened),
        "closed": Count("id", filter=closed),
        "overdue": Count("id", filter=overdue),
        "supervised": Count("id", filter=supervised),
        "opened_closed": Count("id", filter=opened & Q(state=State.CLOSED)),
    }

    # one pass over the cases, grouped by all four dimensions at once; the
    # totals and each dimension are sums of these groups (a scan per dimension
    # cost five scans of the case table)
    groups = list(relevant.order_by().values(*DIMENSIONS.values()).annotate(**counts))
    totals = _sum(groups, counts)
    by = {}
    for name, field in DIMENSIONS.items():
        keyed = {}
        for row in groups:
            keyed.setdefault(row[field] or "", []).append(row)
        by[name] = [_figures({"key": key, **_sum(rows, counts)}) for key, rows in sorted(keyed.items())]
    durations = [
        (closed_at - created_at).total_seconds() / 86400
        for created_at, closed_at in Case.objects.filter(closed).values_list("created_at", "closed_at")
    ]
    return {
        "period": format_period(period),
        "as_of": as_of.isoformat(),
        "totals": _figures(totals),
        "by_kind": by["kind"],
        "by_grade": by["grade"],
        "by_agency": by["agency"],
        "by_street": by["street"],
        "median_days_to_close": round(statistics.median(durations), 1) if durations else None,
        "report_punctuality": report_punctuality(period),
        "register": register_figures(),
    }


def _opened(start, end) -> Q:
    return Q(created_at__gte=start, created_at__lt=end)


def _closed(start, end) -> Q:
    return Q(state=State.CLOSED, closed_at__gte=start, closed_at__lt=end)


def opened_and_closed(periods: list[dt.date]) -> list[tuple[dt.date, int, int]]:
    """(month, opened, closed) for several months in one pass over the cases,
    by the definitions of ``period_stats`` (the dashboard's trend)."""
    counts = {}
    for index, period in enumerate(periods):
        start, end = month_bounds(period)
        counts[f"opened_{index}"] = Count("id", filter=_opened(start, end))
        counts[f"closed_{index}"] = Count("id", filter=_closed(start, end))
    first, last = month_bounds(min(periods))[0], month_bounds(max(periods))[1]
    window = Q(created_at__gte=first, created_at__lt=last) | Q(closed_at__gte=first, closed_at__lt=last)
    row = Case.objects.filter(window).aggregate(**counts)
    return [(period, row[f"opened_{i}"], row[f"closed_{i}"]) for i, period in enumerate(periods)]


def _sum(rows: list[dict], counts: dict) -> dict:
    return {key: sum(row[key] for row in rows) for key in counts}


def _figures(row: dict) -> dict:
    figures = {key: row[key] for key in ("opened", "closed", "overdue", "supervised")}
    figures["closure_rate"] = round(row["opened_closed"] / row["opened"], 4) if row["opened"] else None
    if "key" in row:
        figures = {"key": row["key"], **figures}
    return figures


def report_punctuality(period: dt.date) -> list[dict]:
    """Per reporting unit: the month's report on time, late, missing or not yet due (``reports.punctuality``)."""
    return [{"agency": row["agency"].code, "name": row["agency"].name, "state": row["state"],
             "submitted_at": row["submitted_at"].isoformat() if row["submitted_at"] else None}
            for row in punctuality(period)]
