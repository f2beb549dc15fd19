"""The district's road transport authority (区交通运输局, the hazmat road
transport kind) joins the agencies, and the penalty procedure's time limits
join the limits (org/data/)."""
from django.db import migrations


def load(apps, schema_editor):
    from org.limits import load_limits
    from org.services import load_agencies

    load_agencies(apps.get_model("org", "Agency"))
    load_limits(apps.get_model("org", "TimeLimit"))


class Migration(migrations.Migration):
    dependencies = [("org", "0007_notification_preferences_robots")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
