"""Probes for load balancers: /healthz (the process is up) and /readyz (the
database and the broker answer)."""
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
            {"error": {"code": "unavailable", "message": "not ready", "fields": failing}}, status=503
        )
    return JsonResponse({"status": "ok", "checks": checks})


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
