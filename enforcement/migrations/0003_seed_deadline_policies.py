"""Seed the deadline policy with DESIGN.md's defaults (editable in the admin)."""
from django.db import migrations

DEFAULTS = [
    ("verify", 3, ""),
    ("consult", 5, ""),
    ("inspect", 5, ""),
    ("decide", 3, "应急〔2019〕54号 第七条：3日内作出是否移送的决定"),
    ("police_review", 3, "应急〔2019〕54号：公安机关3日内决定是否立案"),
    ("order", 3, ""),
    ("review", 10, "国家安监总局令第16号：整改期满后10日内复查"),
    ("close", 3, ""),
    ("accept_handoff", 2, ""),
    ("settle_lead", 3, ""),
    ("supervise", 5, ""),
]


def seed(apps, schema_editor):
    Policy = apps.get_model("enforcement", "DeadlinePolicy")
    for step, days, basis in DEFAULTS:
        Policy.objects.get_or_create(kind="", grade="", step=step, defaults={"working_days": days, "basis": basis})


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0002_calendar_policy_outbox")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
