"""The production topology from the shipped files' own arguments, on loopback:
gunicorn with deploy/gunicorn.conf.py, a worker and beat as their units start
them, DEBUG off, PostgreSQL as the runtime role, Redis. A hazard is registered
and verified over HTTP; an escalation fired by beat's scan is delivered by the
worker."""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from flows.models import OPEN_STATUSES, CaseTask
from org.auth import issue_token
from org.models import Notification
from supervision.models import Escalation

from .conftest import requires_postgres
from .factories import hazard_payload
from .test_ops_deploy import UNITS, _free_port, _unit_command

ROOT = Path(__file__).resolve().parent.parent


def _http(method: str, url: str, token: str, body: dict | None = None):
    import json
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Host": "cases.nankai.gov.local", "X-Forwarded-Proto": "https",
                                              "Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.django_db(transaction=True)
def test_a_hazard_through_the_production_topology(tmp_path, street_officer, lead_officer):
    requires_postgres()
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        pytest.fail("needs CELERY_BROKER_URL=redis://...") if os.environ.get("REQUIRE_SERVICES") == "1" else \
            pytest.skip("needs Redis")
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_", "DATABASE_"))}
    env.update(DEBUG="0", SECRET_KEY="k7#Vq2!xLw9@pR4$zT6^mN8&bY3*cH5(dJ1)fG0_sA-u8Wq1Zr5Yt3Xe7Lp0Mn",
               HISTORY_KEY=settings.HISTORY_KEY, ALLOWED_HOSTS="cases.nankai.gov.local",
               DATABASE_URL=f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
                            f"{db['NAME']}",  # the test's database, as the role the suite runs as
               HISTORY_CHECKPOINT_DIR=str(tmp_path / "checkpoints"), MEDIA_ROOT=str(tmp_path / "media"),
               STATIC_ROOT=str(tmp_path / "static"), GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2",
               ESCALATION_SCAN_EVERY="3", CACHE_KEY_PREFIX=f"topology{os.getpid()}", PYTHONUNBUFFERED="1",
               EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend", DOCUMENTS_RENDER_AFTER_ISSUE="0")
    gunicorn = [str(Path(sys.executable).with_name("gunicorn"))] + re.search(
        r"^ExecStart=\S+/gunicorn (.*)$", UNITS["nankai-web"], re.M).group(1).split()
    commands = {"web": gunicorn, "worker": _unit_command("nankai-worker", tmp_path),
                "beat": _unit_command("nankai-beat", tmp_path)}
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in commands}
    processes = {name: subprocess.Popen(command, cwd=ROOT, env=env, stdout=logs[name], stderr=subprocess.STDOUT)
                 for name, command in commands.items()}

    def tails() -> str:
        return "\n".join(f"--- {name}\n" + (tmp_path / f"{name}.log").read_text()[-2500:] for name in commands)

    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        street, lead = issue_token(street_officer), issue_token(lead_officer)
        for _ in range(150):
            try:
                status, _ = _http("GET", f"{base}/me", street)
                break
            except OSError:
                assert all(p.poll() is None for p in processes.values()), tails()
                time.sleep(0.2)
        assert status == 200, tails()
        status, case = _http("POST", f"{base}/cases", street, hazard_payload())
        assert status == 201, (case, tails())
        task_id = CaseTask.objects.get(case_id=case["id"], status__in=OPEN_STATUSES).pk
        status, done = _http("POST", f"{base}/tasks/{task_id}/complete", lead,
                             {"action": "confirm", "grade": "general"})
        assert status == 200, (done, tails())
        # the next task's reminder is due now: beat's scan fires it, the worker delivers the notice
        mark = timezone.now()  # notices of the registration and the completion are older than this
        past = mark - timezone.timedelta(minutes=1)
        CaseTask.objects.filter(case_id=case["id"], status__in=OPEN_STATUSES).update(remind_at=past, next_escalation_at=past)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            fired = Escalation.objects.filter(case_id=case["id"]).exists()
            delivered = Notification.objects.filter(case_id=case["id"], created_at__gte=mark,
                                                    delivered_at__isnull=False).exists()
            if fired and delivered:
                break
            assert all(p.poll() is None for p in processes.values()), tails()
            time.sleep(0.5)
        else:
            pytest.fail("no escalation delivered\n" + tails())
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(timeout=60)
    assert "supervision.tasks.escalation_scan" in (tmp_path / "worker.log").read_text()
