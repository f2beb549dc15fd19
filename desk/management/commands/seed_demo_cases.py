"""Demo cases for ``make run`` (desk/demo.py): every kind in every state.

Run after ``seed_demo``. Running it again changes nothing; like ``seed_demo``
it refuses a database holding users it did not create.
"""
from django.core.management.base import BaseCommand, CommandError

from desk.demo import has_demo_cases, seed_demo_cases
from org.models import User


class Command(BaseCommand):
    help = "Create the demo cases, campaign and reports (after seed_demo)."

    def handle(self, *args, **options):
        foreign = User.objects.filter(is_demo=False).count()
        if foreign:
            raise CommandError(f"Refusing to run: the database holds {foreign} user(s) that seed_demo did not create.")
        if not User.objects.filter(is_demo=True).exists():
            raise CommandError("Run seed_demo first: the demo cases are made by its users.")
        if has_demo_cases():
            self.stdout.write("The demo cases are there already.")
            return
        self.stdout.write(f"{seed_demo_cases()} demo cases, a campaign and last month's reports.")
