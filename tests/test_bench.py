"""The benchmark command works end to end on a small database (its timings
are not checked here: speed is measured by ``manage.py bench``, never by a test)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"cases", "seed_s", "completions_per_s", "inbox_p50_ms", "inbox_p95_ms", "queue_p95_ms", "inbox_sql_p95_ms",
        "case_list_p95_ms", "escalation_scan_s", "stats_s", "workbook_s", "growth", "enterprises",
        "enterprise_page_p95_ms", "enterprise_list_p95_ms"}
PAGES = ("inbox", "queue", "task", "case")  # the HTML pages, through the test client


def test_bench_smoke(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "--cases", "2000", "--workers", "2", "--seconds", "1", "--repeat", "3",
         "--json", str(out)],
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


@pytest.mark.parametrize("scaling", ["1,x", "0,2", "1,64"])
def test_bench_refuses_a_bad_worker_count(scaling):
    with pytest.raises(CommandError, match="--scaling"):
        call_command("bench", "--cases", "200", "--scaling", scaling)
