"""Write a signed checkpoint of every case's history chain.

    python manage.py history_checkpoint

Verifies every chain against the latest checkpoint in HISTORY_CHECKPOINT_DIR
and writes a new one (beat runs the same every HISTORY_CHECKPOINT_EVERY
seconds). Exit status 1 when a chain is broken or a case the latest checkpoint
holds is gone: the new checkpoint is written all the same, with the broken
cases pinned as the latest had them (docs/history.md).
"""
from django.core.management.base import BaseCommand, CommandError

from cases.checkpoints import CheckpointError
from cases.integrity import write_checkpoint


class Command(BaseCommand):
    help = "Verify every history chain and write a signed checkpoint of their lengths and heads."
    # runs whatever else the system checks find (a year's holiday notice not entered yet: the ladder
    # keeps working on provisional due times, docs/calendar.md)
    requires_system_checks = []

    def handle(self, *args, **options):
        try:
            written = write_checkpoint()
        except CheckpointError as error:
            raise CommandError(str(error)) from None
        report = written.report
        self.stdout.write(f"{report.rows} history rows in {report.cases} cases checked"
                          + (f" against {written.previous.name}" if written.previous else ""))
        self.stdout.write(f"checkpoint written: {written.path}")
        for path in written.pruned:
            self.stdout.write(f"older checkpoint removed: {path.name}")
        if report.broken:
            for problem in report.broken:
                self.stderr.write(problem)
            raise CommandError(f"{len(report.broken)} problem(s); first: {report.broken[0]}")
