"""Checking the history chains (``manage.py verify_history``).

A case's rows must be numbered 1..n without a gap, each must follow the one
before (its ``prev_hash``), each hash must be the keyed HMAC of its content,
and n and the last hash must be the length and head kept on the case row. The
cases and their rows are read as two streams in case order and merged, so the
check holds one case in memory at a time.
"""
from dataclasses import dataclass, field

from .history import row_digest
from .models import Case, CaseHistory


@dataclass
class ChainReport:
    rows: int = 0
    cases: int = 0
    broken: list[str] = field(default_factory=list)


def verify_chains() -> ChainReport:
    """Every case's chain; the first fault of each broken case is reported."""
    report = ChainReport()
    cases = Case.objects.order_by("pk").values_list("pk", "number", "history_head", "history_length")
    rows = CaseHistory.objects.order_by("case_id", "seq").iterator(chunk_size=2000)
    pending = next(rows, None)
    for pk, number, head, length in cases.iterator(chunk_size=2000):
        chain = []
        while pending is not None and pending.case_id < pk:  # rows of a case that no longer exists
            report.broken.append(f"history row {pending.pk} belongs to no case (case id {pending.case_id})")
            pending = next(rows, None)
        while pending is not None and pending.case_id == pk:
            chain.append(pending)
            pending = next(rows, None)
        report.cases += 1
        report.rows += len(chain)
        problem = chain_problem(chain, head=head, length=length)
        if problem:
            report.broken.append(f"case {number}: {problem}")
    return report


def chain_problem(chain: list[CaseHistory], *, head: str, length: int) -> str | None:
    """What is wrong with one case's rows (in ``seq`` order), or None."""
    previous = ""
    for position, row in enumerate(chain, start=1):
        where = f"history row {row.pk} ({row.action} at {row.at:%Y-%m-%d %H:%M})"
        if row.seq != position:
            return f"{where} is at position {row.seq}, expected {position} (a row is missing)"
        if row.prev_hash != previous:
            return f"{where} does not follow the row before it"
        if row_digest(row) != row.hash:
            return f"{where}: its content does not match its hash (changed, or rehashed without the key)"
        previous = row.hash
    if len(chain) != length:
        return f"the case records {length} history rows, {len(chain)} are stored (rows deleted)"
    if previous != head:
        return "the last history row is not the head the case records"
    return None
