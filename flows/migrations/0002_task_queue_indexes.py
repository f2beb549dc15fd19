"""Partial indexes on viewflow's task table for the inbox and the queue
(VIEWFLOW-NOTES, "Speed"): open human tasks by queue, and assigned tasks by owner."""
from django.db import migrations

INDEXES = [
    ("flows_task_queue_idx",
     "viewflow_task (owner_permission, created DESC) WHERE status = 'NEW' AND flow_task_type = 'HUMAN'"),
    ("flows_task_inbox_idx",
     "viewflow_task (owner_id, created DESC) WHERE status IN ('ASSIGNED', 'STARTED')"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("flows", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES
    ]
