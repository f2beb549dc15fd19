"""Seal every case's history under a new key.

    HISTORY_KEY=<new> HISTORY_RETIRED_KEYS=<old> python manage.py rotate_history_key

Run with the application and the workers stopped, right after deploying the
new key (docs/history.md, "Rotating the key"). Refuses, appending nothing,
when a chain is broken.
"""
from django.core.management.base import BaseCommand, CommandError

from cases.checkpoints import CheckpointError
from cases.rotation import RotationRefused, rotate_history_key


class Command(BaseCommand):
    help = "Append a row under the new HISTORY_KEY to every case's history, sealing the rows before it."

    def handle(self, *args, **options):
        try:
            rotated = rotate_history_key()
        except (RotationRefused, CheckpointError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{rotated.sealed} chains sealed under the new key")
        self.stdout.write(f"checkpoint written: {rotated.checkpoint}")
