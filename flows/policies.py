"""The deadline policy table holds a row for each step of each kind, with the
step's declared time limit, grace period and legal basis; migrate adds the
rows a new kind or step needs and never changes a row an administrator
edited."""
from org.models import DeadlinePolicy

from .registry import kinds


def declared_policies() -> list[DeadlinePolicy]:
    rows = []
    for kind in kinds().values():
        for name, node in kind.steps().items():
            if not node.escalates:
                continue
            rows.append(DeadlinePolicy(kind=kind.code, grade="", step=name, working_days=node.days,
                                       grace_working_days=node.grace, basis=node.basis))
            for grade, grace in kind.grace_by_grade.items():
                rows.append(DeadlinePolicy(kind=kind.code, grade=grade, step=name, working_days=node.days,
                                           grace_working_days=grace, basis=node.basis))
    return rows


def sync_deadline_policies(*args, **kwargs) -> int:
    """Add the missing rows (a post_migrate receiver; tests call it after a flush)."""
    existing = set(DeadlinePolicy.objects.values_list("kind", "grade", "step"))
    missing = [row for row in declared_policies() if (row.kind, row.grade, row.step) not in existing]
    DeadlinePolicy.objects.bulk_create(missing)
    return len(missing)
