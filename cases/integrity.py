"""The tamper-evident history: recompute every chain."""
from dataclasses import dataclass, field

from .models import CaseHistory


@dataclass
class ChainReport:
    rows: int = 0
    cases: int = 0
    broken: list[str] = field(default_factory=list)


def verify_chains() -> ChainReport:
    """Walk each case's rows in order; report the first broken row per case."""
    report = ChainReport()
    current_case, previous_hash, case_broken = None, "", False
    rows = CaseHistory.objects.select_related("case").only(
        *[f.name for f in CaseHistory._meta.concrete_fields], "case__number"
    )
    for row in rows.order_by("case_id", "id").iterator(chunk_size=2000):
        if row.case_id != current_case:
            current_case, previous_hash, case_broken = row.case_id, "", False
            report.cases += 1
        report.rows += 1
        if case_broken:
            continue
        if row.prev_hash != previous_hash:
            problem = "does not follow the previous row (missing or reordered row)"
        elif row.compute_hash() != row.hash:
            problem = "content does not match its hash (changed)"
        else:
            previous_hash = row.hash
            continue
        report.broken.append(f"case {row.case.number}: history row {row.pk} ({row.action} at {row.at:%Y-%m-%d %H:%M}) {problem}")
        case_broken = True
    return report
