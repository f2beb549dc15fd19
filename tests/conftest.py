import datetime as dt
import os

import pytest
from django.db import connection
from rest_framework.test import APIClient

from enforcement.models import User
from enforcement.services import load_agencies
from supervision.models import PlanTask
from supervision.plan import load_plan_tasks

from .factories import officer


def requires_postgres():
    """Skip on SQLite, or fail when REQUIRE_SERVICES=1 (CI)."""
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but DATABASE_URL is not PostgreSQL")
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")


@pytest.fixture(autouse=True)
def agencies(db):
    """Reference data: the agencies, and what the data migrations load (a
    transactional test's flush empties those tables for the tests after it)."""
    import importlib

    from django.apps import apps

    load_agencies()
    if not PlanTask.objects.exists():
        load_plan_tasks()
    for module in ("enforcement.migrations.0003_seed_deadline_policies", "cases.migrations.0004_load_major_hazard_criteria"):
        migration = importlib.import_module(module)
        (getattr(migration, "seed", None) or migration.load)(apps, None)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow on purpose; test users need not be (test_security checks Argon2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def lead_officer():
    """An officer of the lead agency (emergency bureau)."""
    return officer("emergency", username="em_officer")


@pytest.fixture
def lead_officer2():
    return officer("emergency", username="em_officer2")


@pytest.fixture
def lead_leader():
    return officer("emergency", User.Role.LEADER, username="em_leader")


@pytest.fixture
def other_officer():
    """An officer of an agency with no part in the case."""
    return officer("education", username="edu_officer")


@pytest.fixture
def police_officer():
    return officer("police", username="police_officer")


@pytest.fixture
def street_officer():
    return officer("street_changhong", username="changhong_officer")


@pytest.fixture
def supervisor():
    return officer("safety_office", User.Role.SUPERVISOR, username="supervisor")


class Api:
    """A JSON client acting as one user."""

    def __init__(self, user):
        self.client = APIClient()
        self.client.force_authenticate(user)
        self.user = user

    def get(self, path, **params):
        return self.client.get(f"/api/v1/{path}", params)

    def post(self, path, data=None):
        return self.client.post(f"/api/v1/{path}", data or {}, format="json")


@pytest.fixture
def api():
    return Api


@pytest.fixture
def future_date():
    return (dt.date.today() + dt.timedelta(days=30)).isoformat()


@pytest.fixture(autouse=True, scope="session")
def _history_triggers_allow_test_flush():
    """The history is append-only (a trigger refuses DELETE). PostgreSQL's
    flush truncates, which row triggers do not see; SQLite's flush deletes row
    by row, so the triggers step aside while a transactional test's tables are
    emptied, and only then."""
    from django.core.management.commands import flush

    original = flush.Command.handle

    def handle(self, *args, **options):
        from django.db import connections

        connection = connections[options.get("database", "default")]
        if connection.vendor != "sqlite":
            return original(self, *args, **options)
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS cases_history_no_delete")
        try:
            return original(self, *args, **options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(
                    "CREATE TRIGGER IF NOT EXISTS cases_history_no_delete BEFORE DELETE ON cases_casehistory "
                    "BEGIN SELECT RAISE(ABORT, 'case history rows are never changed or deleted'); END"
                )

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


def reset_celery_connections():
    """Forget pooled broker connections after the broker URL changed."""
    from config.celery import app

    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker():
    """Point Celery at a broker for one test (eager=True: run tasks in-process), then restore."""
    from config.celery import app

    keys = ("broker_url", "broker_read_url", "broker_write_url", "task_always_eager")
    saved = {k: app.conf[k] for k in keys}

    def use(url, eager=False):
        app.conf.update(broker_url=url, broker_read_url=url, broker_write_url=url, task_always_eager=eager)
        reset_celery_connections()

    yield use
    app.conf.update(**saved)
    reset_celery_connections()
