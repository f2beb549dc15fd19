"""The databases of the settings, from the environment (imported by
config/settings.py): the primary (DATABASE_URL), the replica for reads that
may lag (DATABASE_REPLICA_URL) and the owner role of the tables
(DATABASE_OWNER_URL). Read once, when the settings load."""
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # BEGIN IMMEDIATE: every atomic block takes SQLite's write lock up front, so
    # two requests completing one task are serialised instead of both reading
    # the task as open (select_for_update is a no-op on SQLite).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A flow lock that cannot be had within this time becomes a clean error
    # instead of a request that hangs (docs/viewflow.md, "Locking").
    lock_timeout = int(os.environ.get("PG_LOCK_TIMEOUT_MS", "5000"))
    # The statements prepared on the server (common.prepared: the inbox, the queue) are
    # planned once, not on every run: PostgreSQL's own choice kept planning them anew
    # (1.5 of the inbox's 2.3 ms, docs/performance.md). Only prepared statements and
    # PL/pgSQL (the box mirror's one-row update) are planned this way; the ORM's
    # other queries are planned on every run, as before.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={lock_timeout} -c plan_cache_mode=force_generic_plan")

# A streaming replica of the primary for the reads that may lag (the dashboard,
# the statistics, the workbook): common.replica. Same role and options as the
# primary; in tests it mirrors the primary's test database.
if os.environ.get("DATABASE_REPLICA_URL"):
    _replica = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"],
                                     conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    if _replica["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must name a database of the same kind as DATABASE_URL")
    _replica["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica

# Least privilege on PostgreSQL (docs/history.md, "Roles"): the application
# connects as a runtime role that owns nothing (DATABASE_URL); the tables belong
# to an owner role whose user and password DATABASE_OWNER_URL gives (on the
# server and database DATABASE_URL names), used by ``migrate`` and the
# benchmark. Set it where migrations run, not on the application servers. After
# each migration the runtime role is granted what it needs and no more
# (cases.dbroles): no UPDATE, DELETE or TRUNCATE of the history.
DATABASE_OWNER: dict = {}
DATABASE_RUNTIME_ROLE = ""
if os.environ.get("DATABASE_OWNER_URL") and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _owner = dj_database_url.parse(os.environ["DATABASE_OWNER_URL"])
    if [_owner.get(k) for k in ("ENGINE", "HOST", "PORT")] != [DATABASES["default"].get(k) for k in
                                                                ("ENGINE", "HOST", "PORT")]:
        raise ImproperlyConfigured("DATABASE_OWNER_URL must name the server of DATABASE_URL, "
                                   "with the owner role's user and password")
    DATABASE_OWNER = {"USER": _owner["USER"], "PASSWORD": _owner.get("PASSWORD") or ""}
    if _owner["USER"] != DATABASES["default"]["USER"]:
        DATABASE_RUNTIME_ROLE = DATABASES["default"]["USER"]
