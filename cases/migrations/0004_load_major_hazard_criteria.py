"""Load the twenty major-hazard criteria (reference/major-hazard-criteria.md)."""
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "major_hazard_criteria.json"


def load(apps, schema_editor):
    Criterion = apps.get_model("cases", "MajorHazardCriterion")
    for item in json.loads(DATA.read_text(encoding="utf-8"))["criteria"]:
        Criterion.objects.update_or_create(number=item["number"], defaults={"text": item["text"]})


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_trail_evidence_intake")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
