"""Moves the clock of a process the tests start (a Celery worker, gunicorn,
``manage.py``) by the same offset as the suite's own, when the suite runs with
``pytest --clock`` (tests/conftest.py puts this directory first on PYTHONPATH
and sets TEST_CLOCK_OFFSET_S; Python imports ``sitecustomize`` at start-up).
Without the variable it does nothing."""
import os

if os.environ.get("TEST_CLOCK_OFFSET_S"):
    import datetime as dt

    import time_machine

    moved = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=float(os.environ["TEST_CLOCK_OFFSET_S"]))
    time_machine.travel(moved, tick=True).start()
