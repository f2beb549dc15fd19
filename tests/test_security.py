"""Login protection, tokens, production settings, error pages and probes."""
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import time_machine
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from org.auth import digest_of
from org.models import ApiToken, User

ROOT = Path(__file__).resolve().parent.parent


def test_passwords_are_hashed_with_argon2(lead_officer):
    from django.conf import settings as live

    with override_settings(PASSWORD_HASHERS=live.PASSWORD_HASHERS[1:]):  # as configured, without the test speed-up
        lead_officer.set_password("pw-123456")
        lead_officer.save()
        assert User.objects.get(pk=lead_officer.pk).password.startswith("argon2")


def test_repeated_failed_logins_lock_the_account_on_the_page(lead_officer):
    client = Client()
    for _ in range(5):
        response = client.post("/login/", {"username": lead_officer.username, "password": "wrong"})
        assert response.status_code in (200, 429)
    locked = client.post("/login/", {"username": lead_officer.username, "password": "pw-123456"})
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    # from another address the account is still locked
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.post("/login/", {"username": lead_officer.username, "password": "pw-123456"}).status_code == 429


def test_repeated_failed_token_requests_lock_the_account(lead_officer):
    client = APIClient()
    for _ in range(5):
        client.post("/api/v1/auth/token", {"username": lead_officer.username, "password": "bad"}, format="json")
    response = client.post("/api/v1/auth/token", {"username": lead_officer.username, "password": "pw-123456"}, format="json")
    assert response.status_code in (403, 429)
    assert "token" not in response.json()


def test_a_successful_login_works_and_sessions_expire(lead_officer, settings):
    client = Client()
    response = client.post("/login/", {"username": lead_officer.username, "password": "pw-123456"})
    assert response.status_code == 302
    assert client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_tokens_expire_and_can_be_revoked(lead_officer, settings):
    client = APIClient()
    token = client.post("/api/v1/auth/token", {"username": lead_officer.username, "password": "pw-123456"},
                        format="json").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(digest=digest_of(token)).update(created=timezone.now() - dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS + 1))
    expired = client.get("/api/v1/me")
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "unauthenticated"
    # a new login gives a new token; revoking it ends it
    fresh = APIClient().post("/api/v1/auth/token", {"username": lead_officer.username, "password": "pw-123456"},
                             format="json").json()["token"]
    assert fresh != token
    client.credentials(HTTP_AUTHORIZATION=f"Token {fresh}")
    assert client.post("/api/v1/auth/token/revoke").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True)


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0",
                     SECRET_KEY="k7#Vq2!xLw9@pR4$zT6^mN8&bY3*cH5(dJ1)fG0_sA-u8Wq1Zr5Yt3Xe7Lp0Mn", ALLOWED_HOSTS="cases.nankai.gov.local", HISTORY_KEY="h" * 50,
                     HISTORY_CHECKPOINT_DIR=str(tmp_path / "checkpoints"),
                     # an empty database: the settings are checked here, not the calendar's data, whose
                     # warning depends on today's date (tests/test_calendar_years.py checks it)
                     DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_a_history_checkpoint_directory(tmp_path):
    result = _manage("check", "--deploy", DEBUG="0", SECRET_KEY="k7#Vq2!xLw9@pR4$zT6^mN8&bY3*cH5(dJ1)fG0_sA-u8Wq1Zr5Yt3X",
                     ALLOWED_HOSTS="cases.nankai.gov.local", HISTORY_KEY="h" * 50, HISTORY_CHECKPOINT_DIR="",
                     DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert "cases.W001" in result.stdout + result.stderr


def test_pages_send_a_content_security_policy_without_inline_script(lead_officer):
    client = Client()
    client.force_login(lead_officer)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode() and "onclick=" not in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"


@override_settings(DEBUG=False)
def test_errors_show_no_stack_trace(lead_officer, monkeypatch):
    from desk.views import tasks as views

    monkeypatch.setattr(views, "barred_from", lambda *a: 1 / 0)
    client = Client(raise_request_exception=False)
    client.force_login(lead_officer)
    response = client.get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Traceback" not in body and "ZeroDivisionError" not in body and "系统错误" in body
    missing = client.get("/cases/999999/")
    assert missing.status_code == 404 and "Traceback" not in missing.content.decode()


@time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
def test_health_probes(client):
    # mid-2026: the calendar knows this year and the next is not yet due (tests/test_calendar_years.py)
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"


def test_readyz_reports_an_unreachable_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503 and "broker" in response.json()["error"]["fields"]


def test_api_docs_are_served_from_our_own_static_files(lead_officer):
    client = Client()
    client.force_login(lead_officer)
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower() and "/static/drf_spectacular_sidecar/" in html
