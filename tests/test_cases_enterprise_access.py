"""The mirror of case access by enterprise (``cases.EnterpriseAccess``, kept
by the triggers of ``cases.enterprise_access``) stays equal to what it mirrors
however access is granted, and the register's visibility read from it is the
rule as written (docs/register.md): an officer sees the enterprises of their
street and those named by a case their agency may see."""
import pytest
from django.db.models import Exists, OuterRef, Q

from cases.models import Case, CaseAccess, Enterprise, EnterpriseAccess
from cases.selectors import visible_cases
from cases.services import grant_access
from org.models import Agency
from register.rules import sees_whole_register
from register.selectors import visible_enterprises

from .factories import officer, register_enterprise
from .scenarios import complete, register

pytestmark = pytest.mark.django_db


def mirrored() -> set[tuple[int, int]]:
    return set(EnterpriseAccess.objects.values_list("agency_id", "enterprise_id"))


def derived() -> set[tuple[int, int]]:
    """The pairs as their definition says: an access row on a case naming the enterprise."""
    return set(CaseAccess.objects.filter(case__enterprise__isnull=False).values_list("agency_id", "case__enterprise_id"))


def by_the_rule(user) -> set[str]:
    """The enterprises the user sees, by the rule itself, over the cases it may see."""
    if sees_whole_register(user):
        return set(Enterprise.objects.values_list("uscc", flat=True))
    own = visible_cases(user).filter(enterprise_id=OuterRef("pk"))
    return set(Enterprise.objects.filter(Q(street_id=user.agency_id) | Exists(own)).values_list("uscc", flat=True))


def agency(code: str) -> int:
    return Agency.objects.get(code=code).pk


def test_every_way_access_is_granted_is_mirrored(street_officer, lead_officer):
    changhong, gulou = register_enterprise(91), register_enterprise(92, street="gulou")
    first = register(street_officer, enterprise={"uscc": gulou.uscc})
    assert mirrored() == derived() == {(agency("street_changhong"), gulou.pk), (agency("emergency"), gulou.pk)}

    complete(lead_officer, first["id"], "verify", "confirm", grade="general", agencies=["police"])  # a task
    assert (agency("police"), gulou.pk) in mirrored()
    grant_access(case_id=first["id"], agency_ids=[agency("education")])  # a grant by hand, then again
    grant_access(case_id=first["id"], agency_ids=[agency("education")])
    assert (agency("education"), gulou.pk) in mirrored() and mirrored() == derived()

    second = register(street_officer, enterprise={"uscc": changhong.uscc})
    grant_access(case_id=second["id"], agency_ids=[agency("education")])
    Case.objects.filter(pk=first["id"]).update(enterprise=changhong)  # no code does it; the mirror follows
    assert mirrored() == derived()
    assert (agency("police"), gulou.pk) not in mirrored() and (agency("police"), changhong.pk) in mirrored()
    Case.objects.filter(pk=second["id"]).update(enterprise=None)
    assert mirrored() == derived()


def test_the_register_shows_each_agency_what_the_rule_says(street_officer, lead_officer, other_officer):
    gulou_officer = officer("street_gulou", username="gulou_mirror")
    police = officer("police", username="police_mirror")
    enterprises = [register_enterprise(93), register_enterprise(94, street="gulou"),
                   register_enterprise(95, street="gulou"), register_enterprise(96, street="xuefu")]
    case = register(gulou_officer, street="gulou", enterprise={"uscc": enterprises[1].uscc})
    register(street_officer, enterprise={"uscc": enterprises[2].uscc})
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    for user in (street_officer, gulou_officer, police, lead_officer, other_officer):
        seen = set(visible_enterprises(user).values_list("uscc", flat=True))
        assert seen == by_the_rule(user), user.username
    assert set(visible_enterprises(police).values_list("uscc", flat=True)) == {enterprises[1].uscc}
    assert set(visible_enterprises(street_officer).values_list("uscc", flat=True)) == {
        enterprises[0].uscc, enterprises[2].uscc}
