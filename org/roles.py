"""Who a user is, by role: each rule is written here once, and both the Python
test (``is_supervisor``) and the query (``supervisor_q``) are built from it.

- supervisor (督办): staff of the work-safety committee office (区安委会办公室),
  or any user given the supervisor role. Supervisors see every case, list
  cases for supervision and approve the closure of major hazards.
- leader (单位负责人): assigns the agency's tasks, approves the closure of its
  general cases, and is notified when its tasks run late.
"""
from django.db.models import Q

SUPERVISOR_ROLES = ("supervisor",)
SUPERVISOR_AGENCY_KINDS = ("safety_office",)
LEADER_ROLES = ("leader",)


def is_supervisor(user) -> bool:
    if getattr(user, "is_anonymous", True) or not user.is_active:
        return False
    if user.role in SUPERVISOR_ROLES:
        return True
    return user.agency_id is not None and user.agency.kind in SUPERVISOR_AGENCY_KINDS


def supervisor_q(prefix: str = "") -> Q:
    """The users (``prefix``: the path to them, e.g. ``"owner__"``) who are supervisors."""
    return Q(**{f"{prefix}role__in": SUPERVISOR_ROLES}) | Q(**{f"{prefix}agency__kind__in": SUPERVISOR_AGENCY_KINDS})


def is_leader(user) -> bool:
    return not getattr(user, "is_anonymous", True) and user.role in LEADER_ROLES


def leads(user, agency_id: int | None) -> bool:
    """``user`` is a leader of the agency ``agency_id``."""
    return agency_id is not None and is_leader(user) and user.agency_id == agency_id
