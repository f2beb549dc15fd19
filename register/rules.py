"""Who sees and who keeps the register (docs/register.md).

An officer sees the enterprises of the cases their agency may see and those
in their own street; the emergency bureau (which supervises hazardous-chemical
enterprises and keeps the register) and supervisors see all of it. The
emergency bureau and supervisors edit it and import workbooks."""

REGISTER_KEEPER = "emergency"


def sees_whole_register(user) -> bool:
    if getattr(user, "is_anonymous", True) or not user.is_active:
        return False
    return user.is_supervisor or (user.agency_id is not None and user.agency.code == REGISTER_KEEPER)


def keeps_register(user) -> bool:
    """May create, edit and import enterprises."""
    return sees_whole_register(user)
