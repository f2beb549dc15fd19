"""Load the plan's 22 key tasks (planning/data/plan_tasks.json, drawn from
the plan text planning/data/nankai-plan-2022.txt)."""
from django.db import migrations


def load(apps, schema_editor):
    from planning.plan import load_plan_tasks

    load_plan_tasks(
        apps.get_model("planning", "PlanTask"),
        apps.get_model("planning", "PlanTaskAgency"),
        apps.get_model("org", "Agency"),
    )


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial"), ("org", "0002_load_agencies")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
