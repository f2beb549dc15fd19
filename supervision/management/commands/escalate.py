"""Run the escalation scan now, as of a given time (default: now).

    python manage.py escalate [--now 2026-10-09T09:00:00+08:00] [--workers K]

Celery beat runs the same code (supervision.tasks.escalation_scan). Running it
twice changes nothing the second time.
"""
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from supervision.escalation import scan


class Command(BaseCommand):
    help = "Apply every escalation rung that is due (reminder, leader notice, supervision listing)."
    # runs whatever else the system checks find (a year's holiday notice not entered yet: the ladder
    # keeps working on provisional due times, docs/calendar.md)
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO date-time to scan as of (default: now)")
        parser.add_argument("--workers", type=int, default=1,
                            help="processes for the batches (PostgreSQL; for a catch-up after an outage)")

    def handle(self, *args, now=None, workers=1, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        moment = timezone.now()
        if now:
            moment = parse_datetime(now)
            if moment is None:
                raise CommandError(f"--now {now!r} is not an ISO date-time such as 2026-10-09T09:00:00+08:00")
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        report = scan(now=moment, workers=workers)
        for fired in report.fired:
            self.stdout.write(f"  level {fired.level}: {fired.case_number} {fired.step} ({fired.agency})")
        self.stdout.write(report.summary())
