"""System check: the working-day calendar knows the current year (an Error
otherwise) and, within 30 days of the new year, the next one (a Warning).
``manage.py check``, ``runserver`` and ``migrate`` run it; gunicorn does not,
so ``/readyz`` (config/health.py) checks the same."""
from django.core import checks
from django.db import DatabaseError


@checks.register("calendar")
def calendar_years(app_configs=None, **kwargs):
    from .calendar import calendar_problems

    try:
        problems = calendar_problems()
    except DatabaseError:
        # not migrated yet, or unreachable: the years an administrator entered
        # cannot be read; /readyz reports the database itself
        return []
    return [
        (checks.Error if problem.error else checks.Warning)(
            problem.message, id="org.E001" if problem.error else "org.W001",
            hint="Admin: 日历年度 / Calendar years; then: python manage.py recompute_due_times",
        )
        for problem in problems
    ]
