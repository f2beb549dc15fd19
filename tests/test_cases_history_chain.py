"""The tamper-evident history: a hash chain per case, rows that cannot be
changed or deleted, and verify_history naming the first broken row."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from cases.models import CaseHistory

from .scenarios import complete, register


def _walk(street_officer, lead_officer):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    return case


def test_rows_chain_to_their_predecessor(street_officer, lead_officer):
    case = _walk(street_officer, lead_officer)
    rows = list(CaseHistory.objects.filter(case_id=case["id"]).order_by("id"))
    assert rows[0].prev_hash == "" and len(rows[0].hash) == 64
    for previous, row in zip(rows, rows[1:]):
        assert row.prev_hash == previous.hash and row.hash == row.compute_hash()
    out = StringIO()
    call_command("verify_history", stdout=out)
    assert "every chain is intact" in out.getvalue() and f"{len(rows)} history rows in 1 cases" in out.getvalue()


@pytest.mark.parametrize("statement", [
    "UPDATE cases_casehistory SET note = 'rewritten'",
    "DELETE FROM cases_casehistory",
])
def test_the_database_refuses_to_change_or_delete_history(street_officer, lead_officer, statement):
    _walk(street_officer, lead_officer)
    with pytest.raises(DatabaseError, match="never changed or deleted"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            CaseHistory.objects.update(note="x")


def test_the_chain_cannot_fork(street_officer, lead_officer):
    case = _walk(street_officer, lead_officer)
    last = CaseHistory.objects.filter(case_id=case["id"]).order_by("-id").first()
    twin = CaseHistory(case_id=case["id"], at=last.at, action="forged", prev_hash=last.prev_hash)
    twin.hash = twin.compute_hash()
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save(force_insert=True)


def _without_triggers(sql, params=()):
    """Tamper as an attacker with database access would: triggers dropped."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush pending FK checks before ALTER TABLE
            cursor.execute("ALTER TABLE cases_casehistory DISABLE TRIGGER cases_history_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE cases_casehistory ENABLE TRIGGER cases_history_append_only")
        else:
            cursor.execute("DROP TRIGGER cases_history_no_update")
            cursor.execute("DROP TRIGGER cases_history_no_delete")
            cursor.execute(sql, params)
            cursor.execute("CREATE TRIGGER cases_history_no_update BEFORE UPDATE ON cases_casehistory "
                           "BEGIN SELECT RAISE(ABORT, 'case history rows are never changed or deleted'); END")
            cursor.execute("CREATE TRIGGER cases_history_no_delete BEFORE DELETE ON cases_casehistory "
                           "BEGIN SELECT RAISE(ABORT, 'case history rows are never changed or deleted'); END")


def test_verify_history_names_a_changed_row(street_officer, lead_officer):
    case = _walk(street_officer, lead_officer)
    confirm = CaseHistory.objects.get(case_id=case["id"], action="confirm")
    _without_triggers("UPDATE cases_casehistory SET note = %s WHERE id = %s", ["篡改", confirm.pk])
    with pytest.raises(CommandError, match=f"history row {confirm.pk} .*changed"):
        call_command("verify_history", stdout=StringIO(), stderr=StringIO())


def test_verify_history_names_a_deleted_row(street_officer, lead_officer):
    case = _walk(street_officer, lead_officer)
    first = CaseHistory.objects.filter(case_id=case["id"]).order_by("id").first()
    following = CaseHistory.objects.filter(case_id=case["id"]).order_by("id")[1]
    _without_triggers("DELETE FROM cases_casehistory WHERE id = %s", [first.pk])
    with pytest.raises(CommandError, match=f"history row {following.pk} .*does not follow"):
        call_command("verify_history", stdout=StringIO(), stderr=StringIO())
