"""Agencies, users, tokens, demo data, settings and the working-day calendar."""
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from org.calendar import add_working_days, due_after_working_days
from org.models import Agency, User

from .conftest import Api

ROOT = Path(__file__).resolve().parent.parent


def test_token_login_and_me(lead_leader):
    client = APIClient()
    refused = client.post("/api/v1/auth/token", {"username": lead_leader.username, "password": "wrong"}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_credentials"
    assert client.post("/api/v1/auth/token", {"username": "x"}, format="json").status_code == 400
    token = client.post(
        "/api/v1/auth/token", {"username": lead_leader.username, "password": "pw-123456"}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me").json()
    assert me == {
        "username": lead_leader.username, "full_name": lead_leader.full_name,
        "agency": {"code": "emergency", "name": "区应急局", "kind": "bureau"}, "roles": ["officer", "leader"],
    }
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/me").status_code == 401


def test_agencies(lead_officer, supervisor):
    agencies = Api(lead_officer).get("agencies").json()
    codes = {a["code"] for a in agencies}
    assert {"emergency", "police", "ecology", "traffic", "education", "science", "safety_office"} <= codes
    assert len([c for c in codes if c.startswith("street_")]) == 12
    assert {"code": "street_changhong", "name": "长虹街道", "kind": "street"} in agencies
    assert Api(supervisor).get("me").json()["roles"] == ["officer", "supervisor"]


def test_seed_demo_is_idempotent_and_creates_every_persona(db):
    call_command("seed_demo")
    count = User.objects.count()
    assert count == Agency.objects.count() * 3 == 75  # the plan's units too: they report; the transport bureau (区交通运输局) too
    call_command("seed_demo")
    assert User.objects.count() == count
    user = User.objects.get(username="emergency_officer1")
    assert user.check_password("nankai-demo") and user.agency.code == "emergency"
    assert User.objects.get(username="safety_office_officer2").is_supervisor
    assert User.objects.get(username="street_huayuan_leader").is_leader


def test_seed_demo_refuses_a_database_with_real_users(db):
    User.objects.create_user(username="real.person", password="s3cret-pass")
    with pytest.raises(CommandError, match="did not create"):
        call_command("seed_demo")
    assert User.objects.count() == 1


def _start_django(**env):
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "HISTORY_KEY")}
    return subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup()"],
        cwd=ROOT, env={**base, **env}, capture_output=True, text=True,
    )


def test_production_start_without_secret_key_refuses_clearly():
    result = _start_django(DEBUG="0", HISTORY_KEY="h" * 50)
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr
    result = _start_django(DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "HISTORY_KEY is not set" in result.stderr
    assert _start_django(DEBUG="0", SECRET_KEY="x" * 50, HISTORY_KEY="h" * 50).returncode == 0


def test_working_days_skip_national_day_and_count_the_make_up_saturday():
    # 2026: 1-7 October off, Saturday 10 October is a make-up working day (调休)
    assert add_working_days(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)
    assert add_working_days(dt.date(2026, 9, 30), 3) == dt.date(2026, 10, 10)
    assert add_working_days(dt.date(2026, 9, 30), 4) == dt.date(2026, 10, 12)
    due = due_after_working_days(dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.timezone.utc), 3)
    assert due.isoformat() == "2026-10-10T23:59:59+08:00"


def test_working_days_fall_back_to_weekdays_for_unknown_years():
    assert add_working_days(dt.date(2099, 1, 2), 1) == dt.date(2099, 1, 5)  # Friday -> Monday
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 1, 1), 0)
