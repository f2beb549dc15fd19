"""The trigger that keeps ``flows_casetask.queue`` and ``holder`` (the box a
task is in, ``flows.models.mirror_of``) equal to what ``viewflow_task`` says
when viewflow's row changes without ours; migration 0006 creates it. The
project runs on PostgreSQL and SQLite, both with row triggers; each gets its
own dialect.

On SQLite, a migration that rebuilds ``flows_casetask`` (most AlterField
operations: Django copies the table and renames the copy) fails with "error in
trigger flows_casetask_box_mirror: no such table", since SQLite checks every
trigger at the rename: wrap its operations in ``around_casetask_rebuild``.
A rebuild of ``viewflow_task`` by a viewflow migration drops the trigger with
the table; ``tests/test_flows_box_mirror.py`` would say so.
"""
from django.db import migrations

from common.vendor_sql import per_vendor

QUEUE = "CASE WHEN {t}.status = 'NEW' AND {t}.flow_task_type = 'HUMAN' THEN {t}.owner_permission END"
HOLDER = ("CASE WHEN {t}.status IN ('ASSIGNED', 'STARTED') AND {t}.flow_task_type = 'HUMAN' "
          "THEN {t}.owner_id END")
SET_FROM_NEW = f"queue = {QUEUE.format(t='NEW')}, holder_id = {HOLDER.format(t='NEW')}"
CHANGED = ("OLD.status IS DISTINCT FROM NEW.status OR OLD.owner_permission IS DISTINCT FROM NEW.owner_permission "
           "OR OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.flow_task_type IS DISTINCT FROM NEW.flow_task_type")
COLUMNS = "status, owner_permission, owner_id, flow_task_type"

# every existing row, once (migration 0006)
FILL = (f"UPDATE flows_casetask SET queue = (SELECT {QUEUE.format(t='t')} FROM viewflow_task t "
        f"WHERE t.id = flows_casetask.task_ptr_id), holder_id = (SELECT {HOLDER.format(t='t')} FROM viewflow_task t "
        f"WHERE t.id = flows_casetask.task_ptr_id)")

CREATE = {
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION flows_casetask_box_mirror() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE flows_casetask SET {SET_FROM_NEW} WHERE task_ptr_id = NEW.id;
    RETURN NULL;
END $$""",
        "DROP TRIGGER IF EXISTS flows_casetask_box_mirror ON viewflow_task",
        f"""CREATE TRIGGER flows_casetask_box_mirror AFTER UPDATE OF {COLUMNS} ON viewflow_task
FOR EACH ROW WHEN ({CHANGED}) EXECUTE FUNCTION flows_casetask_box_mirror()""",
    ],
    "sqlite": [
        f"""CREATE TRIGGER IF NOT EXISTS flows_casetask_box_mirror AFTER UPDATE OF {COLUMNS} ON viewflow_task
FOR EACH ROW WHEN {CHANGED.replace("IS DISTINCT FROM", "IS NOT")}
BEGIN
    UPDATE flows_casetask SET {SET_FROM_NEW} WHERE task_ptr_id = NEW.id;
END""",
    ],
}
DROP = {
    "postgresql": ["DROP TRIGGER IF EXISTS flows_casetask_box_mirror ON viewflow_task",
                   "DROP FUNCTION IF EXISTS flows_casetask_box_mirror()"],
    "sqlite": ["DROP TRIGGER IF EXISTS flows_casetask_box_mirror"],
}


def fill(apps, schema_editor):
    schema_editor.execute(FILL)


def create_trigger() -> migrations.RunPython:
    return migrations.RunPython(per_vendor(CREATE), per_vendor(DROP))


def around_casetask_rebuild(*operations) -> list:
    """``operations`` that rebuild flows_casetask on SQLite, with the trigger
    set aside meanwhile (on SQLite only: PostgreSQL alters in place)."""
    aside = migrations.RunPython(per_vendor(DROP, only=("sqlite",)), per_vendor(CREATE, only=("sqlite",)))
    back = migrations.RunPython(per_vendor(CREATE, only=("sqlite",)), per_vendor(DROP, only=("sqlite",)))
    return [aside, *operations, back]
