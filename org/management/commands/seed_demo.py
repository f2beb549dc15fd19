"""Create the agencies and demo users (docs/architecture.md, "Agencies and users").

Running it again changes nothing. It refuses to run against a database that
holds users it did not create, so that it never plants known passwords in
production.
"""
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from org.models import User
from org.services import DEMO_PASSWORD, load_agencies, seed_demo_users


class Command(BaseCommand):
    help = "Create the district's agencies and the demo users (password: nankai-demo)."

    def handle(self, *args, **options):
        foreign = User.objects.filter(is_demo=False).count()
        if foreign:
            raise CommandError(
                f"Refusing to run: the database holds {foreign} user(s) that seed_demo did not create. "
                "Demo users with a known password must never be planted next to real accounts."
            )
        with transaction.atomic():
            agencies = load_agencies()
            created = seed_demo_users(password=DEMO_PASSWORD)
        self.stdout.write(f"{agencies} agencies, {created} new demo users (password: {DEMO_PASSWORD}).")
