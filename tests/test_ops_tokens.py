"""API tokens are stored hashed: the database never holds a usable key; the
tokens DRF kept in clear text were revoked by the migration, with a notice."""
import importlib

from django.apps import apps
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from org.auth import digest_of
from org.models import ApiToken, Notification


def login(user) -> str:
    response = APIClient().post("/api/v1/auth/token", {"username": user.username, "password": "pw-123456"},
                                format="json")
    assert response.status_code == 200
    return response.json()["token"]


def test_the_database_holds_the_key_s_digest_not_the_key(lead_officer):
    key = login(lead_officer)
    stored = ApiToken.objects.get(user=lead_officer)
    assert stored.digest == digest_of(key) != key and stored.prefix == key[:8]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM org_apitoken")
        assert key not in repr(cursor.fetchall())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me").status_code == 200
    # the digest itself is no key
    client.credentials(HTTP_AUTHORIZATION=f"Token {stored.digest}")
    assert client.get("/api/v1/me").status_code == 401


def test_each_login_gets_a_key_of_its_own_and_revoking_ends_them(lead_officer):
    first, second = login(lead_officer), login(lead_officer)
    assert first != second
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert client.post("/api/v1/auth/token/revoke").status_code == 204
    for key in (first, second):
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get("/api/v1/me").status_code == 401


def test_the_migration_revokes_clear_text_tokens_with_a_notice(lead_officer):
    clear = Token.objects.create(user=lead_officer)
    migration = importlib.import_module("org.migrations.0009_api_tokens_hashed")
    migration.revoke_clear_tokens(apps, type("Editor", (), {"connection": connection})())
    assert not Token.objects.exists()
    notice = Notification.objects.get(recipient=lead_officer)
    assert "/api/v1/auth/token" in notice.body
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {clear.key}")
    assert client.get("/api/v1/me").status_code == 401
