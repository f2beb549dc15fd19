"""Add the demo enterprises to the register (``make run`` runs it after ``seed_demo``).

Like ``seed_demo`` it refuses a database that holds users it did not create:
fictitious enterprises never go into a real register."""
from django.core.management.base import BaseCommand, CommandError

from org.models import User
from register.demo import seed_demo_enterprises


class Command(BaseCommand):
    help = "Add two dozen fictitious enterprises with products, licences and installations to the register."

    def handle(self, *args, **options):
        foreign = User.objects.filter(is_demo=False).count()
        if foreign:
            raise CommandError(f"Refusing to run: the database holds {foreign} user(s) that seed_demo did not create; "
                               "demo enterprises never go into a real register.")
        created, updated = seed_demo_enterprises()
        self.stdout.write(f"{created} demo enterprises added, {updated} refreshed.")
