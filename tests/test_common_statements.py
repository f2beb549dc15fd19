"""Inside ``server_prepared()`` the ORM's statements run prepared on the server
(``common.statements``) and read and write what they would plainly: a statement
PostgreSQL cannot prepare, an integer its parameter cannot hold, a logged
statement and one outside a transaction run plainly, and the transaction plans
them as PostgreSQL sees fit."""
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from common import statements
from common.statements import server_prepared
from flows.models import CaseTask
from org.models import Agency, User

from .conftest import requires_postgres
from .factories import officer


@pytest.fixture
def postgres():
    requires_postgres()


def _on_server() -> dict[str, str]:
    """This module's statements prepared on the connection: name -> SQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'server_prepared_%%'")
        return dict(cursor.fetchall())


def _people(code):
    return list(User.objects.filter(agency__code=code, is_active=True).order_by("username")
                .values_list("username", flat=True))


def test_a_statement_seen_before_runs_prepared_and_reads_what_it_reads_plainly(postgres):
    officer("emergency"), officer("emergency"), officer("police")
    plainly = {code: _people(code) for code in ("emergency", "police", "safety_office")}
    before = set(_on_server())
    with server_prepared():
        read = {code: _people(code) for code in ("emergency", "police", "safety_office", "emergency")}
    assert read == plainly and len(plainly["emergency"]) == 2
    added = {name: sql for name, sql in _on_server().items() if name not in before}
    assert any('FROM "org_user"' in sql and "$1" in sql for sql in added.values())


def test_writes_run_prepared_and_commit_or_roll_back_with_their_transaction(postgres):
    with server_prepared():
        for code in ("x1", "x2", "x3"):
            Agency.objects.create(code=code, name=f"Agency {code}")
        try:
            with transaction.atomic():
                Agency.objects.create(code="x4", name="Agency x4")
                raise RuntimeError
        except RuntimeError:
            pass
        Agency.objects.filter(code="x2").update(name="renamed")
    assert dict(Agency.objects.filter(code__startswith="x").values_list("code", "name")) == {
        "x1": "Agency x1", "x2": "renamed", "x3": "Agency x3"}
    assert any('AS INSERT INTO "org_agency"' in sql for sql in _on_server().values())


def test_a_statement_postgresql_cannot_prepare_runs_plainly_and_the_transaction_goes_on(postgres):
    untyped = "SELECT %s IS NULL"  # a parameter standing alone: PREPARE cannot infer its type
    with server_prepared():
        with connection.cursor() as cursor:
            for value in (None, 1, None):
                cursor.execute(untyped, [value])
                assert cursor.fetchone() == (value is None,)
        assert _people("emergency") == []  # the transaction was not aborted
    assert statements._plans[untyped] is None


def test_an_integer_too_large_for_its_parameter_runs_plainly(postgres):
    with server_prepared():
        for level in (1, 2, 40_000, 10**12, 3):  # escalation_level is a smallint
            assert list(CaseTask.objects.filter(escalation_level=level).values_list("pk", flat=True)) == []


def test_a_literal_percent_survives_preparing(postgres):
    with server_prepared():
        for _ in range(3):
            rows = list(User.objects.filter(username__startswith="nobody").extra(select={"share": "'100%%'"})
                        .values_list("share", flat=True))
            shares = list(Agency.objects.filter(code="emergency").extra(select={"share": "'100%%'"})
                          .values_list("share", flat=True))
            assert rows == [] and shares == ["100%"]


@pytest.mark.django_db(transaction=True)
def test_the_transaction_plans_them_as_postgresql_sees_fit_and_only_the_transaction(postgres):
    def mode():
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            return cursor.fetchone()[0]

    with transaction.atomic():
        with server_prepared():
            _people("emergency")
            assert mode() == "auto"
    assert mode() == "force_generic_plan"


def test_nothing_is_prepared_while_statements_are_logged(postgres):
    with server_prepared(), CaptureQueriesContext(connection) as logged:
        for _ in range(3):
            _people("police")
    assert [query["sql"][:7] for query in logged] == ["SELECT "] * 3


@pytest.mark.django_db(transaction=True)
def test_nothing_is_prepared_outside_a_transaction(postgres):
    before = set(_on_server())
    with server_prepared():
        for _ in range(3):
            _people("police")
    assert not connection.in_atomic_block and set(_on_server()) == before


def test_past_the_cap_every_statement_is_dropped(postgres, monkeypatch):
    monkeypatch.setattr(statements, "MAX_ON_SERVER", 2)
    with server_prepared():
        for _ in range(2):
            for code in ("emergency", "police", "safety_office"):
                _people(code)
                list(Agency.objects.filter(code=code).values_list("pk", flat=True))
                list(User.objects.filter(username=code).values_list("pk", flat=True))
            assert len(statements.on_server(connection)) <= 2
    assert len(_on_server()) <= 2


def test_a_connection_a_request_prepares_nothing(postgres):
    connection.settings_dict["CONN_MAX_AGE"], age = 0, connection.settings_dict["CONN_MAX_AGE"]
    try:
        before = set(_on_server())
        with server_prepared():
            for _ in range(3):
                _people("emergency")
        assert set(_on_server()) == before
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = age
