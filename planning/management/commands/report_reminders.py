"""Send the report reminders due today (or as of --today YYYY-MM-DD); beat runs the same code hourly (each reminder is sent once)."""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from planning.reminders import run_report_reminders


class Command(BaseCommand):
    help = "Remind units of their monthly report (from the 15th) and list late units (from the 21st)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the date to act as of, YYYY-MM-DD")

    def handle(self, *args, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError(f"--today {today!r} is not a date such as 2026-11-15")
        self.stdout.write(run_report_reminders(today=day).summary())
