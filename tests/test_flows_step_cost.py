"""What one step writes, and in how many statements (docs/performance.md,
"the completion path"): the case's history chain appended from the head its
locked row was read with, the head written once, a gateway's task inserted
once, done; and every invariant the longer path kept."""
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.status import STATUS

from cases.history import chain_held
from cases.integrity import verify_chains
from cases.models import Case, CaseHistory
from flows import services
from flows.models import CaseTask
from flows.nodes import chosen_branch

from .scenarios import complete, register, task_id


# A hazard's verification confirmed: lock and read (4), the step's history row and the
# inspection record (number, document, its history row: 4), the task done (2), the Switch
# gateway (its task, CaseTask and link rows: one statement on PostgreSQL, three on SQLite,
# flows.task_rows), the order step's task (likewise) with its arrival and the officers told at
# once (3 or 5; its access is the row the officer saw the case through, cases.services.access_known),
# the case's due time and the case (2). Reference tables (deadline policy, calendar, document
# types, criteria) come from the in-memory cache.
def confirm_statements() -> int:
    return 16 if connection.vendor == "postgresql" else 20


def _task_insert() -> str:
    """How a new task's rows begin (flows.task_rows)."""
    return 'WITH t AS (INSERT INTO "viewflow_task"' if connection.vendor == "postgresql" else 'INSERT INTO "viewflow_task"'


def _warm(user, case):
    """One step first, so that the reference caches hold what every step reads."""
    complete(user, case["id"], "verify", "confirm", grade="general")


def _statements(queries) -> list[str]:
    return [q["sql"] for q in queries if not q["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))]


def _as_written(sql: str) -> str:
    """A statement's SQL: a read compiled once (common.prepared) is logged as the EXECUTE of a
    statement prepared on the server, read back from there."""
    if sql.startswith("EXECUTE "):
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s",
                           [re.match(r"EXECUTE (\w+)", sql)[1]])
            sql = cursor.fetchone()[0]
    return re.sub(r"^PREPARE \w+ AS (.*?)(; EXECUTE .*)?$", r"\1", sql, flags=re.S)


@pytest.mark.django_db(transaction=True)
def test_a_confirmed_verification_costs_its_statements_and_keeps_the_chain(street_officer, lead_officer):
    _warm(lead_officer, register(street_officer))
    case = register(street_officer)
    verify = task_id(case["id"], "verify")

    with CaptureQueriesContext(connection) as queries:
        services.complete_task(user=lead_officer, task_id=verify, action="confirm", data={"grade": "general"})

    sql = [_as_written(q["sql"]) for q in queries]
    assert not [s for s in sql if s.startswith("SAVEPOINT")], "a step opens no savepoint"
    assert len(_statements(queries)) == confirm_statements(), "\n".join(_statements(queries))
    # the head is read once, with the case's lock, and written once, with the case
    assert sum('"history_head"' in s and s.startswith("SELECT") and "cases_casehistory" not in s
               for s in sql) == 1
    assert sum(s.startswith('UPDATE "cases_case"') for s in sql) == 1
    assert not [s for s in sql if "caseprocess" in s and not s.startswith("SELECT")], "the process is not written"
    assert not [s for s in sql if "cases_caseaccess" in s and not s.startswith("SELECT")], "the access is known"
    # the document's number is drawn after the step's tasks are written: its sequence row stays
    # locked until the commit, so the agency's other steps wait as little as may be
    numbered = next(i for i, s in enumerate(sql) if "enforcement_documentsequence" in s)
    assert numbered > max(i for i, s in enumerate(sql) if s.startswith('INSERT INTO "flows_taskarrival"'))
    assert [s.split()[0] for s in sql[numbered:] if not s.startswith("COMMIT")] == [
        "INSERT", "INSERT", "INSERT", "SELECT", "UPDATE"], "number, document, its history row, due time, case"
    row = Case.objects.get(pk=case["id"])
    rows = list(CaseHistory.objects.filter(case_id=row.pk).order_by("seq"))
    assert [r.action for r in rows] == ["register", "confirm", "document_issued"]
    assert (row.history_head, row.history_length) == (rows[-1].hash, 3)
    assert verify_chains().broken == []


@pytest.mark.django_db(transaction=True)
def test_the_gateway_is_written_once_done_and_linked(street_officer, lead_officer):
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    with CaptureQueriesContext(connection) as queries:
        services.complete_task(user=lead_officer, task_id=verify, action="confirm", data={"grade": "general"})

    gateway = CaseTask.objects.get(case_id=None, process_id=CaseTask.objects.get(pk=verify).process_id,
                                   flow_task_type="SWITCH")
    order = CaseTask.objects.get(pk=task_id(case["id"], "order"))
    assert gateway.status == STATUS.DONE and gateway.finished is not None
    assert list(gateway.previous.values_list("pk", flat=True)) == [verify]
    assert list(order.previous.values_list("pk", flat=True)) == [gateway.pk]
    writes = [q["sql"] for q in queries if "after_verify" in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith(_task_insert())


@pytest.mark.django_db(transaction=True)
def test_a_claim_writes_the_head_it_appended_without_saving_the_case(street_officer, lead_officer):
    case = register(street_officer)
    services.claim_task(user=lead_officer, task_id=task_id(case["id"], "verify"))
    row = Case.objects.get(pk=case["id"])
    last = CaseHistory.objects.filter(case_id=row.pk).latest("seq")
    assert last.action == "claim" and (row.history_head, row.history_length) == (last.hash, last.seq)
    assert verify_chains().broken == []


@pytest.mark.django_db(transaction=True)
def test_a_step_failing_after_its_history_row_leaves_neither_row_nor_head(street_officer, lead_officer):
    case = register(street_officer)
    before = Case.objects.get(pk=case["id"])
    with pytest.raises(RuntimeError, match="fails"), transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case["id"])
        with chain_held(locked):
            locked.record(actor=lead_officer, action="comment", note="rolled back")
            raise RuntimeError("the step fails after its history row")
    row = Case.objects.get(pk=case["id"])
    assert (row.history_head, row.history_length) == (before.history_head, before.history_length)
    assert CaseHistory.objects.filter(case_id=row.pk).count() == before.history_length
    assert verify_chains().broken == []


@pytest.mark.django_db(transaction=True)
def test_holding_a_chain_outside_the_transaction_that_locked_it_is_refused(street_officer):
    case = Case.objects.get(pk=register(street_officer)["id"])
    with pytest.raises(RuntimeError, match="transaction"), chain_held(case):
        pass


def test_a_switch_chooses_the_first_true_branch_else_its_default_wherever_declared():
    yes, no = (lambda activation: True), (lambda activation: False)
    assert chosen_branch([("a", no), ("b", yes), ("c", None)], None) == "b"
    assert chosen_branch([("default", None), ("b", yes)], None) == "b"
    assert chosen_branch([("a", no), ("default", None)], None) == "default"
    assert chosen_branch([("a", no)], None) is None


@pytest.mark.django_db(transaction=True)
def test_a_steps_statements_run_prepared_on_the_server_once_seen(street_officer, lead_officer):
    from .conftest import requires_postgres
    requires_postgres()
    for _ in range(3):
        case = register(street_officer)
        services.complete_task(user=lead_officer, task_id=task_id(case["id"], "verify"), action="confirm",
                               data={"grade": "general"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'server_prepared_%%'")
        prepared = [row[0] for row in cursor.fetchall()]
    for written in ('INSERT INTO "cases_casehistory"', 'INSERT INTO "enforcement_document"',
                    'WITH t AS (INSERT INTO "viewflow_task"', 'UPDATE "flows_casetask"', 'UPDATE "cases_case"'):
        assert any(written in statement for statement in prepared), written
    row = Case.objects.get(pk=case["id"])
    assert [r.action for r in CaseHistory.objects.filter(case_id=row.pk).order_by("seq")] == [
        "register", "confirm", "document_issued"]
    assert verify_chains().broken == []


def test_an_access_row_is_written_unless_the_step_read_it(street_officer, lead_officer, police_officer):
    """A step's officer saw the case through their agency's access row; another agency's is written."""
    from cases.models import CaseAccess
    from cases.services import access_known, grant_access

    case_id = register(street_officer)["id"]
    police = police_officer.agency_id
    with CaptureQueriesContext(connection) as queries, access_known([(case_id, lead_officer.agency_id)]):
        grant_access(case_id=case_id, agency_ids=[lead_officer.agency_id])
    assert queries.captured_queries == []
    with access_known([(case_id, lead_officer.agency_id)]):
        grant_access(case_id=case_id, agency_ids=[lead_officer.agency_id, police])
    assert CaseAccess.objects.filter(case_id=case_id, agency_id=police).exists()
    with access_known([(case_id + 1, police)]):  # another case's row vouches for nothing here
        grant_access(case_id=case_id, agency_ids=[street_officer.agency_id])
    assert CaseAccess.objects.filter(case_id=case_id, agency_id=street_officer.agency_id).count() == 1
