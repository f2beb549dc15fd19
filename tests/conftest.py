import contextlib
import datetime as dt
import os

import pytest
from django.db import connection
from rest_framework.test import APIClient

from org.models import User
from org.services import load_agencies
from planning.models import PlanPeriod, PlanTask
from planning.plan import load_plan_tasks

from .factories import officer


def pytest_addoption(parser):
    parser.addoption("--clock", default=os.environ.get("TEST_CLOCK"), metavar="YYYY-MM-DD",
                     help="run the whole suite with the clock moved to 10:00 (China time) of this day, "
                          "ticking; tests that pin their own clock still do (make test-clock)")


def pytest_configure(config):
    day = config.getoption("--clock")
    if day:
        from zoneinfo import ZoneInfo

        import time_machine

        start = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
        # the processes the tests start (a Celery worker, gunicorn) move their clock by the same offset
        os.environ["TEST_CLOCK_OFFSET_S"] = str((start - dt.datetime.now(dt.timezone.utc)).total_seconds())
        here = os.path.join(os.path.dirname(__file__), "clock")
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))
        config._moved_clock = time_machine.travel(start, tick=True)
        config._moved_clock.start()


def pytest_report_header(config):
    day = config.getoption("--clock")
    return f"clock moved to {day} 10:00 Asia/Shanghai" if day else None


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

    from enforcement.penalties import load_provisions
    from enforcement.reference import load_document_types, load_numbering
    from flows.policies import sync_deadline_policies
    from org.limits import load_limits

    load_agencies()
    if not PlanTask.objects.exists():
        load_plan_tasks()
    # the tests' months fall inside the plan's campaign unless a test sets it
    PlanPeriod.objects.update_or_create(pk=1, defaults={"starts_on": dt.date(2020, 1, 1),
                                                        "ends_on": dt.date(2030, 12, 31)})
    sync_deadline_policies()
    importlib.import_module("cases.migrations.0003_reference_and_history").load_criteria(apps, None)
    load_document_types()
    load_numbering()
    load_limits()
    load_provisions()


@pytest.fixture(autouse=True)
def documents_drawn_on_demand(settings):
    """Tests draw a document's PDF when they ask for it, not after every step
    (drawing takes a fraction of a second; most tests never read the PDF)."""
    settings.DOCUMENTS_RENDER_AFTER_ISSUE = False


@pytest.fixture(autouse=True)
def history_checkpoints(settings, tmp_path):
    """Each test writes and reads the history's checkpoints in a directory of its own."""
    settings.HISTORY_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    return tmp_path / "checkpoints"


@pytest.fixture(autouse=True)
def cache_of_its_own(settings):
    """Each test caches in its own memory: with CELERY_BROKER_URL set the configured
    cache is the broker's Redis, where a test's ``cache.clear()`` would empty the
    broker's queues (tests/test_ops_cache.py checks the Redis cache itself)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "test"}}


@pytest.fixture(autouse=True)
def register_imports_in_process(settings):
    """A workbook import runs in the request, not in a worker (test_register_* check both)."""
    settings.REGISTER_IMPORT_IN_WORKER = False


@pytest.fixture(autouse=True)
def fresh_reference_cache():
    """Each test reads the reference tables (policies, calendar, criteria) as it left them."""
    from common import refcache

    refcache.clear()
    yield
    refcache.clear()


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


# The one script a page carries: the navigation's live counts (a static file, CSP script-src 'self').
LIVE_COUNTS_SCRIPT = '<script src="/static/js/live-counts.js" defer>'


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

    def put(self, path, data=None):
        return self.client.put(f"/api/v1/{path}", data or {}, format="json")


@pytest.fixture
def api():
    return Api


@pytest.fixture
def future_date():
    return (dt.date.today() + dt.timedelta(days=30)).isoformat()


# --- the database roles (docs/history.md, "Roles") -------------------------------------
# With DATABASE_OWNER_URL (CI), the owner role creates and migrates the test
# database, as it would in production, and empties it between transactional
# tests (TRUNCATE is the owner's alone); every test runs as the runtime role of
# DATABASE_URL, which owns nothing.
_AS_OWNER = contextlib.ExitStack()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Just before the test database is created: the owner role creates it."""
    from cases.dbroles import as_owner

    _AS_OWNER.enter_context(as_owner())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Created and migrated by the owner: from here on, the runtime role; the
    owner again to drop it at the end."""
    from cases.dbroles import as_owner

    _AS_OWNER.close()
    yield
    _AS_OWNER.enter_context(as_owner())


@pytest.fixture(autouse=True, scope="session")
def _history_triggers_allow_test_flush():
    """The history is append-only (a trigger refuses DELETE). PostgreSQL's
    flush truncates, which row triggers do not see (as the owner: the runtime
    role may not); SQLite's flush deletes row
    by row, so the triggers step aside while a transactional test's tables are
    emptied, and only then."""
    from django.core.management.commands import flush

    original = flush.Command.handle

    def handle(self, *args, **options):
        from django.db import connections

        from cases.dbroles import as_owner

        connection = connections[options.get("database", "default")]
        if connection.vendor != "sqlite":
            with as_owner(using=connection.alias):  # TRUNCATE: the owner's privilege
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


# --- browser tests (tests/browser.py) -----------------------------------------
from .browser import ARTIFACTS, chromium, sample_photo, viewport, web  # noqa: E402,F401 - fixtures and helpers
