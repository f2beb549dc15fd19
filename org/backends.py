"""Authentication backend that grants the task-routing permissions.

A task is routed to a queue through viewflow's `owner_permission` string
(docs/viewflow.md: there is no group field). The strings are built here, in one
place, and every user holds exactly the strings of their agency and role:

- ``agency:<code>``          any officer of the agency (its queue)
- ``agency:<code>:leader``   the agency's leaders (closure of general cases)
- ``role:supervisor``        safety-office supervisors (closure of major cases)
"""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from common.prepared import Prepared

from .models import Notification
from .roles import LEADER_ROLES, supervisor_q

UserModel = get_user_model()


def agency_permission(agency_code: str) -> str:
    return f"agency:{agency_code}"


def leader_permission(agency_code: str) -> str:
    return f"agency:{agency_code}:leader"


SUPERVISOR_PERMISSION = "role:supervisor"


def routing_permissions(user) -> set[str]:
    """The owner_permission strings whose tasks ``user`` may claim."""
    if user.is_anonymous or not user.is_active or user.agency_id is None:
        return set()
    cached = getattr(user, "_routing_perms", None)
    if cached is None:
        cached = {agency_permission(user.agency.code)}
        if user.is_leader:
            cached.add(leader_permission(user.agency.code))
        if user.is_supervisor:
            cached.add(SUPERVISOR_PERMISSION)
        user._routing_perms = cached
    return cached


class AgencyBackend(ModelBackend):
    """Username/password login plus the routing permissions above."""

    def get_user(self, user_id):
        """The signed-in user of a request, with their agency and the count of
        their unread notifications in the same statement, compiled once: every
        page reads them (the header, the roles, the queues)."""
        if not isinstance(user_id, int) or isinstance(user_id, bool):
            return super().get_user(user_id)
        found = _SIGNED_IN.objects(user_id=user_id)
        return found[0] if found and self.user_can_authenticate(found[0]) else None

    def get_all_permissions(self, user_obj, obj=None):
        perms = set(super().get_all_permissions(user_obj, obj))
        if obj is None:
            perms |= routing_permissions(user_obj)
        return perms

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active:
            return False
        if perm in routing_permissions(user_obj):
            return True
        return super().has_perm(user_obj, perm, obj)


def holders_q(permission: str) -> Q:
    """Who holds a routing permission, as a filter on active users: the
    reverse of ``routing_permissions`` (whom a queue's new task concerns)."""
    if permission == SUPERVISOR_PERMISSION:
        return supervisor_q() & Q(is_active=True)
    parts = permission.split(":")
    if len(parts) >= 2 and parts[0] == "agency":
        q = Q(agency__code=parts[1], is_active=True)
        if parts[2:] == ["leader"]:
            q &= Q(role__in=LEADER_ROLES)
        return q
    return Q(pk__in=[])


def _signed_in(user_id: int):
    unread = (Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True).order_by()
              .values("recipient").annotate(n=Count("pk")).values("n"))
    # unread_notifications: counted as the request began (org.views.unread_notifications shows it)
    return (UserModel._default_manager.select_related("agency").filter(pk=user_id)
            .annotate(unread_notifications=Coalesce(Subquery(unread), 0)))


_SIGNED_IN = Prepared(_signed_in)
