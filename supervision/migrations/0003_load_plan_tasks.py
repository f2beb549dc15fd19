"""Load the plan's 22 key tasks (supervision/data/plan_tasks.json, drawn from
the plan text supervision/data/nankai-plan-2022.txt)."""
from django.db import migrations


def load(apps, schema_editor):
    from supervision.plan import load_plan_tasks

    load_plan_tasks(
        apps.get_model("supervision", "PlanTask"),
        apps.get_model("supervision", "PlanTaskAgency"),
        apps.get_model("enforcement", "Agency"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0002_plan_and_reports"),
        ("enforcement", "0005_load_agencies"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
