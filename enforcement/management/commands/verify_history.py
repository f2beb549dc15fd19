"""Check every case's history chain and every document's PDF; name what is broken.

    python manage.py verify_history                      # and against the latest checkpoint, if any
    python manage.py verify_history --checkpoint NAME    # against a named checkpoint (a file name or path)
    python manage.py verify_history --no-checkpoint      # the chains alone

Exit status 1 when a chain is broken, a case a checkpoint holds is gone or
shorter or rewritten, a checkpoint cannot be trusted, or a document's file no
longer matches the SHA-256 its case's history recorded (docs/history.md).
"""
import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases import checkpoints
from cases.integrity import snapshot, verify_chains
from enforcement.integrity import verify_documents


class Command(BaseCommand):
    help = "Verify the keyed hash chain of every case's history (against a checkpoint) and every document's PDF."
    # Verifying the record (after a restore, say) must not wait for an unrelated problem to be put
    # right first, such as a year's holiday notice not yet entered (org.E001).
    requires_system_checks = []

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--checkpoint", metavar="NAME",
                           help="compare with this checkpoint (a file in HISTORY_CHECKPOINT_DIR, or a path) "
                                "instead of the latest")
        group.add_argument("--no-checkpoint", action="store_true", help="check the chains alone")

    def handle(self, *args, **options):
        checkpoint = None if options["no_checkpoint"] else self._checkpoint(options["checkpoint"])
        with snapshot():
            report = verify_chains(checkpoint=checkpoint)
        self.stdout.write(f"{report.rows} history rows in {report.cases} cases checked")
        documents = verify_documents()
        self.stdout.write(f"{documents.checked} document files checked")
        problems = report.broken + documents.broken
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s); first: {problems[0]}")
        self.stdout.write("every chain is intact")

    def _checkpoint(self, name):
        if not name and not settings.HISTORY_CHECKPOINT_DIR:
            self.stdout.write("HISTORY_CHECKPOINT_DIR is not set: the chains are checked without a checkpoint")
            return None
        try:
            checkpoint = checkpoints.find(name)
        except checkpoints.CheckpointError as error:
            raise CommandError(str(error)) from None
        if checkpoint is None:
            self.stdout.write("no checkpoint to compare with (manage.py history_checkpoint writes one)")
        else:
            self.stdout.write(f"compared with checkpoint {checkpoint.name} ({checkpoint.cases} cases, "
                              f"{checkpoint.rows} history rows, written {checkpoint.written_at})")
            age = timezone.now() - dt.datetime.fromisoformat(checkpoint.written_at)
            if not name and age.total_seconds() > 2 * settings.HISTORY_CHECKPOINT_EVERY:
                # rows appended since then are not pinned: is beat writing checkpoints?
                self.stderr.write(f"the latest checkpoint is {age.days} days {age.seconds // 3600} hours old; rows "
                                  "appended since are pinned by none (is beat running history_checkpoint?)")
        return checkpoint
