"""A new task's rows written in one statement (a step's gateway and its next task).

viewflow writes a new task as a model save and a link: ``viewflow_task``, then
``flows_casetask`` (our multi-table child), then the row of
``viewflow_task_previous`` that links it to the task before it, three statements
each built by Django's compiler. On PostgreSQL ``insert_task`` writes the three
in one (common table expressions), its SQL built once per process and its values
taken from each field as Django's own insert takes them (``pre_save``,
``get_db_prep_save``); the task leaves it saved, with its id, as a save leaves
it. SQLite cannot insert inside ``WITH``: there the task is saved and linked as
before. No signal is sent for these rows in either case (none is received).
"""
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections
from viewflow.workflow.models import Task

from .models import CaseTask


@cache
def _columns() -> tuple[list, list]:
    """The fields of ``viewflow_task`` and of ``flows_casetask`` an insert writes (the ids apart)."""
    parent = [f for f in Task._meta.local_concrete_fields if not f.primary_key]
    child = [f for f in CaseTask._meta.local_concrete_fields if not f.primary_key]
    return parent, child


@cache
def _sql() -> str:
    """WITH the task row, its CaseTask row, its link to the task before it: the task's id."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    parent, child = _columns()
    link = Task._meta.get_field("previous").remote_field.through._meta
    holes = lambda fields: ", ".join(["%s"] * len(fields))  # noqa: E731
    return (
        f"WITH t AS (INSERT INTO {quote(Task._meta.db_table)} ({', '.join(quote(f.column) for f in parent)}) "
        f"VALUES ({holes(parent)}) RETURNING {quote(Task._meta.pk.column)}), "
        f"c AS (INSERT INTO {quote(CaseTask._meta.db_table)} ({quote(CaseTask._meta.pk.column)}, "
        f"{', '.join(quote(f.column) for f in child)}) VALUES ((SELECT {quote(Task._meta.pk.column)} FROM t), "
        f"{holes(child)})), "
        f"p AS (INSERT INTO {quote(link.db_table)} ({quote(link.get_field('from_task').column)}, "
        f"{quote(link.get_field('to_task').column)}) VALUES ((SELECT {quote(Task._meta.pk.column)} FROM t), %s)) "
        f"SELECT {quote(Task._meta.pk.column)} FROM t"
    )


def insert_task(task: CaseTask, *, previous: Task) -> None:
    """Insert the new ``task`` (its box mirror set as ``CaseTask.save`` sets it) and link it to ``previous``."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        task.save()
        task.previous.add(previous)
        return
    task.set_mirror()
    parent, child = _columns()
    params = [field.get_db_prep_save(field.pre_save(task, True), connection) for field in (*parent, *child)]
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [*params, previous.pk])
        task.id = task.task_ptr_id = cursor.fetchone()[0]
    task._state.adding, task._state.db = False, connection.alias
