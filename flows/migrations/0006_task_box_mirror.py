"""The box a task is in (queue 单位待领, holder 我的待办), mirrored onto
``flows_casetask`` beside its due time and indexed with it, so that a page of
the queue or the inbox, most urgent first, is one index range
(docs/performance.md, 2026-12-03).

``CaseTask.save`` writes the two columns; a trigger on ``viewflow_task``
writes them when viewflow's row changes without ours (viewflow's
``save(update_fields=["status"])``, a queryset ``update``). The rule is
``flows.models.mirror_of``; the SQL here says the same. Both vendors the
project runs on have row triggers; each gets its own dialect.
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

QUEUE = "CASE WHEN {t}.status = 'NEW' AND {t}.flow_task_type = 'HUMAN' THEN {t}.owner_permission END"
HOLDER = ("CASE WHEN {t}.status IN ('ASSIGNED', 'STARTED') AND {t}.flow_task_type = 'HUMAN' "
          "THEN {t}.owner_id END")
SET_FROM_NEW = f"queue = {QUEUE.format(t='NEW')}, holder_id = {HOLDER.format(t='NEW')}"
CHANGED = ("OLD.status IS DISTINCT FROM NEW.status OR OLD.owner_permission IS DISTINCT FROM NEW.owner_permission "
           "OR OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.flow_task_type IS DISTINCT FROM NEW.flow_task_type")
COLUMNS = "status, owner_permission, owner_id, flow_task_type"

FILL = (f"UPDATE flows_casetask SET queue = (SELECT {QUEUE.format(t='t')} FROM viewflow_task t "
        f"WHERE t.id = flows_casetask.task_ptr_id), holder_id = (SELECT {HOLDER.format(t='t')} FROM viewflow_task t "
        f"WHERE t.id = flows_casetask.task_ptr_id)")

TRIGGER = {
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION flows_casetask_box_mirror() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE flows_casetask SET {SET_FROM_NEW} WHERE task_ptr_id = NEW.id;
    RETURN NULL;
END $$""",
        f"""CREATE TRIGGER flows_casetask_box_mirror AFTER UPDATE OF {COLUMNS} ON viewflow_task
FOR EACH ROW WHEN ({CHANGED}) EXECUTE FUNCTION flows_casetask_box_mirror()""",
    ],
    "sqlite": [
        f"""CREATE TRIGGER flows_casetask_box_mirror AFTER UPDATE OF {COLUMNS} ON viewflow_task
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


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"flows 0006: no trigger written for {vendor}")
        for statement in statements[vendor]:
            schema_editor.execute(statement)

    return run


def fill(apps, schema_editor):
    schema_editor.execute(FILL)


class Migration(migrations.Migration):

    dependencies = [
        ('flows', '0005_task_arrivals'),
        ('org', '0009_api_tokens_hashed'),
        ('viewflow', '0015_task_scheduled'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='casetask',
            name='holder',
            field=models.ForeignKey(db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='casetask',
            name='queue',
            field=models.CharField(editable=False, max_length=255, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(_run(TRIGGER), _run(DROP)),
        migrations.AddIndex(
            model_name='casetask',
            index=models.Index(condition=models.Q(('queue__isnull', False)), fields=['queue', 'due_at', 'task_ptr'], name='casetask_queue_due_idx'),
        ),
        migrations.AddIndex(
            model_name='casetask',
            index=models.Index(condition=models.Q(('holder__isnull', False)), fields=['holder', 'due_at', 'task_ptr'], name='casetask_holder_due_idx'),
        ),
    ]
