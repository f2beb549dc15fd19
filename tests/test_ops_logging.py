"""Logs: one JSON line an event, with the request id of the request (or the
task) it belongs to, written once, and never a secret."""
import io
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client

from common import logs
from config import celery as celery_config

ROOT = Path(__file__).resolve().parent.parent


def handlers_reached(name: str) -> list[logging.Handler]:
    """The handlers a record of logger ``name`` is written by (logging.Logger.callHandlers)."""
    found, logger = [], logging.getLogger(name)
    while logger:
        found += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]  # pytest's capture
        if not logger.propagate:
            break
        logger = logger.parent
    return found


def emit(logger: str, *args, **kwargs) -> dict:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.RequestIdFilter())
    record = logging.getLogger(logger).makeRecord(logger, logging.WARNING, __file__, 1, *args, **kwargs)
    handler.handle(record)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


@pytest.fixture
def captured():
    """What the configured console handler writes, as parsed JSON lines."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, logs.JsonFormatter))
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(old)


@pytest.mark.parametrize("name", ["django.server", "django.request", "django.security.csrf", "celery.apps.worker",
                                  "celery.worker.strategy", "gunicorn.access", "gunicorn.error", "org.outbox"])
def test_every_logger_writes_a_line_once_as_json(name):
    reached = handlers_reached(name)
    assert len(reached) == 1, [type(h).__name__ for h in reached]
    assert isinstance(reached[0].formatter, logs.JsonFormatter)


def test_the_worker_says_ready():
    assert logging.getLogger("celery.apps.worker").getEffectiveLevel() <= logging.INFO
    assert not settings.CELERY_WORKER_HIJACK_ROOT_LOGGER


def test_a_line_is_json_with_time_level_logger_message_and_extras():
    event = emit("org.outbox", "notification %s queued", (12,), None, extra={"document": 7, "kind": "hazard"})
    assert event["level"] == "WARNING" and event["logger"] == "org.outbox"
    assert event["message"] == "notification 12 queued" and event["document"] == 7 and event["kind"] == "hazard"
    assert event["time"].endswith("+00:00") and "request_id" in event


def test_an_exception_is_in_the_line_not_on_lines_of_its_own():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        event = emit("x", "failed", (), sys.exc_info())
    assert "RuntimeError: boom" in event["exception"]


@pytest.mark.parametrize("message, secret", [
    ("Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b", "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"),
    ("robot failed: https://oapi.dingtalk.com/robot/send?access_token=abcdef1234567890&timestamp=1&sign=xyz%3D",
     "abcdef1234567890"),
    ("POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa: 500",
     "693a91f6"),
    ("login failed {'username': 'wang', 'password': 'Nankai-2026!'}", "Nankai-2026!"),
    ("cannot reach postgres://nankai_app:s3cr3t-pw@10.0.0.5:5432/nankai", "s3cr3t-pw"),
    ("bad alarm X-Signature: sha256=3f1a9c0e5b7d2a4f6e8c0b1d3f5a7c9e", "3f1a9c0e5b7d2a4f6e8c0b1d3f5a7c9e"),
    ("GET /api/v1/cases?token=abcdefgh12345678", "abcdefgh12345678"),
])
def test_secrets_are_redacted(message, secret):
    event = emit("org.robots", "%s", (message,), None)
    assert secret not in json.dumps(event) and logs.REDACTED in event["message"]


def test_secret_extras_and_exceptions_are_redacted():
    event = emit("org.robots", "sent", (), None, extra={"webhook": "https://oapi.dingtalk.com/robot/send?x=1",
                                                       "password": "pw", "note": "token=abcdefgh12345678"})
    assert event["webhook"] == event["password"] == logs.REDACTED
    assert "abcdefgh12345678" not in event["note"]
    try:
        raise ConnectionError("https://oapi.dingtalk.com/robot/send?access_token=deadbeefcafe0001")
    except ConnectionError:
        event = emit("org.robots", "failed", (), sys.exc_info())
    assert "deadbeefcafe0001" not in event["exception"]


def test_a_request_gets_an_id_in_its_response_and_its_log_lines(captured, lead_officer):
    client = Client()
    response = client.get("/healthz")
    generated = response["X-Request-ID"]
    assert len(generated) == 32
    # the proxy's id is kept (nginx: X-Request-ID $request_id); a made-up long or odd one is replaced
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-5f2c").headers["X-Request-ID"] == "nginx-5f2c"
    odd = client.get("/healthz", HTTP_X_REQUEST_ID="a b\n{}" * 20).headers["X-Request-ID"]
    assert odd != "a b\n{}" * 20 and len(odd) == 32
    # a line logged during the request, and the error response logged after the middleware returned
    client.force_login(lead_officer)
    client.get("/api/v1/cases/999999", HTTP_X_REQUEST_ID="req-404")
    lines = [line for line in captured() if line["request_id"] == "req-404"]
    assert any(line["logger"] == "django.request" and line.get("status_code") == 404 for line in lines), captured()
    assert logs.request_id_var.get() is None  # nothing left over for the next request


def test_a_task_logs_under_the_id_of_the_request_that_sent_it():
    headers = {}
    token = logs.request_id_var.set("req-77")
    try:
        celery_config.send_request_id(headers=headers)
    finally:
        logs.request_id_var.reset(token)
    assert headers == {celery_config.REQUEST_ID_HEADER: "req-77"}
    # in the worker: the header is on the task's request
    task = SimpleNamespace(request=SimpleNamespace(is_eager=False, **headers))
    celery_config.receive_request_id(task_id="t1", task=task)
    try:
        assert emit("supervision.tasks", "scan", (), None)["request_id"] == "req-77"
    finally:
        celery_config.forget_request_id(task_id="t1")
    assert logs.request_id_var.get() is None
    # a task beat sent (no request) logs under an id of its own
    celery_config.receive_request_id(task_id="t2", task=SimpleNamespace(request=SimpleNamespace(is_eager=False)))
    try:
        assert emit("supervision.tasks", "scan", (), None)["request_id"] == "task-t2"
    finally:
        celery_config.forget_request_id(task_id="t2")


def test_a_real_worker_prints_ready_as_a_json_line(tmp_path):
    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but CELERY_BROKER_URL is not set")
        pytest.skip("needs Redis (set CELERY_BROKER_URL=redis://...)")
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen([str(celery), "-A", "config", "worker", "--pool", "solo", "--hostname",
                               f"logtest-{os.getpid()}@%h", "--without-mingle", "--without-gossip", "--queues",
                               f"logtest-{os.getpid()}"],
                              cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = worker.stdout.readline()
            if not line:
                break
            lines.append(line)
            if " ready." in line:
                break
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    ready = [json.loads(line) for line in lines if line.startswith("{") and " ready." in line]
    assert ready and ready[0]["logger"] == "celery.apps.worker" and ready[0]["level"] == "INFO", "".join(lines)
    assert broker.split("@")[-1] not in "".join(lines) or ":" not in broker.split("//")[-1].split("@")[0]
