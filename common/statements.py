"""The ORM's statements prepared on the server, for the writes of a task's step.

PostgreSQL parses, analyses and plans every statement it is sent. For the
short statements of a completion (a row by its key, a row inserted, a row
updated) that was most of the server's work: about 5 of its 8 ms of CPU a
step (docs/performance.md). Inside ``server_prepared()`` (the task services
hold it while they hold the flow lock) a statement the process has seen
before is prepared on the connection (``PREPARE``, the ORM's own SQL with its
parameters as $1, $2 ...) once, and from then on sent as ``EXECUTE
name(values)``: parsed once per connection, planned as PostgreSQL sees fit.

What keeps it the same statement:

- *Types.* PostgreSQL infers each parameter's type from where it stands, as
  it does for the plain statement's quoted values. A statement it cannot
  prepare so (a parameter standing alone) is tried in a savepoint, in the
  round trip that prepares it; it is then run plainly, on every connection.
- *Integers.* A parameter compared with an ``integer`` column is an
  ``integer``: a larger value (an id of 10^12 typed in a URL) would raise
  where the plain statement finds no row. Such a call runs plainly.
- *Plans.* The session plans prepared statements once
  (``plan_cache_mode = force_generic_plan``, config/databases.py), which
  suits ``common.prepared``'s shapes, whose constants are written into
  them. Here the constants are parameters too, so a partial index or an
  index on a JSON key could not serve a plan made once. The scope's first
  statement therefore carries ``SET LOCAL plan_cache_mode = auto``:
  PostgreSQL keeps a plan made once only where it costs no more than one
  made for the values, and it ends with the transaction.
- *Logs.* While Django logs statements (``DEBUG``, ``assertNumQueries``,
  ``CaptureQueriesContext``) nothing is prepared: the log shows the SQL as
  the ORM wrote it. With ``CONN_MAX_AGE = 0`` nothing is prepared either,
  nor outside a transaction.

A connection's prepared statements, these and ``common.prepared``'s, are
listed per DB-API connection (``on_server``) and all dropped past
``MAX_ON_SERVER`` (``DEALLOCATE ALL``); they outlive a rollback and end
with their connection.
"""
import itertools
import re
import weakref
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

MAX_ON_SERVER = 512  # statements prepared on one connection; past that they are all dropped (DEALLOCATE ALL)
MAX_KNOWN = 2048  # SQL texts remembered by the process (seen once, or planned); past that it starts over
_on_server: "weakref.WeakKeyDictionary[object, set]" = weakref.WeakKeyDictionary()  # DB-API connection -> names
_serial = itertools.count(1)
_PREPARABLE = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")
_INTEGERS = {"smallint": 1 << 15, "integer": 1 << 31, "bigint": 1 << 63}
_SAVEPOINT = "server_prepared"


def persistent(connection) -> bool:
    """Whether ``connection`` outlives a request (``CONN_MAX_AGE`` not 0): only then is preparing worth it."""
    return connection.vendor == "postgresql" and connection.settings_dict.get("CONN_MAX_AGE") != 0


def on_server(connection) -> set:
    """The names of the statements prepared on ``connection``'s current DB-API connection."""
    return _on_server.setdefault(connection.connection, set())


def make_room(cursor, known: set) -> None:
    """Drop every prepared statement of the connection when it holds ``MAX_ON_SERVER``."""
    if len(known) >= MAX_ON_SERVER:
        cursor.execute("DEALLOCATE ALL")
        known.clear()


class _Plan:
    """One SQL text of the ORM as a statement to prepare: its name, its ``PREPARE`` (sent without
    parameters, so a literal ``%%`` is written ``%``), its ``EXECUTE``, and the integer limits of
    its parameters, read from the server when it is first prepared."""

    __slots__ = ("name", "prepare", "execute", "limits")

    def __init__(self, sql: str, count: int):
        self.name = f"server_prepared_{next(_serial)}"
        numbers = itertools.count(1)
        body = re.sub(r"%%|%s", lambda match: "%" if match[0] == "%%" else f"${next(numbers)}", sql)
        self.prepare = f"PREPARE {self.name} AS {body}"
        self.execute = f"EXECUTE {self.name}" + (f"({', '.join(['%s'] * count)})" if count else "")
        self.limits: dict[int, int] | None = None  # position -> bound, once known

    def fits(self, params) -> bool:
        """Whether every int of ``params`` is within its parameter's integer type."""
        for position, bound in (self.limits or {}).items():
            value = params[position]
            if isinstance(value, int) and not -bound <= value < bound:
                return False
        return True


_seen: set[str] = set()  # run once by this process
_plans: dict[str, _Plan | None] = {}  # run twice or more: its plan, or None when PostgreSQL cannot prepare it


class _Scope:
    """The execute wrapper of one ``server_prepared()`` block."""

    def __init__(self):
        self.mode_set = False

    def __call__(self, execute, sql, params, many, context):
        connection = context["connection"]
        if (many or not isinstance(params, list | tuple) or not sql.startswith(_PREPARABLE)
                or connection.queries_logged or not connection.in_atomic_block):
            return execute(sql, params, many, context)
        plan = _plans.get(sql, False)
        if plan is False:  # not seen twice yet
            if sql not in _seen:
                if len(_seen) >= MAX_KNOWN:
                    _seen.clear()
                _seen.add(sql)
                return self._plain(execute, sql, params, context)
            if len(_plans) >= MAX_KNOWN:
                _plans.clear()
            plan = _plans[sql] = _Plan(sql, len(params))
        if plan is None:
            return self._plain(execute, sql, params, context)
        known = on_server(connection)
        if plan.name not in known and not self._prepared(plan, sql, context["cursor"], known):
            return self._plain(execute, sql, params, context)
        if not plan.fits(params):
            return self._plain(execute, sql, params, context)
        return execute(self._mode(plan.execute), params, many, context)

    def _mode(self, sql: str) -> str:
        """The scope's first statement sets the transaction's planning (see the module's docstring)."""
        if self.mode_set:
            return sql
        self.mode_set = True
        return f"SET LOCAL plan_cache_mode = auto; {sql}"

    def _plain(self, execute, sql, params, context):
        return execute(self._mode(sql), params, False, context)

    def _prepared(self, plan: _Plan, sql: str, cursor, known: set) -> bool:
        """Prepare ``plan`` on the connection, in a savepoint; False (and never again) if PostgreSQL cannot."""
        make_room(cursor, known)
        try:
            cursor.execute(f"SAVEPOINT {_SAVEPOINT}; {plan.prepare}; RELEASE SAVEPOINT {_SAVEPOINT}; "
                           f"SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = '{plan.name}'")
            types = cursor.fetchone()[0]
        except DatabaseError:
            cursor.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}; RELEASE SAVEPOINT {_SAVEPOINT}")
            _plans[sql] = None
            return False
        known.add(plan.name)
        plan.limits = {position: _INTEGERS[name] for position, name in enumerate(types) if name in _INTEGERS}
        return True


@contextmanager
def server_prepared(using: str = DEFAULT_DB_ALIAS):
    """Inside the block, the statements of ``using`` run as prepared statements where they can (see the
    module's docstring); a no-op on SQLite and with ``CONN_MAX_AGE = 0``."""
    connection = connections[using]
    if not persistent(connection):
        yield
        return
    with connection.execute_wrapper(_Scope()):
        yield
