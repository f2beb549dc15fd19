"""Reads that may lag go to a read replica (settings: DATABASE_REPLICA_URL).

The dashboard, the statistics, the monthly workbook and other exports read
figures a few seconds old without harm; they run inside ``replica_reads()``,
and ``ReplicaRouter`` sends their reads to the ``replica`` database when one is
configured. Everything else — every write, and every read outside such a
block, above all what a user has just changed (a completion, its next task,
the login's session and user) — goes to the primary (``default``). Without a
replica the block changes nothing.
"""
import contextlib
import contextvars

from django.db import connections

REPLICA = "replica"
_reading_replica = contextvars.ContextVar("reading_replica", default=False)


@contextlib.contextmanager
def replica_reads():
    """Within the block, reads go to the replica (when there is one)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_replica.get() and replica_configured():
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary's WAL; nothing is migrated on it
