"""The backup of docs/operations.md, drilled: a pg_dump in custom format of the
database, restored into a new database, is found whole by verify_history
against the checkpoints; an older dump restored against newer checkpoints is not."""
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from .conftest import requires_postgres
from .factories import make_uscc
from .scenarios import complete, register
from .tampering import superuser_params

ROOT = Path(__file__).resolve().parent.parent


def pg_env(params: dict) -> dict:
    env = {**os.environ, "PGHOST": str(params["host"]), "PGPORT": str(params["port"]), "PGUSER": params["user"]}
    if params["password"]:
        env["PGPASSWORD"] = params["password"]
    return env


def dump(path: Path, params: dict) -> None:
    subprocess.run(["pg_dump", "--format=custom", f"--file={path}", params["dbname"]], env=pg_env(params),
                   check=True, capture_output=True, text=True)


def verify_history_on(database: str, params: dict, checkpoint_dir: str) -> subprocess.CompletedProcess:
    password = f":{params['password']}" if params["password"] else ""
    env = {**os.environ, "DATABASE_URL": f"postgres://{params['user']}{password}@{params['host']}:{params['port']}/"
                                         f"{database}",
           "HISTORY_CHECKPOINT_DIR": checkpoint_dir, "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "HISTORY_KEY": settings.HISTORY_KEY, "LANGUAGE": "en"}
    env.pop("DATABASE_OWNER_URL", None)
    env.pop("DATABASE_REPLICA_URL", None)
    return subprocess.run([sys.executable, "manage.py", "verify_history"], cwd=ROOT, env=env,
                          capture_output=True, text=True)


@pytest.mark.django_db(transaction=True)
def test_a_restored_dump_is_verified_whole(tmp_path, street_officer, lead_officer, history_checkpoints):
    requires_postgres()
    params = superuser_params()
    case = register(street_officer, enterprise={"name": "甲", "uscc": make_uscc(701)})
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    call_command("history_checkpoint", stdout=open(os.devnull, "w"))
    dump(tmp_path / "older.dump", params)
    # more history, and the checkpoint that pins it
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    complete(lead_officer, case["id"], "order", "issue", deadline=deadline, measures="m", responsible_person="p",
             funds="f", contingency_plan="c")
    call_command("history_checkpoint", stdout=open(os.devnull, "w"))
    dump(tmp_path / "nankai.dump", params)

    admin = pg_env(params)
    restored = []
    try:
        for name in ("nankai.dump", "older.dump"):
            database = f"restore_{os.getpid()}_{len(restored)}"
            subprocess.run(["createdb", database], env=admin, check=True, capture_output=True)
            restored.append(database)
            subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d", database,
                            str(tmp_path / name)], env=admin, check=True, capture_output=True, text=True)
        whole = verify_history_on(restored[0], params, str(history_checkpoints))
        assert whole.returncode == 0, whole.stdout + whole.stderr
        assert "every chain is intact" in whole.stdout
        older = verify_history_on(restored[1], params, str(history_checkpoints))
        assert older.returncode == 1 and case["number"] in older.stderr, older.stdout + older.stderr
    finally:
        for database in restored:
            subprocess.run(["dropdb", "--if-exists", "--force", database], env=admin, capture_output=True)
    assert connection.vendor == "postgresql"
