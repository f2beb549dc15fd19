"""python manage.py recompute_due_times: after a year's official holiday
notice is entered (admin, calendar years) or a newer chinese-calendar is
installed, count every open task's provisional due time again."""
from django.core.management.base import BaseCommand

from flows.recompute import recompute_provisional_due_times


class Command(BaseCommand):
    help = "Count provisional due times again on the official calendar once the missing year is known."

    def handle(self, *args, **options):
        changed, still = recompute_provisional_due_times()
        self.stdout.write(f"{changed} task(s) counted again; {still} still provisional "
                          f"(their years' notices are not loaded yet).")
