"""The working-day calendar knows which years it knows (issue 19).

2025 and 2026 are checked day by day against the State Council's notices,
written here by hand from their text, not computed with the code under test. Around the new year the clock is frozen:
with 2027's notice missing, a system check warns (an error once 2027 has
begun), /readyz answers 503 naming the calendar, and deadlines counted through
2027 are provisional; once an administrator enters 2027 in the admin, all of
that clears and ``recompute_due_times`` counts the provisional deadlines again.

The 2027 notice used here is made up for the test (the real one is not
published yet): 1 to 3 January off, 9 January (a Saturday) worked."""
import datetime as dt
import logging
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import checks
from django.core.management import call_command
from django.test import Client

from cases.models import Case
from flows.models import CaseTask
from org.calendar import add_working_days, calendar_problems, is_working_day
from org.models import CalendarDay, CalendarYear, User

from .conftest import Api
from .factories import officer
from .scenarios import register, task_id

SH = ZoneInfo("Asia/Shanghai")

# --- 2026, from the notice's text ------------------------------------------------------------
# 元旦 1月1日至3日放假，1月4日(周日)上班; 春节 2月15日至23日放假，2月14日(周六)、2月28日(周六)上班;
# 清明 4月4日至6日; 劳动节 5月1日至5日放假，5月9日(周六)上班; 端午 6月19日至21日; 中秋 9月25日至27日;
# 国庆 10月1日至7日放假，9月20日(周日)、10月10日(周六)上班.
HOLIDAYS_2026 = [
    ("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"),
    ("2026-05-01", "2026-05-05"), ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
    ("2026-10-01", "2026-10-07"),
]
MAKE_UP_DAYS_2026 = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]


def days(first: str, last: str) -> list[dt.date]:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def test_every_day_of_2026_is_as_the_notice_says():
    off = {day for first, last in HOLIDAYS_2026 for day in days(first, last)}
    worked = {dt.date.fromisoformat(day) for day in MAKE_UP_DAYS_2026}
    wrong = [day for day in days("2026-01-01", "2026-12-31")
             if is_working_day(day) != (day in worked or (day.weekday() < 5 and day not in off))]
    assert wrong == []


@pytest.mark.parametrize("start, count, expected", [
    ("2025-12-31", 1, "2026-01-04"),  # New Year off, Sunday 4 January worked
    ("2026-02-12", 1, "2026-02-13"),
    ("2026-02-13", 1, "2026-02-14"),  # the Saturday before the Spring Festival is worked
    ("2026-02-13", 2, "2026-02-24"),  # 15 to 23 February off
    ("2026-02-12", 5, "2026-02-26"),
    ("2026-02-24", 4, "2026-02-28"),  # Saturday 28 February worked
    ("2026-02-24", 5, "2026-03-02"),
    ("2026-04-03", 1, "2026-04-07"),  # Qingming, 4 to 6 April
    ("2026-04-30", 1, "2026-05-06"),  # Labour Day, 1 to 5 May
    ("2026-05-08", 1, "2026-05-09"),  # Saturday 9 May worked
    ("2026-06-18", 1, "2026-06-22"),  # Dragon Boat, 19 to 21 June
    ("2026-09-18", 1, "2026-09-20"),  # Sunday 20 September worked
    ("2026-09-24", 1, "2026-09-28"),  # Mid-Autumn, 25 to 27 September
    ("2026-09-30", 1, "2026-10-08"),  # National Day, 1 to 7 October
    ("2026-10-09", 1, "2026-10-10"),  # Saturday 10 October worked
])
def test_working_days_across_the_2026_holidays(start, count, expected):
    assert add_working_days(dt.date.fromisoformat(start), count) == dt.date.fromisoformat(expected)


# --- 2025, from the notice's text (国务院办公厅关于2025年部分节假日安排的通知, 2024-11-12) ------------------
HOLIDAYS_2025 = [
    ("2025-01-01", "2025-01-01"), ("2025-01-28", "2025-02-04"), ("2025-04-04", "2025-04-06"),
    ("2025-05-01", "2025-05-05"), ("2025-05-31", "2025-06-02"), ("2025-10-01", "2025-10-08"),
]
MAKE_UP_DAYS_2025 = ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]


def test_every_day_of_2025_is_as_the_notice_says():
    off = {day for first, last in HOLIDAYS_2025 for day in days(first, last)}
    worked = {dt.date.fromisoformat(day) for day in MAKE_UP_DAYS_2025}
    wrong = [day for day in days("2025-01-01", "2025-12-31")
             if is_working_day(day) != ((day.weekday() < 5 and day not in off) or day in worked)]
    assert wrong == []


@pytest.mark.parametrize("start, count, expected", [
    ("2025-01-24", 1, "2025-01-26"),  # Sunday 26 January worked before the Spring Festival
    ("2025-01-26", 1, "2025-01-27"),
    ("2025-01-27", 1, "2025-02-05"),  # 28 January to 4 February off
    ("2025-02-07", 1, "2025-02-08"),  # Saturday 8 February worked
    ("2025-01-27", 5, "2025-02-10"),  # 5, 6, 7, Saturday 8 and Monday 10 February
    ("2025-09-26", 1, "2025-09-28"),  # Sunday 28 September worked
    ("2025-09-30", 1, "2025-10-09"),  # National Day and Mid-Autumn, 1 to 8 October
    ("2025-10-10", 1, "2025-10-11"),  # Saturday 11 October worked
])
def test_working_days_across_the_2025_holidays(start, count, expected):
    assert add_working_days(dt.date.fromisoformat(start), count) == dt.date.fromisoformat(expected)


# --- around the new year, 2027 not yet known --------------------------------------------------------
NOTICE_2027 = {"year": "2027", "notice": "测试用通知（非真实）", "holidays": "2027-01-01..2027-01-03",
               "workdays": "2027-01-09", "known": "on"}


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SH), tick=False)


class AdminClient:
    """An administrator in the admin, logged in afresh for each request (the
    clock moves between requests further than a session lives)."""

    def __init__(self, user):
        self.user = user

    def __getattr__(self, method):
        client = Client()
        client.force_login(self.user)
        return getattr(client, method)


@pytest.fixture
def admin_client(db):
    return AdminClient(User.objects.create_superuser("calendar_admin", "admin@nankai.gov.local", "pw-123456"))


def enter_2027(admin_client):
    response = admin_client.post("/admin/org/calendaryear/add/", NOTICE_2027)
    assert response.status_code == 302 and "login" not in response["Location"], response.content.decode()[:3000]


def calendar_messages():
    return [(type(m).__name__, m.id, m.msg) for m in checks.run_checks(tags=["calendar"])]


def test_the_system_check_warns_before_the_new_year_and_fails_in_it(admin_client):
    with at(2026, 11, 15, 10, 0):
        assert calendar_messages() == []  # more than 30 days before the new year
    with at(2026, 12, 15, 10, 0):
        [(kind, check_id, message)] = calendar_messages()
        assert kind == "Warning" and check_id == "org.W001" and "2027" in message
    with at(2027, 1, 10, 10, 0):
        messages = calendar_messages()
        assert ("Error", "org.E001") in [(kind, check_id) for kind, check_id, _m in messages]
        assert "2027" in messages[0][2]
    with at(2026, 12, 15, 10, 0):
        enter_2027(admin_client)
        assert calendar_messages() == []


def test_readyz_is_503_naming_the_calendar_until_2027_is_entered(admin_client):
    client = Client()
    with at(2026, 6, 15, 10, 0):
        assert client.get("/readyz").status_code == 200
    with at(2026, 12, 15, 10, 0):
        response = client.get("/readyz")
        assert response.status_code == 503
        reason = response.json()["error"]["fields"]["calendar"]
        assert "2027" in reason
        enter_2027(admin_client)
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["checks"]["calendar"] == "ok"


def test_the_admin_shows_which_years_are_known_and_takes_a_notice(admin_client):
    with at(2026, 12, 15, 10, 0):
        page = admin_client.get("/admin/org/calendaryear/").content.decode()
        assert "2004–2026" in page and "2027" in page
        enter_2027(admin_client)
        year = CalendarYear.objects.get(year=2027)
        assert year.known and year.entered_by == "calendar_admin"
        assert sorted((d.date.isoformat(), d.is_working_day) for d in CalendarDay.objects.all()) == [
            ("2027-01-01", False), ("2027-01-02", False), ("2027-01-03", False), ("2027-01-09", True)]
        page = admin_client.get("/admin/org/calendaryear/").content.decode()
        assert "2027" in page and "2004–2026" in page
        # the entered days count at once: Thursday 31 December, then Monday 4 January
        assert add_working_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)
        assert add_working_days(dt.date(2027, 1, 8), 1) == dt.date(2027, 1, 9)
        # editing shows the days as entered
        edit = admin_client.get(f"/admin/org/calendaryear/{year.pk}/change/").content.decode()
        assert "2027-01-01..2027-01-03" in edit


@pytest.mark.parametrize("field, text", [
    ("holidays", "2026-12-31"), ("holidays", "1 January"), ("workdays", "2027-01-02"), ("holidays", ""),
])
def test_a_notice_with_days_outside_its_year_or_unreadable_is_refused(admin_client, field, text):
    response = admin_client.post("/admin/org/calendaryear/add/", {**NOTICE_2027, field: text})
    assert response.status_code == 200 and field in response.context["adminform"].form.errors
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()


def test_a_deadline_through_an_unknown_year_is_provisional_until_recomputed(admin_client, street_officer, caplog):
    lead = officer("emergency", username="nye_lead")
    with at(2026, 12, 30, 10, 0):  # a Wednesday
        with caplog.at_level(logging.WARNING, logger="org.calendar"):
            case = register(street_officer)
        verify = CaseTask.objects.get(pk=task_id(case["id"], "verify"))
        # 3 working days: 31 December, then 1 and 4 January counted Monday to Friday
        assert verify.due_at == dt.datetime(2027, 1, 4, 23, 59, 59, tzinfo=SH) and verify.due_provisional
        assert "2027" in caplog.text
        listed = Api(lead).get("tasks", box="queue").json()["results"]
        assert [(t["id"], t["due_provisional"]) for t in listed] == [(verify.pk, True)]
        page = Client()
        page.force_login(lead)
        assert "暂定" in page.get(f"/tasks/{verify.pk}/").content.decode()

        enter_2027(admin_client)
        out = StringIO()
        call_command("recompute_due_times", stdout=out)
        assert "1 task(s) counted again; 0 still provisional" in out.getvalue()
    verify.refresh_from_db()
    # 1 to 3 January off: 31 December, 4 and 5 January
    assert verify.due_at == dt.datetime(2027, 1, 5, 23, 59, 59, tzinfo=SH) and not verify.due_provisional
    assert verify.next_escalation_at == verify.remind_at
    assert Case.objects.get(pk=case["id"]).due_at == verify.due_at
    assert verify.supervise_at == dt.datetime(2027, 1, 8, 23, 59, 59, tzinfo=SH)  # 3 working days' grace


def test_a_year_the_package_knows_needs_no_row():
    assert CalendarYear.objects.count() == 0
    assert calendar_problems(dt.date(2026, 3, 1)) == []
    assert [p.year for p in calendar_problems(dt.date(2026, 12, 20))] == [2027]
    assert [(p.year, p.error) for p in calendar_problems(dt.date(2027, 2, 1))] == [(2027, True)]
