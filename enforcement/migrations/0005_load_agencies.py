"""The agencies are reference data: loaded here (enforcement/data/agencies.json)."""
from django.db import migrations


def load(apps, schema_editor):
    from enforcement.services import load_agencies

    load_agencies(apps.get_model("enforcement", "Agency"))


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0004_alter_agency_kind")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
