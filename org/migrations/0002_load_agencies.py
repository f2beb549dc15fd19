"""The agencies are reference data: loaded here (org/data/agencies.json)."""
from django.db import migrations


def load(apps, schema_editor):
    from org.services import load_agencies

    load_agencies(apps.get_model("org", "Agency"))


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
