"""The document types and each agency's numbering pattern (enforcement/data/)."""
from django.db import migrations


def load(apps, schema_editor):
    from enforcement.reference import load_document_types, load_numbering

    load_document_types(apps.get_model("enforcement", "DocumentType"))
    load_numbering(apps.get_model("enforcement", "NumberingRule"), apps.get_model("org", "Agency"))


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0003_documents"), ("org", "0003_agency_official_name_user_credential")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
