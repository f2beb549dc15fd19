"""Check every case's history chain and every document's PDF; name what is broken.

    python manage.py verify_history

Exit status 1 when a chain is broken or a document's file no longer matches
the SHA-256 its case's history recorded (docs/history.md).
"""
from django.core.management.base import BaseCommand, CommandError

from cases.integrity import verify_chains
from enforcement.integrity import verify_documents


class Command(BaseCommand):
    help = "Verify the keyed hash chain of every case's history and the PDF of every document."

    def handle(self, *args, **options):
        report = verify_chains()
        self.stdout.write(f"{report.rows} history rows in {report.cases} cases checked")
        documents = verify_documents()
        self.stdout.write(f"{documents.checked} document files checked")
        problems = report.broken + documents.broken
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s); first: {problems[0]}")
        self.stdout.write("every chain is intact")
