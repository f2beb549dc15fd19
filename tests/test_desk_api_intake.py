"""Alarms from the municipal risk-monitoring system (POST intake/alarms)."""
import hashlib
import hmac
import json
import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient

from cases.models import Alarm, Case

from .conftest import requires_postgres
from .factories import make_uscc
from .scenarios import open_tasks

SECRET = "shared-secret-for-tests"


@pytest.fixture(autouse=True)
def secret(settings):
    settings.ALARM_INTAKE_SECRET = SECRET


def alarm(alarm_id="A-20261128-0001", **overrides) -> bytes:
    body = {
        "alarm_id": alarm_id, "enterprise_uscc": make_uscc(9), "enterprise_name": "天津某石化储运公司",
        "type": "可燃气体浓度超限", "level": "二级", "occurred_at": "2026-11-28T09:15:00+08:00",
        "street": "huayuan", "address": "华苑产业区1号",
    }
    body.update(overrides)
    return json.dumps(body, ensure_ascii=False).encode()


def post(body: bytes, signature: str | None = None):
    if signature is None:
        signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return APIClient().post("/api/v1/intake/alarms", body, content_type="application/json", HTTP_X_SIGNATURE=signature)


def test_a_new_alarm_opens_a_hazard_case_in_verify():
    response = post(alarm())
    assert response.status_code == 201 and response.json()["created"] is True
    case = Case.objects.get(number=response.json()["case"])
    assert case.kind == "hazard" and case.state == "discovered" and case.street.code == "street_huayuan"
    assert case.enterprise.name == "天津某石化储运公司"
    assert [t.agency.code for t in open_tasks(case.pk, "verify")] == ["emergency"]
    assert case.history.get().actor is None


def test_a_repeated_alarm_is_acknowledged_and_opens_nothing():
    first = post(alarm()).json()
    again = post(alarm())
    assert again.status_code == 200 and again.json() == {"created": False, "case": first["case"]}
    assert Case.objects.count() == 1 and Alarm.objects.count() == 1


@pytest.mark.parametrize("signature", ["", "sha256=00", "sha1=abc", "sha256=" + "0" * 64])
def test_unsigned_or_badly_signed_requests_are_401(signature):
    response = post(alarm(), signature=signature)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
    assert not Case.objects.exists()


def test_a_signature_over_another_body_is_401():
    signature = "sha256=" + hmac.new(SECRET.encode(), alarm("other"), hashlib.sha256).hexdigest()
    assert post(alarm(), signature=signature).status_code == 401


def test_intake_without_a_configured_secret_refuses_everything(settings):
    settings.ALARM_INTAKE_SECRET = ""
    assert post(alarm(), signature="sha256=" + hmac.new(b"", alarm(), hashlib.sha256).hexdigest()).status_code == 401


@pytest.mark.parametrize("overrides, field", [
    ({"enterprise_uscc": "123"}, "enterprise_uscc"), ({"street": "nowhere"}, "street"),
    ({"occurred_at": "yesterday"}, "occurred_at"), ({"alarm_id": ""}, "alarm_id"),
])
def test_bad_alarms_are_400(overrides, field):
    response = post(alarm(**overrides))
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    assert not Case.objects.exists() and not Alarm.objects.exists()


def test_a_body_that_is_not_json_is_400():
    assert post(b"not json").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_the_same_alarm_posted_twice_at_once_opens_one_case():
    requires_postgres()
    body = alarm("A-RACE-1")
    barrier = threading.Barrier(2)
    codes = []

    def send():
        barrier.wait()
        try:
            codes.append(post(body).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(codes) == [200, 201]
    assert Case.objects.count() == 1 and Alarm.objects.count() == 1
