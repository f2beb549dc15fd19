"""Writes to agencies and users: the reference list of agencies and the demo
accounts."""
import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from common.exceptions import InvalidInput

from .models import Agency, User

DEMO_PASSWORD = "nankai-demo"

AGENCIES_FILE = Path(__file__).resolve().parent / "data" / "agencies.json"


def load_agencies(agency_model=Agency) -> int:
    """The district's agencies (docs/architecture.md, "Agencies") and the
    other units the plan names; loaded by a migration, and again by tests
    after a flush."""
    rows = json.loads(AGENCIES_FILE.read_text(encoding="utf-8"))["agencies"]
    fields = {field.name for field in agency_model._meta.fields}  # a migration's model may have fewer
    for row in rows:
        defaults = {key: value for key, value in row.items() if key != "code" and key in fields}
        agency_model.objects.update_or_create(code=row["code"], defaults=defaults)
    return len(rows)


@transaction.atomic
def seed_demo_users(*, password: str) -> int:
    """``X_officer1``, ``X_officer2`` and ``X_leader`` for every agency code X
    (the plan's other units too: they report on their key tasks)."""
    created = 0
    for agency in Agency.objects.all():
        for suffix, role in (("officer1", User.Role.OFFICER), ("officer2", User.Role.OFFICER), ("leader", User.Role.LEADER)):
            if agency.kind == Agency.Kind.SAFETY_OFFICE and role == User.Role.OFFICER:
                role = User.Role.SUPERVISOR
            username = f"{agency.code}_{suffix}"
            if User.objects.filter(username=username).exists():
                continue
            user = User(
                username=username, agency=agency, role=role, is_demo=True,
                credential_no=f"12{agency.pk:04d}{len(suffix):02d}{created:04d}",
                full_name=f"{agency.name}{'负责人' if suffix == 'leader' else '执法人员' + suffix[-1]}",
            )
            user.set_password(password)
            user.save()
            created += 1
    return created


@transaction.atomic
def set_arrival_preferences(*, user: User, arrivals: object, email: object) -> User:
    """How ``user`` hears of new work in their queues, and whether by e-mail too."""
    errors = {}
    if arrivals not in User.Arrivals.values:
        errors["arrivals"] = [_("Choose one of: %s") % ", ".join(str(label) for label in User.Arrivals.labels)]
    if not isinstance(email, bool):
        errors["email"] = [_("Must be true or false.")]
    if errors:
        raise InvalidInput(fields=errors)
    user.arrivals, user.email_notifications = arrivals, email
    User.objects.filter(pk=user.pk).update(arrivals=arrivals, email_notifications=email)
    return user
