"""The targets of the performance issue (#18), in one table, and the bench
report's summary of them: each target with the figure it reads at the largest
size, the limit and whether it is met (``None``: not measured in this run)."""
from dataclasses import dataclass
from typing import Callable

BOXES = ("inbox", "queue")
GROWTH_LIMIT = 1.5  # a figure at N cases against the same at N/100
GROWING = ("inbox_p95_ms", "queue_p95_ms", *(f"page_{page}_p95_ms" for page in ("inbox", "queue", "task", "case")),
           "enterprise_page_p95_ms", "enterprise_list_p95_ms", "document_issue_cost_p50_ms", "document_render_p95_ms")


@dataclass(frozen=True)
class Target:
    name: str
    what: str
    limit: float
    at_most: bool  # True: the value may not exceed the limit; False: it may not fall below it
    value: Callable[[dict], tuple]  # the report -> (value, where it was found)


def _best_completions(report):
    scaled = {count: per_s for count, per_s in report.get("completions_by_workers", {}).items() if count in ("2", "4")}
    if not scaled:
        return None, "no run with 2 or 4 workers"
    best = max(scaled, key=scaled.get)
    return scaled[best], f"{best} workers"


def _worst_persona(box, ratio=False):
    """The slowest persona's p95 of ``box`` (or the largest p95 against its SQL's)."""
    def read(report):
        lists = report.get("detail", {}).get("task_lists", {})
        values = {}
        for persona, figures in lists.items():
            view, sql = figures[box]["p95_ms"], figures[f"{box}_sql"]["p95_ms"]
            values[persona] = (round(view / sql, 2) if sql else None) if ratio else view
        values = {persona: value for persona, value in values.items() if value is not None}
        if not values:
            return None, "no persona measured"
        worst = max(values, key=values.get)
        return values[worst], worst

    return read


def _figure(key):
    return lambda report: (report.get(key), "worst persona" if key.startswith("page_") else "")


def _growth(key):
    return lambda report: (report.get("growth", {}).get(key), f"{report.get('cases')} against {report.get('cases', 0) // 100} cases")


TARGETS = [
    Target("completions_per_s", "task completions a second, the best of 2 or 4 workers", 250, False, _best_completions),
    *(Target(f"{box}_p95_ms", f"{box} p95 through the API view, every persona", 10, True, _worst_persona(box))
      for box in BOXES),
    *(Target(f"{box}_view_over_sql", f"{box} p95 against the same page as one SQL query, every persona", 3, True,
             _worst_persona(box, ratio=True)) for box in BOXES),
    *(Target(f"page_{page}_p95_ms", f"HTML {page} page p95 through the test client, every persona", 50, True,
             _figure(f"page_{page}_p95_ms")) for page in ("inbox", "task", "case")),
    *(Target(f"growth_{key}", f"growth of {key} from N/100 to N cases", GROWTH_LIMIT, True, _growth(key))
      for key in GROWING),
]


def summary(report: dict) -> dict:
    """Each target with its value at the report's (largest) size and whether it is met."""
    rows = []
    for target in TARGETS:
        value, where = target.value(report)
        met = None if value is None else (value <= target.limit if target.at_most else value >= target.limit)
        rows.append({"target": target.name, "what": target.what, "value": value, "where": where,
                     "limit": f"{'≤' if target.at_most else '≥'} {target.limit:g}", "met": met})
    raw = report.get("pgbench") or {}
    return {"cases": report.get("cases"), "targets": rows,
            "met": sum(row["met"] is True for row in rows), "missed": sum(row["met"] is False for row in rows),
            "not_measured": sum(row["met"] is None for row in rows),
            # the machine's raw rate in the same run, to read the figures against (no target)
            "pgbench_tps": raw.get("tps"), "pgbench_select_only_tps": raw.get("select_only_tps")}


def lines(summary_: dict) -> list[str]:
    """The summary as lines of text for the command's output."""
    mark = {True: "met", False: "MISSED", None: "not measured"}
    found = [f"targets at {summary_['cases']} cases: {summary_['met']} met, {summary_['missed']} missed, "
             f"{summary_['not_measured']} not measured"]
    for row in summary_["targets"]:
        where = f" ({row['where']})" if row["where"] else ""
        found.append(f"  {row['target']:<36} {row['value']!s:>10} {row['limit']:<7} {mark[row['met']]}{where}")
    if summary_.get("pgbench_tps") is not None:
        found.append(f"  the machine in the same run: pgbench {summary_['pgbench_tps']:.0f} tps, "
                     f"select-only {summary_['pgbench_select_only_tps']:.0f} tps")
    return found
