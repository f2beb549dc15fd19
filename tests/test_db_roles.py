"""Least privilege on PostgreSQL: the application's runtime role owns nothing
and may not TRUNCATE, disable a trigger, set session_replication_role, or
UPDATE or DELETE history; the owner role runs the migrations
(deploy/postgres-roles.sql, cases/dbroles.py, docs/history.md "Roles").

These tests run as the runtime role: CI sets DATABASE_URL to it and
DATABASE_OWNER_URL to the owner (.ci/run)."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from .conftest import requires_postgres
from .scenarios import complete, register

ROOT = Path(__file__).resolve().parent.parent
REFUSED = "permission denied|must be owner"


@pytest.fixture
def runtime(db):
    """The test's connection, which must be the runtime role's."""
    requires_postgres()
    if not settings.DATABASE_RUNTIME_ROLE:
        message = "needs DATABASE_URL as the runtime role and DATABASE_OWNER_URL as the owner (.ci/run sets both)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return settings.DATABASE_RUNTIME_ROLE


def _one(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def test_the_application_runs_as_a_role_that_owns_nothing(runtime):
    assert _one("SELECT current_user") == (runtime,)
    assert _one("SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls FROM pg_roles "
                "WHERE rolname = current_user") == (False, False, False, False, False)
    assert _one("SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = "
                "current_user)") == (0,)
    assert _one("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> %s",
                [settings.DATABASE_OWNER["USER"]]) == (0,)
    assert _one("SELECT pg_has_role(current_user, %s, 'MEMBER')", [settings.DATABASE_OWNER["USER"]]) == (False,)


def test_the_runtime_role_may_read_and_append_history_and_nothing_more(runtime):
    privileges = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")
    history = [_one("SELECT has_table_privilege('cases_casehistory', %s)", [p])[0] for p in privileges]
    assert dict(zip(privileges, history)) == {"SELECT": True, "INSERT": True, "UPDATE": False, "DELETE": False,
                                              "TRUNCATE": False, "TRIGGER": False, "REFERENCES": False}
    case = [_one("SELECT has_table_privilege('cases_case', %s)", [p])[0] for p in privileges]
    assert case == [True, True, True, True, False, False, False]
    assert _one("SELECT has_schema_privilege('public', 'CREATE')") == (False,)


@pytest.mark.parametrize("statement", [
    "TRUNCATE cases_casehistory",
    "TRUNCATE cases_case CASCADE",
    "ALTER TABLE cases_casehistory DISABLE TRIGGER cases_history_append_only",
    "ALTER TABLE cases_casehistory DISABLE TRIGGER ALL",
    "DROP TRIGGER cases_history_append_only ON cases_casehistory",
    "SET session_replication_role = replica",
    "SET LOCAL session_replication_role = replica",
    "UPDATE cases_casehistory SET note = '篡改'",
    "DELETE FROM cases_casehistory",
    "CREATE TABLE cases_shadow (id int)",
    "ALTER TABLE cases_case OWNER TO CURRENT_USER",
])
def test_the_runtime_role_is_refused(runtime, street_officer, lead_officer, statement):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert _one("SELECT count(*) FROM cases_casehistory WHERE case_id = %s", [case["id"]])[0] >= 2


def test_the_roles_script_is_idempotent(runtime):
    """deploy/postgres-roles.sql, run twice by a superuser for a database of its
    own, leaves the same two roles and grants."""
    superuser = os.environ.get("DATABASE_SUPERUSER_URL")
    if not superuser or not shutil.which("psql"):
        message = "needs psql and DATABASE_SUPERUSER_URL (.ci/run sets it)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    import dj_database_url
    import psycopg2

    admin = dj_database_url.parse(superuser)
    tag = f"nankai_rolestest_{os.getpid()}"
    names = {"owner": f"{tag}_owner", "app": f"{tag}_app", "db": f"{tag}_db"}
    psql = ["psql", "-X", "-q", "-h", admin["HOST"] or "127.0.0.1", "-p", str(admin["PORT"] or 5432),
            "-U", admin["USER"], "-d", "postgres", "-v", "ON_ERROR_STOP=1",
            *[f"-v{k}={v}" for k, v in names.items()], "-f", str(ROOT / "deploy" / "postgres-roles.sql")]
    env = {**os.environ, "PGPASSWORD": admin.get("PASSWORD") or "", "NANKAI_APP_PASSWORD": "app-secret"}
    try:
        for _ in range(2):
            result = subprocess.run(psql, env=env, capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, result.stderr
        check = psycopg2.connect(dbname=names["db"], user=admin["USER"], password=admin.get("PASSWORD") or None,
                                 host=admin["HOST"] or "127.0.0.1", port=admin["PORT"] or 5432)
        with check, check.cursor() as cursor:
            cursor.execute("SELECT rolname, rolsuper, rolcreaterole, rolpassword IS NOT NULL FROM pg_authid "
                           "WHERE rolname IN (%s, %s) ORDER BY rolname", [names["app"], names["owner"]])
            assert cursor.fetchall() == [(names["app"], False, False, True), (names["owner"], False, False, False)]
            cursor.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [names["db"]])
            assert cursor.fetchone() == (names["owner"],)
            cursor.execute("SELECT defaclobjtype, array_to_string(defaclacl, ',') FROM pg_default_acl "
                           "WHERE defaclrole = (SELECT oid FROM pg_roles WHERE rolname = %s) ORDER BY 1",
                           [names["owner"]])
            acl = dict(cursor.fetchall())
            assert f"{names['app']}=arwd/" in acl["r"] and f"{names['app']}=rU/" in acl["S"]
            cursor.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')", [names["app"]])
            assert cursor.fetchone() == (False,)
        check.close()
    finally:
        cleanup = psycopg2.connect(dbname="postgres", user=admin["USER"], password=admin.get("PASSWORD") or None,
                                   host=admin["HOST"] or "127.0.0.1", port=admin["PORT"] or 5432)
        cleanup.autocommit = True
        with cleanup.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{names["db"]}" WITH (FORCE)')
            for role in (names["app"], names["owner"]):
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                if cursor.fetchone():
                    cursor.execute(f'DROP OWNED BY "{role}"')
                    cursor.execute(f'DROP ROLE "{role}"')
        cleanup.close()
