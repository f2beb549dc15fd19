"""A case kind is one module: the kind in tests/plugin_kinds/kinds/, outside
flows/kinds/, is plugged in by name alone (EXTRA_KIND_APPS) and a run of
its scenario shows it registered, worked to closure and named on every page,
in the statistics, the workbook and the API schema: no other file changed,
no migration needed (its deadline policies are written by migrate)."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_new_kind_needs_no_other_file(tmp_path):
    env = {**os.environ, "EXTRA_KIND_APPS": "tests.plugin_kinds",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'plugin.sqlite3'}", "REQUIRE_SERVICES": "0"}
    env.pop("DATABASE_OWNER_URL", None)
    env.pop("DATABASE_SUPERUSER_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "tests/plugin_kinds/check_licence_check.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout
    modules = sorted(p.name for p in (ROOT / "tests/plugin_kinds/kinds").glob("*.py") if p.name != "__init__.py")
    assert modules == ["licence_check.py"]
