"""The shipped deployment files (deploy/): they name only what exists, the
environment template lists every setting the application reads, and the
production server started from its own configuration answers the probes over
plain HTTP while redirecting everything else to HTTPS."""
import ast
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = {name: (DEPLOY / "systemd" / f"{name}.service").read_text() for name in
         ("nankai-web", "nankai-worker", "nankai-beat")}


def settings_read(path: Path) -> set[str]:
    """Names a module reads with os.environ[...], os.environ.get(...), os.getenv(...) or env_bool(...)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        key = None
        if isinstance(node, ast.Call):
            func = ast.unparse(node.func)
            if func in ("os.environ.get", "os.getenv", "env_bool") and node.args:
                key = node.args[0]
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    return names


def application_modules():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in (".venv", "tests", "node_modules") or "migrations" in parts:
            continue
        yield path


def test_the_environment_template_lists_every_setting_the_application_reads():
    read = set().union(*(settings_read(path) for path in application_modules())) - {"DJANGO_SETTINGS_MODULE"}
    template = (DEPLOY / "nankai.env.example").read_text()
    listed = set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]+)=", template, re.M))
    assert read, "no setting found: the scan is broken"
    assert not read - listed, f"read but not in deploy/nankai.env.example: {sorted(read - listed)}"
    assert not listed - read, f"in deploy/nankai.env.example but read by nothing: {sorted(listed - read)}"


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_each_unit_runs_as_the_dedicated_user_from_the_shipped_files(unit):
    text = UNITS[unit]
    assert re.search(r"^User=nankai$", text, re.M) and re.search(r"^Group=nankai$", text, re.M)
    assert "User=root" not in text
    assert re.search(r"^EnvironmentFile=/etc/nankai/nankai.env$", text, re.M)
    assert re.search(r"^NoNewPrivileges=true$", text, re.M)
    exec_start = re.search(r"^ExecStart=(.*)$", text, re.M).group(1)
    # every file of the repository the command names exists
    for arg in exec_start.split():
        if arg.startswith("deploy/"):
            assert (ROOT / arg).is_file(), arg


def test_beat_keeps_its_schedule_outside_the_repository():
    exec_start = re.search(r"^ExecStart=(.*)$", UNITS["nankai-beat"], re.M).group(1)
    schedule = re.search(r"--schedule\s+(\S+)", exec_start).group(1)
    assert schedule.startswith("/var/lib/nankai/")
    assert "celerybeat-schedule*" in (ROOT / ".gitignore").read_text().split()


def test_gunicorn_runs_the_wsgi_application_with_the_shipped_config():
    exec_start = re.search(r"^ExecStart=(.*)$", UNITS["nankai-web"], re.M).group(1)
    assert "-c deploy/gunicorn.conf.py" in exec_start and exec_start.endswith("config.wsgi:application")


def test_nginx_terminates_tls_and_tells_the_application():
    site = (DEPLOY / "nginx" / "nankai.conf").read_text()
    snippet = (DEPLOY / "nginx" / "nankai-proxy.conf").read_text()
    assert "listen 443 ssl" in site and "proxy_set_header X-Forwarded-Proto https;" in site
    assert "location /static/" in site and "max-age=31536000" in site
    assert "X-Request-ID $request_id" in snippet and "X-Forwarded-For" in snippet
    # the probes answer on port 80 without a redirect
    assert "location = /healthz" in site and "location = /readyz" in site


def test_the_probes_are_exempt_from_the_https_redirect(settings):
    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        client = Client()
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code in (200, 503)  # answered, not redirected
        redirected = client.get("/login/")
        assert redirected.status_code == 301 and redirected["Location"].startswith("https://")
        # behind nginx, X-Forwarded-Proto says the request came over TLS
        assert client.get("/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers={"Host": "cases.nankai.gov.local", **(headers or {})})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(request, timeout=10)
        return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_production_server_answers_probes_over_plain_http(tmp_path):
    """gunicorn started as the unit starts it (its config, DEBUG off) on loopback."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "DJANGO_"))}
    env.update(DEBUG="0", SECRET_KEY="k7#Vq2!xLw9@pR4$zT6^mN8&bY3*cH5(dJ1)fG0_sA-u8Wq1Zr5Yt3Xe7Lp0Mn",
               HISTORY_KEY="h" * 50, ALLOWED_HOSTS="cases.nankai.gov.local", GUNICORN_BIND=f"127.0.0.1:{port}",
               GUNICORN_WORKERS="1", HISTORY_CHECKPOINT_DIR=str(tmp_path / "checkpoints"),
               DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}", PYTHONUNBUFFERED="1")
    env.pop("CELERY_BROKER_URL", None)
    env["STATIC_ROOT"] = str(tmp_path / "static")
    # production serves hashed, compressed copies of the static files (collectstatic, as in docs/operations.md)
    # (the API docs' and the admin's files are left out here only to save the test a minute of compression)
    collected = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0",
                                "-i", "drf_spectacular_sidecar", "-i", "admin", "-i", "rest_framework"], cwd=ROOT,
                               env=env, capture_output=True, text=True)
    assert collected.returncode == 0, collected.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/app.css"]
    assert re.fullmatch(r"css/app\.[0-9a-f]{12}\.css", hashed)
    assert (tmp_path / "static" / (hashed + ".gz")).is_file()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as out:
        server = subprocess.Popen([str(gunicorn), "-c", "deploy/gunicorn.conf.py", "config.wsgi:application"],
                                  cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                status, headers, body = _get(f"http://127.0.0.1:{port}/healthz", {"X-Request-ID": "probe-1"})
                break
            except (OSError, urllib.error.URLError):
                if server.poll() is not None:
                    pytest.fail(log.read_text())
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer: " + log.read_text())
        assert status == 200 and json.loads(body) == {"status": "ok"}
        assert headers["X-Request-ID"] == "probe-1"
        status, headers, _ = _get(f"http://127.0.0.1:{port}/login/")
        assert status == 301 and headers["Location"] == "https://cases.nankai.gov.local/login/"
        status, headers, page = _get(f"http://127.0.0.1:{port}/login/", {"X-Forwarded-Proto": "https"})
        assert status == 200 and "max-age" in headers.get("Strict-Transport-Security", "")
        assert f"/static/{hashed}" in page.decode()
        # a hashed name is served for a year (WhiteNoise), compressed when asked
        status, headers, _ = _get(f"http://127.0.0.1:{port}/static/{hashed}",
                                  {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("Content-Encoding") == "gzip"
        assert int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1)) >= 365 * 24 * 3600
    finally:
        server.terminate()
        server.wait(timeout=30)
    # the access log: one JSON line a request, with its id
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [entry for entry in lines if entry["logger"] == "gunicorn.access"]
    probe = next(entry for entry in access if entry["path"] == "/healthz")
    assert probe["status"] == 200 and probe["request_id"] == "probe-1" and probe["level"] == "INFO"
    assert {entry["logger"] for entry in lines} >= {"gunicorn.error", "gunicorn.access"}


def test_readyz_says_whether_beat_and_a_worker_are_alive(client, settings, monkeypatch):
    import time as clock

    from django.core.cache import cache

    from config import celery as celery_config
    from config import health

    monkeypatch.setattr(health, "_database", lambda: "ok")
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    monkeypatch.setattr(health, "_calendar", lambda: "ok")
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert "no heartbeat yet" in client.get("/readyz").json()["background"]
    cache.set(celery_config.HEARTBEAT_KEY, clock.time() - 600)
    stale = client.get("/readyz")
    assert stale.status_code == 200 and "no heartbeat for 6" in stale.json()["background"]  # told, not failed
    celery_config.heartbeat.apply()
    assert client.get("/readyz").json()["background"] == "ok"
    assert settings.CELERY_BEAT_SCHEDULE["heartbeat"]["task"] == celery_config.heartbeat.name


def _unit_command(unit: str, tmp_path: Path) -> list[str]:
    """The unit's ExecStart, run from this checkout: its virtualenv, beat's schedule in tmp_path."""
    exec_start = re.search(r"^ExecStart=(.*)$", UNITS[unit], re.M).group(1)
    exec_start = exec_start.replace("/opt/nankai/app/.venv/bin/", str(Path(sys.executable).parent) + "/")
    exec_start = exec_start.replace("/var/lib/nankai/", f"{tmp_path}/").replace("%%H", "opstest")
    return exec_start.split()


def test_beat_and_the_worker_run_from_their_units_and_beat_s_tasks_reach_the_worker(tmp_path):
    """Beat and a worker started with their units' arguments, DEBUG off: the
    heartbeat beat sends is run by the worker (the shared cache says when)."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but CELERY_BROKER_URL is not Redis")
        pytest.skip("needs Redis (set CELERY_BROKER_URL=redis://...)")
    from django.core.cache.backends.redis import RedisCache

    prefix = f"opstest{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DEBUG="0", SECRET_KEY="k7#Vq2!xLw9@pR4$zT6^mN8&bY3*cH5(dJ1)fG0_sA-u8Wq1Zr5Yt3Xe7Lp0Mn",
               HISTORY_KEY="h" * 50, ALLOWED_HOSTS="cases.nankai.gov.local", CACHE_KEY_PREFIX=prefix,
               HISTORY_CHECKPOINT_DIR=str(tmp_path / "checkpoints"), PYTHONUNBUFFERED="1",
               # the other periodic tasks beat sends at its start find an empty database and only log so
               DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}", EMAIL_BACKEND="django.core.mail.backends"
                                                                               ".locmem.EmailBackend")
    cache = RedisCache(broker, {"KEY_PREFIX": prefix})
    from config.celery import HEARTBEAT_KEY

    cache.delete(HEARTBEAT_KEY)
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("worker", "beat")}
    processes = [subprocess.Popen(_unit_command(f"nankai-{name}", tmp_path), cwd=ROOT, env=env, stdout=logs[name],
                                  stderr=subprocess.STDOUT) for name in ("worker", "beat")]
    try:
        # beat sends an interval's first run one interval after it starts: the heartbeat after a minute
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and cache.get(HEARTBEAT_KEY) is None:
            assert all(process.poll() is None for process in processes), [
                (tmp_path / f"{name}.log").read_text()[-3000:] for name in logs]
            time.sleep(0.5)
        assert cache.get(HEARTBEAT_KEY) is not None, (tmp_path / "worker.log").read_text()[-3000:] + (
            tmp_path / "beat.log").read_text()[-3000:]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        cache.delete(HEARTBEAT_KEY)
    assert (tmp_path / "celerybeat-schedule").exists() or list(tmp_path.glob("celerybeat-schedule*"))
    assert not list(ROOT.glob("celerybeat-schedule*")), "beat wrote its schedule into the repository"
    worker_lines = [json.loads(line) for line in (tmp_path / "worker.log").read_text().splitlines()
                    if line.startswith("{")]
    assert any(line["message"].endswith(" ready.") for line in worker_lines)


def test_the_container_route_keeps_in_step_with_the_units():
    """Dockerfile and compose.yaml: the production lock, the shipped gunicorn
    configuration, a user that is not root, the same worker and beat commands."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    compose = (ROOT / "compose.yaml").read_text()
    assert "pip install --require-hashes -r requirements.lock" in dockerfile
    assert "requirements-dev" not in dockerfile
    assert re.search(r"^USER nankai$", dockerfile, re.M)
    assert '"deploy/gunicorn.conf.py", "config.wsgi:application"' in dockerfile
    assert "FROM python:3.11" in dockerfile
    for unit in ("nankai-worker", "nankai-beat"):
        args = re.search(r"^ExecStart=\S+/celery (.*)$", UNITS[unit], re.M).group(1).split()
        command = next(line for line in compose.splitlines() if f'"{args[2]}"' in line and "command:" in line)
        listed = re.findall(r'"([^"]*)"', command)[1:]
        # the same subcommand and options; only the schedule's directory and the host name's escape differ
        assert [a for a in listed if not a.startswith("/")] == [
            a.replace("%%H", "%h") for a in args if not a.startswith("/")], unit
