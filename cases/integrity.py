"""Checking the history chains (``manage.py verify_history``).

A case's rows must be numbered 1..n without a gap, each must follow the one
before (its ``prev_hash``), each hash must be the keyed HMAC of its content,
and n and the last hash must be the length and head kept on the case row. The
cases and their rows are read as two streams in case order and merged, so the
check holds one case in memory at a time.

Given a checkpoint (``cases.checkpoints``: the signed lengths and heads of
every chain, written outside the database), a third stream in case order is
merged too: a case the checkpoint holds must still exist, with at least the
rows it had then, and its row at the checkpoint's length must be the one the
checkpoint recorded. That finds what the chain alone cannot: a case deleted
with its history, a history truncated, or a tail dropped with the case's head
and length moved back to match.
"""
import contextlib
import datetime as dt
import hmac
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from . import checkpoints
from .checkpoints import Checkpoint, Pin
from .history import KEY_ROTATED, row_digest, verification_keys
from .models import Case, CaseHistory


@dataclass
class ChainReport:
    rows: int = 0
    cases: int = 0
    broken: list[str] = field(default_factory=list)


def verify_chains(*, checkpoint: Checkpoint | None = None, keep: Callable[[Pin], None] | None = None,
                  to_seal: bool = False) -> ChainReport:
    """Every case's chain; the first fault of each broken case is reported.

    With ``checkpoint``, each case it holds is also compared with it. ``keep``
    receives, in case order, what a new checkpoint should hold for each case:
    the chain as stored when it is intact (and extends the checkpoint's), else
    the checkpoint's own pin, carried forward so that the evidence of the
    tampering is never lost. ``to_seal``: every row may be under a retired key
    (the chains a key rotation is about to seal)."""
    report = ChainReport()
    pins = _Pins(checkpoint)
    cases = Case.objects.order_by("pk").values_list("pk", "number", "history_head", "history_length")
    rows = CaseHistory.objects.order_by("case_id", "seq").iterator(chunk_size=2000)
    pending = next(rows, None)
    for pk, number, head, length in cases.iterator(chunk_size=2000):
        for gone in pins.before(pk):
            report.broken.append(pins.gone(gone))
            keep and keep(gone)
        chain = []
        while pending is not None and pending.case_id < pk:  # rows of a case that no longer exists
            report.broken.append(_orphan(pending))
            pending = next(rows, None)
        while pending is not None and pending.case_id == pk:
            chain.append(pending)
            pending = next(rows, None)
        report.cases += 1
        report.rows += len(chain)
        pin = pins.take(pk)
        problem = chain_problem(chain, head=head, length=length, to_seal=to_seal) or (pin and pins.problem(chain, pin))
        if problem:
            report.broken.append(f"case {number}: {problem}")
        if keep and (pin or not problem):
            keep(pin if problem else Pin(pk, number, len(chain), chain[-1].hash if chain else ""))
    while pending is not None:
        report.broken.append(_orphan(pending))
        pending = next(rows, None)
    for gone in pins.rest():
        report.broken.append(pins.gone(gone))
        keep and keep(gone)
    if checkpoint and report.rows < checkpoint.rows:
        report.broken.append(_("the history holds %(rows)d rows, fewer than the %(pinned)d checkpoint %(name)s "
                               "recorded (rows deleted or the table truncated)")
                             % {"rows": report.rows, "pinned": checkpoint.rows, "name": checkpoint.name})
    return report


@contextlib.contextmanager
def snapshot():
    """One consistent view of cases and rows while they are read as two streams:
    a step appending meanwhile is not mistaken for tampering (on PostgreSQL a
    read-only REPEATABLE READ transaction; SQLite's transaction is one)."""
    if connection.in_atomic_block:  # the caller's transaction (a test's) is the snapshot
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


@dataclass
class Written:
    path: Path
    report: ChainReport
    previous: Checkpoint | None
    pruned: list[Path]


def write_checkpoint(*, now: dt.datetime | None = None) -> Written:
    """Verify every chain against the latest checkpoint and write a new one
    (``manage.py history_checkpoint``, beat). An intact chain is pinned as
    stored; a broken one keeps the pin the latest checkpoint gave it, so the
    new checkpoint still shows what was lost. The report lists what is broken;
    a checkpoint that cannot be trusted raises CheckpointError and nothing is
    written."""
    previous = checkpoints.find()
    writer = checkpoints.Writer(now=now)
    try:
        with snapshot():
            report = verify_chains(checkpoint=previous, keep=writer.add)
        path = writer.finish()
    except BaseException:
        writer.abort()
        raise
    pruned = checkpoints.prune(keep=settings.HISTORY_CHECKPOINT_KEEP)
    return Written(path=path, report=report, previous=previous, pruned=pruned)


def _orphan(row: CaseHistory) -> str:
    return f"history row {row.pk} belongs to no case (case id {row.case_id})"


def chain_problem(chain: list[CaseHistory], *, head: str, length: int, to_seal: bool = False) -> str | None:
    """What is wrong with one case's rows (in ``seq`` order), or None.

    Each row's hash is the HMAC of its content under the current key; a row
    before the chain's last key rotation may be under a retired key instead
    (the rotation's row, under the current key, seals it)."""
    keys = verification_keys()
    sealed = len(chain) + 1 if to_seal else max(
        (i for i, row in enumerate(chain, start=1) if row.action == KEY_ROTATED), default=0)
    previous = ""
    for position, row in enumerate(chain, start=1):
        where = f"history row {row.pk} ({row.action} at {row.at:%Y-%m-%d %H:%M})"
        if row.seq != position:
            return f"{where} is at position {row.seq}, expected {position} (a row is missing)"
        if row.prev_hash != previous:
            return f"{where} does not follow the row before it"
        if not any(hmac.compare_digest(row_digest(row, key=key), row.hash)
                   for key in (keys if position < sealed else keys[:1])):
            return f"{where}: its content does not match its hash (changed, or rehashed without the key)"
        previous = row.hash
    if len(chain) != length:
        return f"the case records {length} history rows, {len(chain)} are stored (rows deleted)"
    if previous != head:
        return "the last history row is not the head the case records"
    return None


class _Pins:
    """The checkpoint's pins, consumed in case order alongside the cases."""

    def __init__(self, checkpoint: Checkpoint | None):
        self.name = checkpoint.name if checkpoint else ""
        self.stream: Iterator[Pin] = checkpoint.pins() if checkpoint else iter(())
        self.pending = next(self.stream, None)

    def before(self, pk: int) -> Iterator[Pin]:
        while self.pending is not None and self.pending.pk < pk:
            yield self._advance()

    def take(self, pk: int) -> Pin | None:
        if self.pending is not None and self.pending.pk == pk:
            return self._advance()
        return None

    def rest(self) -> Iterator[Pin]:
        while self.pending is not None:
            yield self._advance()

    def _advance(self) -> Pin:
        pin, self.pending = self.pending, next(self.stream, None)
        return pin

    def gone(self, pin: Pin) -> str:
        return _("case %(number)s: checkpoint %(name)s records it with %(length)d history rows; the case is gone "
                 "(deleted with its history)") % {"number": pin.number, "name": self.name, "length": pin.length}

    def problem(self, chain: list[CaseHistory], pin: Pin) -> str | None:
        if len(chain) < pin.length:
            return _("checkpoint %(name)s records %(length)d history rows, %(stored)d are stored (rows deleted)") % {
                "name": self.name, "length": pin.length, "stored": len(chain)}
        if pin.length and chain[pin.length - 1].hash != pin.head:
            return _("history row %(pk)d (position %(length)d) is not the one checkpoint %(name)s recorded "
                     "(history rewritten)") % {"pk": chain[pin.length - 1].pk, "length": pin.length, "name": self.name}
        return None
