"""Probes for load balancers: /healthz (the process is up) and /readyz (the
database and the broker answer, the calendar is known). /readyz also says
whether beat and a worker are alive (``background``: the age of the heartbeat
beat sends and a worker runs every minute, config.celery), without failing on
it: a web server can serve while beat is restarted, and a load balancer must not
take every web server out because one beat is down; a monitor alerts on it."""
import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request):
    checks = {"database": _database(), "broker": _broker(), "calendar": _calendar()}
    failing = {name: detail for name, detail in checks.items() if detail != "ok"}
    if failing:
        return JsonResponse(
            {"error": {"code": "unavailable", "message": "not ready", "fields": failing},
             "background": _background()}, status=503
        )
    return JsonResponse({"status": "ok", "checks": checks, "background": _background()})


def _background() -> str:
    """"ok", or what says beat or the workers are not running: no heartbeat for three minutes."""
    if not settings.CELERY_BROKER_URL:
        return "ok"  # eager mode: tasks run in the request, beat's jobs by cron or by hand
    from django.core.cache import cache

    from config.celery import HEARTBEAT_EVERY, HEARTBEAT_KEY

    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception as error:  # noqa: BLE001
        return type(error).__name__
    if beat is None:
        return "no heartbeat yet: is beat running, and a worker?"
    age = time.time() - beat
    if age > 3 * HEARTBEAT_EVERY:
        return f"no heartbeat for {int(age)} s: beat or every worker is down"
    return "ok"


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        return type(error).__name__


def _broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "ok"  # eager mode: no broker to reach
    from config.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as error:  # noqa: BLE001
        return type(error).__name__


def _calendar() -> str:
    """"ok", or why the working-day calendar cannot be trusted: the current
    year's official holiday notice is missing, or the next year's within 30
    days of the new year (org.calendar.calendar_problems)."""
    from org.calendar import calendar_problems

    try:
        problems = calendar_problems()
    except Exception as error:  # noqa: BLE001
        return type(error).__name__
    if not problems:
        return "ok"
    return " ".join(f"{problem.year}: {problem.message}" for problem in problems)
