"""The tamper-evident history: a keyed hash chain per case with its head and
length kept on the case, rows that cannot be changed or deleted, and
verify_history naming what is wrong."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from cases import history
from cases.models import Case, CaseHistory

from .scenarios import complete, register
from .tampering import tamper


def _walk(street_officer, lead_officer):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    return case


def test_rows_chain_to_their_predecessor(street_officer, lead_officer):
    case = _walk(street_officer, lead_officer)
    rows = list(CaseHistory.objects.filter(case_id=case["id"]).order_by("seq"))
    assert rows[0].prev_hash == "" and len(rows[0].hash) == 64 and [r.seq for r in rows] == list(range(1, len(rows) + 1))
    for previous, row in zip(rows, rows[1:]):
        assert row.prev_hash == previous.hash and row.hash == history.row_digest(row)
    stored = Case.objects.get(pk=case["id"])
    assert (stored.history_head, stored.history_length) == (rows[-1].hash, len(rows))
    out = StringIO()
    call_command("verify_history", stdout=out)
    assert "every chain is intact" in out.getvalue() and f"{len(rows)} history rows in 1 cases" in out.getvalue()


@pytest.mark.parametrize("statement", [
    "UPDATE cases_casehistory SET note = 'rewritten'",
    "DELETE FROM cases_casehistory",
])
def test_the_database_refuses_to_change_or_delete_history(street_officer, lead_officer, statement):
    _walk(street_officer, lead_officer)
    # the trigger says so; the runtime role (CI) is refused before it, having no such privilege
    with pytest.raises(DatabaseError, match="never changed or deleted|permission denied"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            CaseHistory.objects.update(note="x")


def test_the_chain_cannot_fork(street_officer, lead_officer):
    case = _walk(street_officer, lead_officer)
    last = CaseHistory.objects.filter(case_id=case["id"]).order_by("-seq").first()
    twin = CaseHistory(case_id=case["id"], seq=last.seq, at=last.at, action="forged", prev_hash=last.prev_hash)
    twin.hash = history.row_digest(twin)
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save(force_insert=True)


# Tampering needs committed rows (on PostgreSQL it runs on a superuser's connection of its own).
tampering = pytest.mark.django_db(transaction=True)


@tampering
def test_verify_history_names_a_changed_row(street_officer, lead_officer):
    case = _walk(street_officer, lead_officer)
    confirm = CaseHistory.objects.get(case_id=case["id"], action="confirm")
    tamper(("UPDATE cases_casehistory SET note = %s WHERE id = %s", ["篡改", confirm.pk]))
    with pytest.raises(CommandError, match=f"history row {confirm.pk} .*changed"):
        call_command("verify_history", stdout=StringIO(), stderr=StringIO())


@tampering
def test_verify_history_names_a_deleted_row(street_officer, lead_officer):
    case = _walk(street_officer, lead_officer)
    first = CaseHistory.objects.filter(case_id=case["id"]).order_by("seq").first()
    following = CaseHistory.objects.filter(case_id=case["id"]).order_by("seq")[1]
    tamper(("DELETE FROM cases_casehistory WHERE id = %s", [first.pk]))
    with pytest.raises(CommandError, match=f"history row {following.pk} .*a row is missing"):
        call_command("verify_history", stdout=StringIO(), stderr=StringIO())


@tampering
def test_verify_history_sees_the_tail_deleted(street_officer, lead_officer):
    case = _walk(street_officer, lead_officer)
    last = CaseHistory.objects.filter(case_id=case["id"]).order_by("-seq").first()
    tamper(("DELETE FROM cases_casehistory WHERE id = %s", [last.pk]))
    with pytest.raises(CommandError, match=f"case {case['number']}: the case records {last.seq} history rows"):
        call_command("verify_history", stdout=StringIO(), stderr=StringIO())


@tampering
def test_verify_history_sees_a_case_whose_whole_history_was_deleted(street_officer, lead_officer):
    case = _walk(street_officer, lead_officer)
    tamper(("DELETE FROM cases_casehistory WHERE case_id = %s", [case["id"]]))
    with pytest.raises(CommandError, match=f"case {case['number']}: the case records"):
        call_command("verify_history", stdout=StringIO(), stderr=StringIO())


@tampering
def test_verify_history_sees_a_chain_recomputed_without_the_key(street_officer, lead_officer, settings):
    """Whoever edits a row and recomputes the chain with a key of their own
    (they cannot read HISTORY_KEY) is found out."""
    case = _walk(street_officer, lead_officer)
    rows = list(CaseHistory.objects.filter(case_id=case["id"]).order_by("seq"))
    key, settings.HISTORY_KEY = settings.HISTORY_KEY, "the attacker's guess"
    previous = ""
    for row in rows:
        row.note = "篡改" if row.action == "confirm" else row.note
        row.prev_hash = previous
        previous = row.hash = history.row_digest(row)
        tamper(("UPDATE cases_casehistory SET note = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [row.note, row.prev_hash, row.hash, row.pk]))
    Case.objects.filter(pk=case["id"]).update(history_head=previous)
    settings.HISTORY_KEY = key
    with pytest.raises(CommandError, match=f"case {case['number']}: history row {rows[0].pk} .*its content does not"):
        call_command("verify_history", stdout=StringIO(), stderr=StringIO())
