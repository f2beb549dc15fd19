"""The inbox index names the human tasks too, as the queue index does, so that
counting a user's open tasks (selectors.count_in_box) is answered from the
index alone instead of reading each task row for its type."""
from django.db import migrations

OLD = "viewflow_task (owner_id, created DESC) WHERE status IN ('ASSIGNED', 'STARTED')"
NEW = "viewflow_task (owner_id, created DESC) WHERE status IN ('ASSIGNED', 'STARTED') AND flow_task_type = 'HUMAN'"


class Migration(migrations.Migration):
    dependencies = [("flows", "0004_partial_and_fewer_indexes")]
    operations = [
        migrations.RunSQL(
            sql=["DROP INDEX IF EXISTS flows_task_inbox_idx", f"CREATE INDEX flows_task_inbox_idx ON {NEW}"],
            reverse_sql=["DROP INDEX IF EXISTS flows_task_inbox_idx", f"CREATE INDEX flows_task_inbox_idx ON {OLD}"],
        )
    ]
