"""ORM queries compiled once per shape, for the few reads so hot that Django's
query compiler costs more than the query itself (the inbox and the queue:
docs/performance.md).

A *shape* is a query with its values left out: the inbox of any officer is
one shape, the queue of any leader (two routing permissions) another.
``Prepared`` builds a shape's query once, with stand-ins for the values,
compiles it, and remembers where each stand-in went among the SQL's
parameters; every later read of that shape executes the same SQL with the
values put in their places. The query is still written once, with the ORM:
``build`` is the home of what it reads. A shape the stand-ins cannot follow
(a value the SQL does not carry as one plain parameter, e.g. ``icontains``'s
``%value%``) is built and compiled afresh on each read, as without this module.

On PostgreSQL a shape's SQL is also prepared on the server, once per
connection (``PREPARE``, then ``EXECUTE`` with the values): PostgreSQL plans
it again only when it chooses to, and planning the inbox's five-table join
cost more than running it (1.2 of 1.5 ms, docs/performance.md). A prepared
statement belongs to the session, not to a transaction: a rollback keeps it,
a new connection starts without any (``common.statements`` keeps the list,
shared with the completions' prepared statements). With ``CONN_MAX_AGE = 0``
(a connection a request) nothing is prepared.

A shape is read as rows (``rows``: a ``values()`` query's dicts), as model
objects (``objects``: what iterating the queryset gives, its ``select_related``
objects and annotations set, its ``prefetch_related`` read after), or counted.
"""
import itertools
import re
from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable, get_related_populators

from .statements import make_room, on_server, persistent

_serial = itertools.count(1)
MAX_SHAPES = 256  # shapes kept per query; past that the cache starts over
EMPTY = "empty"  # a shape whose query matches nothing, whatever its values (e.g. ``IN ()``)
DYNAMIC = "dynamic"  # a shape the stand-ins cannot follow: built and compiled on every read


def _stand_in(value):
    """A value of the same type no real query carries: a large negative id, a text with control characters."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"a prepared value is an int, a str or a tuple of them, not {type(value).__name__}")
    number = next(_serial)
    return -(1 << 62) - number if isinstance(value, int) else f"\x1fprepared-{number}\x1f"


def _normal(values: dict) -> dict:
    """Sequences as tuples (sets sorted, so that a stand-in and its value keep one position)."""
    return {name: (tuple(sorted(value)) if isinstance(value, set | frozenset) else
                   tuple(value) if isinstance(value, list | tuple) else value) for name, value in values.items()}


class _Constant:
    """A parameter of the compiled SQL that is no value's stand-in (a status, a flag)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class _Statement:
    """One SQL text of a shape, run plainly or, on PostgreSQL, as a statement
    prepared on the server: the values as its parameters ($1, $2 ...), the
    constants written into it, so that PostgreSQL can prove a partial index's
    condition (``status IN ('ASSIGNED', 'STARTED')``) in a plan made once."""

    __slots__ = ("sql", "name", "prepare", "constants", "values", "execute")

    def __init__(self, sql: str, slots: list):
        self.sql, self.name = sql, f"prepared_{next(_serial)}"
        placeholders, numbers = iter(slots), itertools.count(1)

        def placeholder(match):
            if match[0] == "%%":
                return "%%"  # a literal %, as psycopg reads it
            return "%s" if isinstance(next(placeholders), _Constant) else f"${next(numbers)}"

        self.prepare = f"PREPARE {self.name} AS " + re.sub(r"%%|%s", placeholder, sql)
        self.constants = [slot.value for slot in slots if isinstance(slot, _Constant)]
        self.values = [i for i, slot in enumerate(slots) if not isinstance(slot, _Constant)]  # their positions
        self.execute = f"EXECUTE {self.name}" + (f"({', '.join(['%s'] * len(self.values))})" if self.values else "")

    def run(self, connection, params: list) -> list[tuple]:
        """The rows of the statement with ``params`` (every parameter of ``sql``, constants included)."""
        with connection.cursor() as cursor:
            if not persistent(connection):
                cursor.execute(self.sql, params)
                return cursor.fetchall()
            known = on_server(connection)
            values = [params[i] for i in self.values]
            if self.name in known:
                cursor.execute(self.execute, values)
            else:
                make_room(cursor, known)
                cursor.execute(f"{self.prepare}; {self.execute}", [*self.constants, *values])  # one round trip
                known.add(self.name)
            return cursor.fetchall()


class _Shape:
    """A shape's SQL; ``slots``: for each parameter, the (value's name, index in a sequence or None) it
    takes, or a ``_Constant``; ``names``, ``converters``: as the ORM reads the rows; ``objects``: how
    ``ModelIterable`` makes a row an object (None: a ``values()`` query), and the lookups prefetched after."""

    def __init__(self, sql: str, slots: list, names: list, converters: dict, model, objects=None, prefetch=()):
        self.sql, self.slots, self.names, self.converters, self.model = sql, slots, names, converters, model
        self.page = _Statement(sql, slots)
        self.counted = _Statement(f"SELECT COUNT(*) FROM ({sql}) counted", slots)
        self.objects, self.prefetch, self._populators = objects, prefetch, {}

    def populators(self, alias: str) -> list:
        """The related objects' populators of ``select_related`` (per database: they name it)."""
        if alias not in self._populators:
            klass_info, select, _annotations = self.objects
            self._populators[alias] = get_related_populators(klass_info, select, alias)
        return self._populators[alias]

    def params(self, values: dict) -> list:
        params = []
        for slot in self.slots:
            if isinstance(slot, _Constant):
                params.append(slot.value)
            else:
                name, index = slot
                params.append(values[name] if index is None else values[name][index])
        return params


_VIEWFLOW_TASKS = "viewflow.workflow.managers.TaskIterable"


def _plain_objects(queryset: QuerySet) -> bool:
    """Whether iterating ``queryset`` gives ``ModelIterable``'s objects: viewflow's ``TaskIterable``
    does unless the query was ``coerce_for`` flows (then it swaps each task for its flow's class)."""
    iterable = queryset._iterable_class
    return iterable is ModelIterable or (f"{iterable.__module__}.{iterable.__qualname__}" == _VIEWFLOW_TASKS
                                         and not getattr(queryset, "_coerced", False))


def _knowing(objects: list, known: dict | None) -> list:
    """``objects``, each given the related objects it points to (``known``)."""
    for obj in objects:
        for name, related in (known or {}).items():
            setattr(obj, name, related)
    return objects


class Prepared:
    """``build(**shape, **values)`` -> a QuerySet, compiled once per shape.

    ``shape`` (keyword arguments that change the SQL: a box, a slice's bounds)
    and the lengths of sequence values name a shape; ``values`` (ids, codes:
    ints, strs, tuples or sets of them) are the SQL's parameters. ``rows``
    reads a ``values()`` query as dicts, converted as the ORM converts them;
    ``count`` reads ``SELECT COUNT(*)`` of the query; ``sql`` gives the SQL and
    parameters as ``QuerySet.query.sql_with_params`` would.

    ``build`` must read nothing but its arguments: a constant it puts in the
    query (a status, a flag) is kept with the shape, so the time, a setting or
    anything else that changes has to come in as a value or not at all."""

    def __init__(self, build: Callable[..., QuerySet], *, using: str | None = None):
        self.build, self.using = build, using  # None: where the router sends the model's reads, as a queryset
        self._shapes: dict = {}

    def _shape(self, shape: dict, values: dict):
        key = (tuple(sorted(shape.items())),
               tuple((name, len(v) if isinstance(v, tuple) else None) for name, v in sorted(values.items())))
        found = self._shapes.get(key)
        if found is None:  # not compiled yet
            if len(self._shapes) >= MAX_SHAPES:
                self._shapes.clear()
            found = self._shapes[key] = self._compile(shape, values)
        return found

    def _compile(self, shape: dict, values: dict):
        stand_ins, where = {}, {}
        for name, value in values.items():
            if isinstance(value, tuple):
                stand_ins[name] = tuple(_stand_in(item) for item in value)
                where.update({item: (name, i) for i, item in enumerate(stand_ins[name])})
            else:
                stand_ins[name] = _stand_in(value)
                where[stand_ins[name]] = (name, None)
        queryset = self.build(**shape, **stand_ins)
        compiler = queryset.query.get_compiler(self.using or DEFAULT_DB_ALIAS)  # the replica is the same engine
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return EMPTY
        slots = [where.get(param, _Constant(param)) if isinstance(param, int | str) else _Constant(param)
                 for param in params]
        followed = {slot for slot in slots if isinstance(slot, tuple)} == set(where.values())
        constants = [str(slot.value) for slot in slots if isinstance(slot, _Constant)]
        stray = any(str(item) in text for item in where for text in (sql, *constants))
        if not followed or stray:
            return DYNAMIC  # a stand-in was transformed or written into the SQL
        if queryset._known_related_objects:
            return DYNAMIC  # a related manager's queryset: its objects point back to one object
        query = queryset.query
        names = list(query.selected) if query.selected else [*query.extra_select, *query.values_select,
                                                            *query.annotation_select]
        converters = compiler.get_converters([column[0] for column in compiler.select[:compiler.col_count]])
        objects = ((compiler.klass_info, compiler.select, compiler.annotation_col_map)
                   if _plain_objects(queryset) else None)
        return _Shape(sql, slots, names, converters, queryset.model, objects,
                      tuple(queryset._prefetch_related_lookups))

    def _alias(self, found: _Shape) -> str:
        return self.using or router.db_for_read(found.model) or DEFAULT_DB_ALIAS

    def sql(self, *, shape: dict | None = None, **values) -> tuple[str, tuple]:
        shape, values = shape or {}, _normal(values)
        found = self._shape(shape, values)
        if isinstance(found, _Shape):
            return found.sql, tuple(found.params(values))
        return self.build(**shape, **values).query.sql_with_params()  # EMPTY raises EmptyResultSet, as the ORM

    def rows(self, *, shape: dict | None = None, **values) -> list[dict]:
        """The rows of a ``values()`` query, as its queryset would give them."""
        shape, values = shape or {}, _normal(values)
        found = self._shape(shape, values)
        if found is EMPTY:
            return []
        if found is DYNAMIC:
            return list(self.build(**shape, **values))
        names = found.names
        return [dict(zip(names, row)) for row in self._fetch(found, values)[1]]

    def objects(self, *, shape: dict | None = None, known: dict | None = None, **values) -> list:
        """The model objects of the query, as iterating its queryset would give them; ``known``:
        a related object each one points to (``{"case": case}``, as ``case.history`` would set it)."""
        shape, values = shape or {}, _normal(values)
        found = self._shape(shape, values)
        if found is EMPTY:
            return []
        if found is DYNAMIC or found.objects is None:  # objects the shape cannot make: its queryset makes them
            return _knowing(list(self.build(**shape, **values)), known)
        alias, rows = self._fetch(found, values)
        klass_info, select, annotations = found.objects
        model, fields = klass_info["model"], klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = found.populators(alias)
        result = []
        for row in rows:
            obj = model.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations.items():
                setattr(obj, name, row[position])
            result.append(obj)
        _knowing(result, known)  # before the prefetch, which may follow them
        if found.prefetch:
            prefetch_related_objects(result, *found.prefetch)
        return result

    def _fetch(self, found: _Shape, values: dict) -> tuple[str, list]:
        """(the database read, the shape's rows converted as the ORM converts them)."""
        alias = self._alias(found)
        connection = connections[alias]
        rows = found.page.run(connection, found.params(values))
        converters = found.converters
        if not converters:
            return alias, rows
        result = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters.items():
                value = row[position]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[position] = value
            result.append(row)
        return alias, result

    def count(self, *, shape: dict | None = None, **values) -> int:
        """``SELECT COUNT(*)`` of the query (sliced: of its slice), as ``QuerySet.count`` counts."""
        shape, values = shape or {}, _normal(values)
        found = self._shape(shape, values)
        if found is EMPTY:
            return 0
        if found is DYNAMIC:
            return self.build(**shape, **values).count()
        return found.counted.run(connections[self._alias(found)], found.params(values))[0][0]
