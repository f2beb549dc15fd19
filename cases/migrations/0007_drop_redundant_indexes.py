"""Drop the single-column index on casehistory.case: (case, id) and the chain
constraint (case, prev_hash) already cover it, and every index costs each of
the escalation scan's bulk inserts. SQLite alters the field by rebuilding the
table, which drops its triggers, so they are created again."""
import importlib

import django.db.models.deletion
from django.db import migrations, models

append_only = importlib.import_module("cases.migrations.0006_history_append_only")


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_history_append_only")]
    operations = [
        migrations.AlterField(
            model_name="casehistory",
            name="case",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="history", to="cases.case"),
        ),
        migrations.RunPython(append_only._run({"sqlite": append_only.SQLITE}), migrations.RunPython.noop),
    ]
