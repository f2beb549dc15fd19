"""Tampering with the history as a database administrator would.

On PostgreSQL the statements run on a connection of their own as a superuser
(``DATABASE_SUPERUSER_URL``, else the test's own user when it is one), in one
transaction with ``session_replication_role = replica`` (no trigger fires, not
even the foreign keys') or with the history's trigger disabled (``ALTER TABLE
... DISABLE TRIGGER``). The rows must be committed for that connection to see
them: tests that tamper are transactional (``django_db(transaction=True)``).
On SQLite the triggers are dropped, the statements run, the triggers return.
"""
import os

import dj_database_url
import pytest
from django.db import connection

TRIGGER_MESSAGE = "case history rows are never changed or deleted"
SQLITE_TRIGGERS = {
    "cases_history_no_update": f"CREATE TRIGGER cases_history_no_update BEFORE UPDATE ON cases_casehistory "
                               f"BEGIN SELECT RAISE(ABORT, '{TRIGGER_MESSAGE}'); END",
    "cases_history_no_delete": f"CREATE TRIGGER cases_history_no_delete BEFORE DELETE ON cases_casehistory "
                               f"BEGIN SELECT RAISE(ABORT, '{TRIGGER_MESSAGE}'); END",
}


def superuser_params() -> dict:
    """psycopg2.connect() arguments: a superuser on the test database."""
    settings = connection.settings_dict
    user, password = settings["USER"], settings.get("PASSWORD")
    if os.environ.get("DATABASE_SUPERUSER_URL"):
        parsed = dj_database_url.parse(os.environ["DATABASE_SUPERUSER_URL"])
        user, password = parsed["USER"], parsed.get("PASSWORD")
    return {"dbname": settings["NAME"], "user": user, "password": password or None,
            "host": settings.get("HOST") or "127.0.0.1", "port": settings.get("PORT") or 5432}


def tamper(*statements, how: str = "replica") -> None:
    """Run ``statements`` (SQL, or (SQL, params)) past the history's guards.
    ``how``: "replica" (session_replication_role) or "disable" (DISABLE TRIGGER)."""
    statements = [(s, ()) if isinstance(s, str) else s for s in statements]
    if connection.vendor == "sqlite":
        return _tamper_sqlite(statements)
    import psycopg2

    assert not connection.in_atomic_block, "tamper() needs committed rows: mark the test transaction=True"
    dba = psycopg2.connect(**superuser_params())
    try:
        with dba, dba.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if not cursor.fetchone()[0]:
                message = "tampering as the database's administrator needs a superuser: set DATABASE_SUPERUSER_URL"
                if os.environ.get("REQUIRE_SERVICES") == "1":
                    pytest.fail(message)
                pytest.skip(message)
            if how == "replica":
                cursor.execute("SET LOCAL session_replication_role = replica")
            else:
                cursor.execute("ALTER TABLE cases_casehistory DISABLE TRIGGER cases_history_append_only")
            for sql, params in statements:
                cursor.execute(sql, params)
            if how != "replica":
                cursor.execute("ALTER TABLE cases_casehistory ENABLE TRIGGER cases_history_append_only")
    finally:
        dba.close()


def _tamper_sqlite(statements) -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        try:
            for sql, params in statements:
                cursor.execute(sql.replace("TRUNCATE ", "DELETE FROM "), params)
        finally:
            for create in SQLITE_TRIGGERS.values():
                cursor.execute(create)
            cursor.execute("PRAGMA foreign_keys = ON")
