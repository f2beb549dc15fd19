"""A query compiled once per shape (``common.prepared``) reads what its
queryset reads, for any values; what the stand-ins cannot follow is built
afresh on every read, and a query that can match nothing costs no statement."""
import pytest
from django.db.models import F

from common import prepared, statements
from common.prepared import Prepared
from org.models import Agency, User

from .factories import officer


@pytest.fixture
def staff():
    return [officer(code) for code in ("emergency", "emergency", "police", "street_changhong")]


def _people(agency_ids, **_):
    return User.objects.filter(agency_id__in=agency_ids, is_active=True).order_by("username").values("username", "agency_id")


def _built(build):
    """``build``, and how often it was built."""
    calls = []

    def counted(**kwargs):
        calls.append(kwargs)
        return build(**kwargs)

    return counted, calls


def test_a_shape_is_compiled_once_and_reads_as_its_queryset_for_any_values(staff, django_assert_num_queries):
    build, calls = _built(_people)
    people = Prepared(build)
    for codes in (("emergency", "police"), ("police", "street_changhong"), ("emergency", "street_changhong")):
        ids = tuple(Agency.objects.filter(code__in=codes).values_list("pk", flat=True))
        rows, count = list(_people(ids)), _people(ids).count()
        with django_assert_num_queries(1):
            assert people.rows(agency_ids=ids) == rows
        with django_assert_num_queries(1):
            assert people.count(agency_ids=ids) == count
        assert people.sql(agency_ids=ids) == _people(ids).query.sql_with_params()
    assert len(calls) == 1  # one shape: two agencies
    ids = tuple(Agency.objects.filter(code="emergency").values_list("pk", flat=True))
    assert people.rows(agency_ids=ids) == list(_people(ids)) and len(calls) == 2  # one agency: another shape


def test_shape_arguments_and_sets(staff):
    build, calls = _built(lambda agency_ids, start, stop: _people(agency_ids)[start:stop])
    people = Prepared(build)
    ids = set(Agency.objects.filter(code__in=("emergency", "police")).values_list("pk", flat=True))
    everyone = list(_people(ids))
    assert people.rows(shape={"start": 0, "stop": 2}, agency_ids=ids) == everyone[0:2]
    assert people.rows(shape={"start": 1, "stop": 3}, agency_ids=ids) == everyone[1:3]
    assert people.rows(shape={"start": 0, "stop": 2}, agency_ids=ids) == everyone[0:2]
    assert people.count(shape={"start": 1, "stop": 3}, agency_ids=ids) == 2
    assert len(calls) == 2


def test_a_query_that_matches_nothing_costs_no_statement(staff, django_assert_num_queries):
    people = Prepared(_people)
    with django_assert_num_queries(0):
        assert people.rows(agency_ids=()) == [] and people.count(agency_ids=()) == 0


def test_values_the_sql_does_not_carry_plainly_are_built_on_every_read(staff):
    build, calls = _built(lambda name: User.objects.filter(username__icontains=name).order_by("pk").values("pk"))
    named = Prepared(build)
    for name in (staff[0].username, staff[2].username[:4], "nobody"):
        assert named.rows(name=name) == list(User.objects.filter(username__icontains=name).order_by("pk").values("pk"))
    assert len(calls) == 1 + 3  # the stand-in's compile, then every read


def test_a_value_is_an_int_a_text_or_a_sequence_of_them():
    with pytest.raises(TypeError):
        Prepared(_people).rows(agency_ids=(1.5,))
    with pytest.raises(TypeError):
        Prepared(_people).rows(agency_ids=(True,))


def test_the_shapes_kept_are_bounded(staff, monkeypatch):
    monkeypatch.setattr(prepared, "MAX_SHAPES", 2)
    people = Prepared(lambda agency_ids, stop: _people(agency_ids)[:stop])
    ids = tuple(Agency.objects.filter(code="emergency").values_list("pk", flat=True))
    for stop in range(1, 6):
        assert people.rows(shape={"stop": stop}, agency_ids=ids) == list(_people(ids)[:stop])
        assert len(people._shapes) <= 2


def test_reads_go_where_the_router_sends_the_models_reads(staff, monkeypatch):
    ids = tuple(Agency.objects.filter(code="police").values_list("pk", flat=True))
    expected = list(_people(ids))
    asked = []
    monkeypatch.setattr(prepared.router, "db_for_read", lambda model, **hints: asked.append(model) or "default")
    assert Prepared(_people).rows(agency_ids=ids) == expected and asked == [User]


# --- on PostgreSQL: prepared on the server, once per connection ---------------------------------


def test_a_shape_is_prepared_once_per_connection_and_planned_once(staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import requires_postgres
    requires_postgres()
    people = Prepared(lambda agency_ids: _people(agency_ids).exclude(username="nobody at all"))
    ids = tuple(Agency.objects.filter(code__in=("emergency", "police")).values_list("pk", flat=True))
    expected = list(_people(ids))
    with CaptureQueriesContext(connection) as first:
        assert people.rows(agency_ids=ids) == expected
    with CaptureQueriesContext(connection) as second:
        assert people.rows(agency_ids=ids[::-1]) == expected
    name = people._shapes[next(iter(people._shapes))].page.name
    assert first[0]["sql"].startswith(f"PREPARE {name} AS ") and f"; EXECUTE {name}(" in first[0]["sql"]
    assert second[0]["sql"].startswith(f"EXECUTE {name}(") and len(second) == 1
    # the constants are written into the statement, the values are its parameters
    prepare = first[0]["sql"].split("; EXECUTE")[0]
    assert "'nobody at all'" in prepare and "IN ($1, $2)" in prepare
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans FROM pg_prepared_statements WHERE name = %s", [name])
        assert cursor.fetchone()[0] == 2  # planned once, for any values (plan_cache_mode, config/databases.py)


def test_a_rollback_keeps_the_statement_a_new_connection_prepares_again(staff):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from .conftest import requires_postgres
    requires_postgres()
    people = Prepared(_people)
    ids = tuple(Agency.objects.filter(code="police").values_list("pk", flat=True))
    expected = list(_people(ids))
    try:
        with transaction.atomic():
            assert people.rows(agency_ids=ids) == expected
            raise RuntimeError
    except RuntimeError:
        pass
    with CaptureQueriesContext(connection) as kept:
        assert people.rows(agency_ids=ids) == expected
    assert kept[0]["sql"].startswith("EXECUTE ")
    statements._on_server.pop(connection.connection)  # as a new connection would find it: nothing prepared
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with CaptureQueriesContext(connection) as again:
        assert people.rows(agency_ids=ids) == expected and people.count(agency_ids=ids) == len(expected)
    assert [q["sql"][:8] for q in again] == ["PREPARE ", "PREPARE "]


def test_statements_past_the_cap_are_dropped_and_a_literal_percent_survives(staff, monkeypatch):
    from django.db import connection

    from .conftest import requires_postgres
    requires_postgres()
    monkeypatch.setattr(statements, "MAX_ON_SERVER", 2)
    ids = tuple(Agency.objects.filter(code="emergency").values_list("pk", flat=True))

    def shared(agency_ids, stop):  # extra() is how a literal % reaches the SQL
        return (User.objects.filter(agency_id__in=agency_ids).extra(select={"share": "'100%%'"})
                .order_by("username").values("username", "share")[:stop])

    people = Prepared(shared)
    for stop in range(1, 5):
        rows = people.rows(shape={"stop": stop}, agency_ids=ids)
        assert rows == list(shared(ids, stop))
        assert {row["share"] for row in rows} == {"100%"}
        assert len(statements._on_server[connection.connection]) <= 2


def test_one_connection_a_request_prepares_nothing(staff, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import requires_postgres
    requires_postgres()
    ids = tuple(Agency.objects.filter(code="police").values_list("pk", flat=True))
    connection.settings_dict["CONN_MAX_AGE"], age = 0, connection.settings_dict["CONN_MAX_AGE"]
    try:
        with CaptureQueriesContext(connection) as plain:
            assert Prepared(_people).rows(agency_ids=ids) == list(_people(ids))
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = age
    assert plain[0]["sql"].startswith("SELECT ")


def _officers(agency_id, **_):
    return (User.objects.filter(agency_id=agency_id).select_related("agency").prefetch_related("groups")
            .annotate(agency_code=F("agency__code")).order_by("username"))


def test_objects_are_those_the_queryset_gives(staff, django_assert_num_queries):
    """A shape read as model objects: the row's columns, its select_related objects (read
    with it) and annotations, and its prefetch_related lookups (read after, once)."""
    build, calls = _built(_officers)
    officers = Prepared(build)
    for agency in Agency.objects.filter(code__in=("emergency", "police")):
        expected = list(_officers(agency.pk))
        with django_assert_num_queries(2):  # the officers, then their groups
            found = officers.objects(agency_id=agency.pk)
        with django_assert_num_queries(0):
            assert [(o.pk, o.username, o.agency.code, o.agency_code, list(o.groups.all())) for o in found] == [
                (o.pk, o.username, o.agency.code, o.agency_code, list(o.groups.all())) for o in expected]
        assert all(o._state.db == "default" and not o._state.adding for o in found)
        assert found and found == expected
    assert len(calls) == 1


def test_a_related_managers_objects_are_built_on_every_read(staff):
    """Its objects point back to the one object it was asked of: no shape can keep that."""
    agency = Agency.objects.get(code="emergency")
    build, calls = _built(lambda agency_id: Agency(pk=agency_id).users.order_by("pk"))
    staff_of = Prepared(build)
    assert staff_of.objects(agency_id=agency.pk) == list(User.objects.filter(agency=agency).order_by("pk"))
    assert staff_of.objects(agency_id=agency.pk) and len(calls) == 1 + 2


def test_objects_may_be_given_the_object_they_belong_to(staff, django_assert_num_queries):
    agency = Agency.objects.get(code="emergency")
    members = Prepared(lambda agency_id: User.objects.filter(agency_id=agency_id).order_by("pk"))
    with django_assert_num_queries(1):
        found = members.objects(agency_id=agency.pk, known={"agency": agency})
        assert found and all(member.agency is agency for member in found)  # as agency.users would set it


def test_viewflow_tasks_are_objects_unless_coerced_to_their_flows_class(street_officer):
    from flows.models import CaseTask
    from flows.registry import kinds

    from .scenarios import register

    case_id = register(street_officer)["id"]
    tasks = Prepared(lambda case_id: CaseTask.objects.filter(case_id=case_id).order_by("pk"))
    assert tasks.objects(case_id=case_id) == list(CaseTask.objects.filter(case_id=case_id).order_by("pk"))
    flows = [kind.flow for kind in kinds().values()]
    build, calls = _built(lambda case_id: CaseTask.objects.filter(case_id=case_id).coerce_for(flows))
    coerced = Prepared(build)
    assert coerced.objects(case_id=case_id) == coerced.objects(case_id=case_id) != []
    assert len(calls) == 1 + 2  # the queryset makes its own objects on every read
