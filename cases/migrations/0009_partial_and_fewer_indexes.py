"""History: index actor and agency only where they are set (the escalation
scan's rows have neither, and write thousands at a time). SQLite alters the
fields by rebuilding the table, which drops its triggers: created again."""
import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

append_only = importlib.import_module("cases.migrations.0006_history_append_only")


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_case_indexes_and_fillfactor'),
        ('enforcement', '0005_load_agencies'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='casehistory',
            name='actor',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor'),
        ),
        migrations.AlterField(
            model_name='casehistory',
            name='agency',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='enforcement.agency', verbose_name='agency'),
        ),
        migrations.AddIndex(
            model_name='casehistory',
            index=models.Index(condition=models.Q(('actor__isnull', False)), fields=['actor'], name='casehistory_actor_idx'),
        ),
        migrations.AddIndex(
            model_name='casehistory',
            index=models.Index(condition=models.Q(('agency__isnull', False)), fields=['agency'], name='casehistory_agency_idx'),
        ),
        migrations.RunPython(append_only._run({"sqlite": append_only.SQLITE}), migrations.RunPython.noop),
    ]
