"""CaseTask.case: (case, due_at) covers the single-column index."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0009_partial_and_fewer_indexes'),
        ('flows', '0003_task_clock'),
    ]

    operations = [
        migrations.AlterField(
            model_name='casetask',
            name='case',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='cases.case'),
        ),
    ]
