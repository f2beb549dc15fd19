"""Load the plan's 22 key tasks with the units that report on each
(planning/data/plan_tasks.json, drawn from planning/data/nankai-plan-2022.txt),
and the plan's campaign period: the year 2022, as the plan sets it (an
administrator changes it in the admin). The placeholder units the first
version listed (collectives no one could log in for) go once nothing points
to them."""
import datetime as dt

from django.db import migrations
from django.db.models import ProtectedError


def load(apps, schema_editor):
    from planning.plan import load_plan_tasks

    load_plan_tasks(apps.get_model("planning", "PlanTask"), apps.get_model("planning", "PlanTaskAgency"),
                    apps.get_model("org", "Agency"), related=[])
    apps.get_model("planning", "PlanPeriod").objects.get_or_create(
        pk=1, defaults={"starts_on": dt.date(2022, 1, 1), "ends_on": dt.date(2022, 12, 31)})
    placeholders = ["party_committees", "relevant_departments", "committee_members", "chemical_enterprises",
                    "related_enterprises"]
    for agency in apps.get_model("org", "Agency").objects.filter(code__in=placeholders):
        try:
            agency.delete()
        except ProtectedError:  # something was recorded against it: keep the row
            pass


class Migration(migrations.Migration):
    dependencies = [("planning", "0002_roles_as_the_plan_words_them"), ("org", "0006_agency_committee_member")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
