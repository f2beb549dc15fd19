"""gunicorn's configuration for the case system (systemd: deploy/systemd/nankai-web.service).

    gunicorn -c deploy/gunicorn.conf.py config.wsgi:application

Everything here is read from the environment (the unit's EnvironmentFile,
deploy/nankai.env.example), with defaults for a single machine behind nginx:

GUNICORN_BIND       where to listen, default 127.0.0.1:8000 (nginx proxies to it)
GUNICORN_WORKERS    worker processes, default 2 x CPUs + 1
GUNICORN_THREADS    threads per worker, default 1
GUNICORN_TIMEOUT    seconds before a silent worker is restarted, default 60 (a workbook or a PDF takes a few)
FORWARDED_ALLOW_IPS the proxies whose X-Forwarded-* headers are trusted, default 127.0.0.1

The access log goes to stderr (journald) as one JSON line a request, with the
request id the application answers in X-Request-ID; the error log likewise
through Django's LOGGING (common/logs.py).
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# A worker restarted after so many requests does not grow without end.
max_requests = 2000
max_requests_jitter = 200
# Load the application before forking: a broken setting fails the start, not every worker.
preload_app = True

# No control socket in the service user's home (ProtectHome in the unit); systemd reloads with HUP.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The fields of a request; the application's JSON formatter (common.logs) writes
# them as one line with the time, the level and the request id. No query string
# (it may hold a search for a person's name) and no cookies.
access_log_format = (
    '{"remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", '
    '"duration_ms": %(M)s, "user_agent": "%(a)s", "request_id": "%({x-request-id}o)s"}'
)
