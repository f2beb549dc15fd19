"""Reference data and the guarantees the database itself gives:

- the twenty major-hazard criteria (安监总管三〔2017〕121号, cases/data/);
- history rows are never updated or deleted: a trigger refuses it, on
  PostgreSQL and on SQLite alike (SQLite rebuilds a table to alter a column,
  which drops its triggers: a later migration that alters the history table
  must create them again);
- on PostgreSQL, cases keep 10% of each page free, so that an update that
  changes no indexed column (the scan raising supervision_level, a history
  head moving) stays on its page (a HOT update).
"""
import json
from pathlib import Path

from django.db import migrations

from common.vendor_sql import per_vendor

DATA = Path(__file__).resolve().parent.parent / "data" / "major_hazard_criteria.json"
MESSAGE = "case history rows are never changed or deleted"

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION cases_history_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER cases_history_append_only BEFORE UPDATE OR DELETE ON cases_casehistory
        FOR EACH ROW EXECUTE FUNCTION cases_history_append_only()""",
    "ALTER TABLE cases_case SET (fillfactor = 90)",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_history_append_only ON cases_casehistory",
    "DROP FUNCTION IF EXISTS cases_history_append_only()",
    "ALTER TABLE cases_case SET (fillfactor = 100)",
]
SQLITE = [
    f"""CREATE TRIGGER IF NOT EXISTS cases_history_no_update BEFORE UPDATE ON cases_casehistory
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS cases_history_no_delete BEFORE DELETE ON cases_casehistory
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_history_no_update",
    "DROP TRIGGER IF EXISTS cases_history_no_delete",
]


def load_criteria(apps, schema_editor):
    criterion = apps.get_model("cases", "MajorHazardCriterion")
    for item in json.loads(DATA.read_text(encoding="utf-8"))["criteria"]:
        criterion.objects.update_or_create(number=item["number"], defaults={"text": item["text"]})


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [
        migrations.RunPython(load_criteria, migrations.RunPython.noop),
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES, "sqlite": SQLITE}),
            per_vendor({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
