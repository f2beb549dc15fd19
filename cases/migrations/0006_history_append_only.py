"""History rows are never updated or deleted: a trigger refuses it, on
PostgreSQL and on SQLite alike."""
from django.db import migrations

MESSAGE = "case history rows are never changed or deleted"

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION cases_history_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER cases_history_append_only BEFORE UPDATE OR DELETE ON cases_casehistory
        FOR EACH ROW EXECUTE FUNCTION cases_history_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_history_append_only ON cases_casehistory",
    "DROP FUNCTION IF EXISTS cases_history_append_only()",
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


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_history_hash_chain")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
