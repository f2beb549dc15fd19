"""The triggers that keep ``cases_enterpriseaccess`` (``EnterpriseAccess``: the
agencies that see an enterprise through its cases) equal to what
``cases_caseaccess`` and the cases' enterprises say; migration 0010 fills the
table and creates them. The project runs on PostgreSQL and SQLite, both with
row triggers; each gets its own dialect.

- An access row written (``cases.services.grant_access_many``, the one writer)
  adds the pair of its agency and its case's enterprise, if the case names one.
  ``ON CONFLICT DO NOTHING`` on the access row means no trigger for a grant the
  agency already had, so a completion's grant costs nothing more.
- A case's enterprise changed (no code does it today: it is set once at
  registration) adds the pairs of the case's agencies with the new enterprise
  and withdraws those with the old one that no other case supports.

Access is never withdrawn (no code deletes a ``CaseAccess`` row; a case with
history cannot be deleted), so there is no trigger on delete.

On SQLite, a migration that rebuilds ``cases_case`` or ``cases_caseaccess``
(most AlterField operations) fails with "error in trigger ...: no such table"
at the rename: wrap its operations in ``around_rebuild`` (as
``flows.box_mirror``).
"""
from django.db import migrations

from common.vendor_sql import per_vendor

# every pair, once (migration 0010)
FILL = ("INSERT INTO cases_enterpriseaccess (agency_id, enterprise_id) SELECT DISTINCT a.agency_id, c.enterprise_id "
        "FROM cases_caseaccess a JOIN cases_case c ON c.id = a.case_id WHERE c.enterprise_id IS NOT NULL")

ADD = ("SELECT NEW.agency_id, c.enterprise_id FROM cases_case c "
       "WHERE c.id = NEW.case_id AND c.enterprise_id IS NOT NULL")
ADD_OF_CASE = ("SELECT a.agency_id, NEW.enterprise_id FROM cases_caseaccess a "
               "WHERE a.case_id = NEW.id AND NEW.enterprise_id IS NOT NULL")
WITHDRAW = ("DELETE FROM cases_enterpriseaccess WHERE enterprise_id = OLD.enterprise_id "
            "AND agency_id IN (SELECT agency_id FROM cases_caseaccess WHERE case_id = NEW.id) "
            "AND NOT EXISTS (SELECT 1 FROM cases_caseaccess a JOIN cases_case c ON c.id = a.case_id "
            "WHERE a.agency_id = cases_enterpriseaccess.agency_id AND c.enterprise_id = OLD.enterprise_id)")
INTO = "INSERT INTO cases_enterpriseaccess (agency_id, enterprise_id)"

CREATE = {
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION cases_enterprise_access_grant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {INTO} {ADD} ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$""",
        f"""CREATE OR REPLACE FUNCTION cases_enterprise_access_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {WITHDRAW};
    {INTO} {ADD_OF_CASE} ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$""",
        "DROP TRIGGER IF EXISTS cases_enterprise_access_grant ON cases_caseaccess",
        """CREATE TRIGGER cases_enterprise_access_grant AFTER INSERT ON cases_caseaccess
FOR EACH ROW EXECUTE FUNCTION cases_enterprise_access_grant()""",
        "DROP TRIGGER IF EXISTS cases_enterprise_access_move ON cases_case",
        """CREATE TRIGGER cases_enterprise_access_move AFTER UPDATE OF enterprise_id ON cases_case
FOR EACH ROW WHEN (OLD.enterprise_id IS DISTINCT FROM NEW.enterprise_id) EXECUTE FUNCTION cases_enterprise_access_move()""",
    ],
    "sqlite": [
        f"""CREATE TRIGGER IF NOT EXISTS cases_enterprise_access_grant AFTER INSERT ON cases_caseaccess
FOR EACH ROW
BEGIN
    {INTO.replace("INSERT", "INSERT OR IGNORE")} {ADD};
END""",
        f"""CREATE TRIGGER IF NOT EXISTS cases_enterprise_access_move AFTER UPDATE OF enterprise_id ON cases_case
FOR EACH ROW WHEN OLD.enterprise_id IS NOT NEW.enterprise_id
BEGIN
    {WITHDRAW};
    {INTO.replace("INSERT", "INSERT OR IGNORE")} {ADD_OF_CASE};
END""",
    ],
}
DROP = {
    "postgresql": ["DROP TRIGGER IF EXISTS cases_enterprise_access_grant ON cases_caseaccess",
                   "DROP TRIGGER IF EXISTS cases_enterprise_access_move ON cases_case",
                   "DROP FUNCTION IF EXISTS cases_enterprise_access_grant()",
                   "DROP FUNCTION IF EXISTS cases_enterprise_access_move()"],
    "sqlite": ["DROP TRIGGER IF EXISTS cases_enterprise_access_grant",
               "DROP TRIGGER IF EXISTS cases_enterprise_access_move"],
}


def fill(apps, schema_editor):
    schema_editor.execute(FILL)


def create_triggers() -> migrations.RunPython:
    return migrations.RunPython(per_vendor(CREATE), per_vendor(DROP))


def around_rebuild(*operations) -> list:
    """``operations`` that rebuild cases_case or cases_caseaccess on SQLite, with
    the triggers set aside meanwhile (on SQLite only: PostgreSQL alters in place)."""
    aside = migrations.RunPython(per_vendor(DROP, only=("sqlite",)), per_vendor(CREATE, only=("sqlite",)))
    back = migrations.RunPython(per_vendor(CREATE, only=("sqlite",)), per_vendor(DROP, only=("sqlite",)))
    return [aside, *operations, back]
