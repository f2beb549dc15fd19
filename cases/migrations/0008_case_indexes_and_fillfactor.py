"""Cases: drop the single-column indexes on street and lead_agency, which the
(street, -created_at) and (lead_agency, -created_at) indexes cover, and leave
10% of each page free on PostgreSQL, so that an update that changes no indexed
column (the scan raising supervision_level) stays on its page (a HOT update)
instead of writing an entry in each of the table's indexes."""

import django.db.models.deletion
from django.db import migrations, models


def _fillfactor(percent):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE cases_case SET (fillfactor = {percent})")

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_drop_redundant_indexes'),
        ('enforcement', '0005_load_agencies'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='lead_agency',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='led_cases', to='enforcement.agency', verbose_name='lead agency'),
        ),
        migrations.AlterField(
            model_name='case',
            name='street',
            field=models.ForeignKey(db_index=False, limit_choices_to={'kind': 'street'}, on_delete=django.db.models.deletion.PROTECT, related_name='street_cases', to='enforcement.agency', verbose_name='street'),
        ),
        migrations.RunPython(_fillfactor(90), _fillfactor(100)),
    ]
