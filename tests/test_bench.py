"""The benchmark command works end to end on a small database (its timings
are not checked here: speed is measured by ``manage.py bench``, never by a test);
its register import imports and updates; its summary reads each target of the
issue from a report; pgbench's report is read."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from bench import pgbench, targets
from bench.register_import import import_twice
from cases.models import Enterprise
from register.models import Licence, Product

from .factories import officer

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"cases", "seed_s", "completions_per_s", "inbox_p50_ms", "inbox_p95_ms", "queue_p95_ms", "inbox_sql_p95_ms",
        "case_list_p95_ms", "escalation_scan_s", "stats_s", "workbook_s", "growth", "enterprises",
        "enterprise_page_p95_ms", "enterprise_page_same_size_p95_ms", "enterprise_list_p95_ms"}
PAGES = ("inbox", "queue", "task", "case")  # the HTML pages, through the test client


def test_bench_smoke(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "--cases", "2000", "--workers", "2", "--seconds", "1", "--repeat", "3",
         "--import-rows", "50", "--pgbench", "1", "--pgbench-scale", "1", "--json", str(out)],
        cwd=ROOT, env={**os.environ}, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads(out.read_text())
    assert KEYS <= set(report)
    for page in PAGES:
        assert report[f"page_{page}_p50_ms"] > 0 and report[f"page_{page}_p95_ms"] > 0, page
        assert f"page_{page}_p95_ms" in report["growth"] and f"page_{page}_p95_ms" in result.stdout
    assert set(report["detail"]["pages"]) == {"officer", "leader", "supervisor", "empty_queue"}
    assert set(report["detail"]["pages"]["officer"]) == set(PAGES)
    assert set(report["detail"]["pages"]["empty_queue"]) >= {"inbox", "queue"}
    assert report["cases"] == 2000 and report["completions_per_s"] > 0
    assert report["detail"]["completions"]["completions"] > 0
    assert set(report["completions_by_workers"]) == {"1", "2", "4"}  # the default scaling, 2 being --workers
    assert all(per_s > 0 for per_s in report["completions_by_workers"].values())
    assert set(report["growth"]) >= {"inbox_p95_ms", "queue_p95_ms", "completions_per_s"}
    for persona in ("officer", "leader", "supervisor", "empty_queue"):
        assert report["detail"]["task_lists"][persona]["queue"]["p95_ms"] > 0
    assert report["enterprises"] == 100 and report["enterprise_page_p95_ms"] > 0
    assert set(report["detail"]["register"]) == {"officer", "street"}
    for key in ("queue_p50_ms", "enterprise_page_p50_ms", "enterprise_page_same_size_p95_ms", "enterprise_list_p50_ms",
                "document_issue_cost_p50_ms",
                "document_render_p50_ms", "document_render_p95_ms", "import_s"):
        assert key in report and key in report["small"] and key in report["growth"], key
    imported = report["detail"]["register_import"]
    assert (imported["first"]["created"], imported["again"]["updated"]) == (50, 50)
    assert report["import_s"] > 0 and report["import_rows_per_s"] > 0 and report["reimport_s"] > 0
    assert "import_s" in report["growth"] and report["small"]["detail"]["register_import"]["first"]["created"] == 50
    assert [row["target"] for row in report["summary"]["targets"]] == [target.name for target in targets.TARGETS]
    assert "targets at 2000 cases:" in result.stdout
    if connection.vendor == "postgresql":
        assert report["pgbench"]["tps"] > 0 and report["pgbench"]["select_only_tps"] > 0, report["pgbench"]
        assert "pgbench" not in " ".join(_databases())  # dropped after its run
    else:
        assert report["pgbench"] == {"skipped": "not on PostgreSQL"} and "pgbench: skipped" in result.stdout


def _databases() -> list[str]:
    """The server's databases, read on its maintenance database (the smoke test has no database of its own)."""
    import psycopg2

    db = settings.DATABASES["default"]
    server = psycopg2.connect(dbname="postgres", user=db["USER"], password=db.get("PASSWORD") or None,
                              host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432)
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database")
            return [row[0] for row in cursor.fetchall()]
    finally:
        server.close()


@pytest.mark.parametrize("scaling", ["1,x", "0,2", "1,64"])
def test_bench_refuses_a_bad_worker_count(scaling):
    with pytest.raises(CommandError, match="--scaling"):
        call_command("bench", "--cases", "200", "--scaling", scaling)


@pytest.mark.parametrize("option, value", [("--import-rows", "-1"), ("--pgbench", "-1"), ("--pgbench-scale", "0")])
def test_bench_refuses_a_negative_import_or_pgbench(option, value):
    with pytest.raises(CommandError, match=option):
        call_command("bench", "--cases", "200", option, value)


@pytest.mark.django_db
def test_the_bench_import_creates_the_enterprises_then_updates_them():
    keeper = officer("emergency", username="bench_keeper")
    figures = import_twice(keeper, count=30, first=0)
    assert (figures["first"]["created"], figures["first"]["updated"]) == (30, 0)
    assert (figures["again"]["created"], figures["again"]["updated"]) == (0, 30)
    assert figures["first"]["rows"] == 120 and figures["first"]["rejected"] == 0  # 30 enterprises, 60 products, 30 licences
    assert {"read_s", "check_s", "write_s", "cpu_s"} <= set(figures["again"])
    assert Enterprise.objects.count() == 30 and Product.objects.count() == 60 and Licence.objects.count() == 30


def report_with(**figures) -> dict:
    lists = {persona: {"inbox": {"p95_ms": 8.0}, "inbox_sql": {"p95_ms": 2.0}, "queue": {"p95_ms": 9.0},
                       "queue_sql": {"p95_ms": 4.0}} for persona in ("officer", "leader")}
    lists["leader"]["queue"]["p95_ms"] = 14.0
    report = {"cases": 1_000_000, "completions_by_workers": {"1": 60, "2": 110, "4": 90},
              "detail": {"task_lists": lists}, "page_inbox_p95_ms": 40, "page_task_p95_ms": 55,
              "growth": {"inbox_p95_ms": 1.2, "queue_p95_ms": 1.6}}
    return {**report, **figures}


def test_the_summary_reads_each_target_at_the_largest_size():
    rows = {row["target"]: row for row in targets.summary(report_with())["targets"]}
    assert (rows["completions_per_s"]["value"], rows["completions_per_s"]["where"]) == (110, "2 workers")
    assert rows["completions_per_s"]["met"] is False
    assert (rows["inbox_p95_ms"]["value"], rows["inbox_p95_ms"]["met"]) == (8.0, True)
    assert (rows["queue_p95_ms"]["value"], rows["queue_p95_ms"]["where"], rows["queue_p95_ms"]["met"]) == (
        14.0, "leader", False)  # every persona: the worst one decides
    assert (rows["inbox_view_over_sql"]["value"], rows["inbox_view_over_sql"]["met"]) == (4.0, False)
    assert (rows["queue_view_over_sql"]["value"], rows["queue_view_over_sql"]["met"]) == (3.5, False)
    assert rows["page_inbox_p95_ms"]["met"] is True and rows["page_task_p95_ms"]["met"] is False
    assert rows["growth_inbox_p95_ms"]["met"] is True and rows["growth_queue_p95_ms"]["met"] is False
    assert rows["page_case_p95_ms"]["met"] is None and rows["growth_page_case_p95_ms"]["met"] is None  # not measured


def test_the_summary_counts_and_prints_what_is_met():
    summary = targets.summary(report_with(completions_by_workers={"1": 300}))
    assert summary["targets"][0]["met"] is None  # neither 2 nor 4 workers ran
    assert summary["met"] + summary["missed"] + summary["not_measured"] == len(targets.TARGETS)
    text = "\n".join(targets.lines(summary))
    assert text.startswith("targets at 1000000 cases:") and "MISSED" in text and "not measured" in text
    assert summary["pgbench_tps"] is None and "pgbench" not in text  # not run
    ran = targets.summary(report_with(pgbench={"tps": 509.2, "select_only_tps": 10614.0}))
    assert (ran["pgbench_tps"], ran["pgbench_select_only_tps"]) == (509.2, 10614.0)
    assert "pgbench 509 tps, select-only 10614 tps" in "\n".join(targets.lines(ran))


PGBENCH_OUTPUT = """pgbench (15.20 (Debian 15.20-0+deb12u1))
transaction type: <builtin: TPC-B (sort of)>
scaling factor: 10
number of clients: 2
number of threads: 2
maximum number of tries: 1
duration: 10 s
number of transactions actually processed: 4471
number of failed transactions: 0 (0.000%)
latency average = 4.473 ms
initial connection time = 5.284 ms
tps = 447.140011 (without initial connection time)
"""


def test_pgbench_report_is_read():
    assert pgbench.parse(PGBENCH_OUTPUT) == {"tps": 447.140011, "latency_avg_ms": 4.473, "transactions": 4471,
                                             "failed": 0}


def test_pgbench_is_skipped_off_postgresql():
    result = pgbench.run(database={"ENGINE": "django.db.backends.sqlite3"}, name="x", seconds=1, scale=1, clients=1,
                         admin_sql=None)
    assert result == {"skipped": "not on PostgreSQL"}
