"""What the application's runtime role may do on PostgreSQL (docs/history.md, "Roles").

The tables belong to the owner role, which runs the migrations; the
application connects as a runtime role that owns nothing. After every
migration (and in ``deploy/postgres-roles.sql``) the runtime role gets SELECT,
INSERT, UPDATE and DELETE on every table and the use of every sequence, except
on the history, where it may only read and append. Not owning the tables, it
cannot TRUNCATE them, disable their triggers or alter them; not a superuser, it
cannot set ``session_replication_role``.
"""
import contextlib

from django.conf import settings
from django.db import connections

from .models import CaseHistory

APPEND_ONLY = (CaseHistory,)


def statements(*, role: str, quote) -> list[str]:
    """The grants, for a role name and the connection's ``quote_name``."""
    role = quote(role)
    grants = [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # tables the owner creates later (by hand, or before this runs again)
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]
    for model in APPEND_ONLY:
        grants.append(f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {quote(model._meta.db_table)} "
                      f"FROM {role}")
    return grants


def grant_runtime_role(*, using: str = "default") -> bool:
    """Grant ``DATABASE_RUNTIME_ROLE`` its privileges on the tables the
    connection's role owns; False where there is nothing to do (SQLite, no
    runtime role configured, or the connection is the runtime role itself)."""
    role = settings.DATABASE_RUNTIME_ROLE
    connection = connections[using]
    if connection.vendor != "postgresql" or not role:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == role:
            return False
        for statement in statements(role=role, quote=connection.ops.quote_name):
            cursor.execute(statement)
    return True


@contextlib.contextmanager
def as_owner(*, using: str = "default"):
    """Within the block the connection is the owner role's (``DATABASE_OWNER_URL``):
    ``migrate``, the benchmark's own database, the tests' database. Closed
    before and after, so no statement of one role runs on the other's session."""
    owner = settings.DATABASE_OWNER
    connection = connections[using]
    if not owner or connection.vendor != "postgresql" or connection.settings_dict["USER"] == owner["USER"]:
        yield
        return
    saved = {key: connection.settings_dict.get(key, "") for key in ("USER", "PASSWORD")}
    connection.close()
    connection.settings_dict.update(owner)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate of this app: every table exists by then (the signal is sent
    once the whole plan has run)."""
    grant_runtime_role(using=using)
