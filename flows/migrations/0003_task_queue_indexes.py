"""Partial indexes on viewflow's task table for the inbox and the queue
(docs/viewflow.md, "Speed"): open human tasks by queue, and held tasks by
owner; each names the human tasks, so that counting a user's open tasks is
answered from the index alone."""
from django.db import migrations

INDEXES = [
    ("flows_task_queue_idx",
     "viewflow_task (owner_permission, created DESC) WHERE status = 'NEW' AND flow_task_type = 'HUMAN'"),
    ("flows_task_inbox_idx",
     "viewflow_task (owner_id, created DESC) WHERE status IN ('ASSIGNED', 'STARTED') AND flow_task_type = 'HUMAN'"),
]


class Migration(migrations.Migration):
    dependencies = [("flows", "0002_initial"), ("viewflow", "0015_task_scheduled")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES
    ]
