"""Check every case's history hash chain and name the first broken row.

    python manage.py verify_history

Exit status 1 when a chain is broken.
"""
from django.core.management.base import BaseCommand, CommandError

from cases.integrity import verify_chains


class Command(BaseCommand):
    help = "Verify the SHA-256 hash chain of every case's history."

    def handle(self, *args, **options):
        report = verify_chains()
        self.stdout.write(f"{report.rows} history rows in {report.cases} cases checked")
        if report.broken:
            for problem in report.broken:
                self.stderr.write(problem)
            raise CommandError(f"{len(report.broken)} broken chain(s); first: {report.broken[0]}")
        self.stdout.write("every chain is intact")
