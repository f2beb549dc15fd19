"""Who sees a case: its lead agency, its street, the agencies brought in and
the supervisors do; another agency, an officer without an agency, a deactivated
officer and an anonymous visitor do not, and a case they cannot see is absent
(404), not forbidden. Linked cases (a penalty opened from a hazard) are shown
only to whoever may see them, oldest first."""
import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from cases.models import Case
from cases.selectors import get_visible_case, linked_cases, visible_cases
from common.exceptions import NotFound
from org.models import User

from .factories import UserFactory, officer
from .scenarios import complete, register


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def cases(street_officer, lead_officer):
    """One hazard in 长虹街道 with the police brought in; one in 鼓楼街道 without."""
    changhong = register(street_officer)["id"]
    complete(lead_officer, changhong, "verify", "confirm", grade="general", agencies=["police"])
    gulou = register(officer("street_gulou"), street="gulou")["id"]
    return changhong, gulou


def test_each_sees_the_cases_of_its_agency(cases, street_officer, lead_officer, police_officer, other_officer,
                                           supervisor):
    changhong, gulou = cases
    assert ids(visible_cases(lead_officer)) == {changhong, gulou}        # the lead agency of both
    assert ids(visible_cases(street_officer)) == {changhong}             # its street's
    assert ids(visible_cases(police_officer)) == {changhong}             # brought in
    assert ids(visible_cases(other_officer)) == set()
    assert ids(visible_cases(supervisor)) == {changhong, gulou}


def test_a_supervisor_by_role_sees_every_case_whatever_the_agency(cases):
    by_role = officer("education", User.Role.SUPERVISOR, username="edu_supervisor")
    assert ids(visible_cases(by_role)) == set(cases)


def test_no_one_without_an_agency_an_account_or_an_active_one_sees_anything(cases, lead_officer):
    assert ids(visible_cases(AnonymousUser())) == set()
    assert ids(visible_cases(UserFactory(agency=None))) == set()
    lead_officer.is_active = False
    lead_officer.save()
    assert ids(visible_cases(lead_officer)) == set()
    inactive_supervisor = officer("safety_office", User.Role.SUPERVISOR, username="gone", is_active=False)
    assert ids(visible_cases(inactive_supervisor)) == set()


def test_a_case_not_visible_is_absent(cases, street_officer, other_officer, supervisor):
    changhong, gulou = cases
    assert get_visible_case(street_officer, changhong).pk == changhong
    assert get_visible_case(street_officer, str(changhong)).pk == changhong
    assert get_visible_case(supervisor, gulou).street.code == "street_gulou"
    for user, case_id in [(street_officer, gulou), (other_officer, changhong), (supervisor, 10 ** 6),
                          (supervisor, "abc"), (supervisor, None), (supervisor, -1)]:
        with pytest.raises(NotFound):
            get_visible_case(user, case_id)


def test_the_case_is_read_with_what_its_page_shows_in_two_queries(cases, supervisor, django_assert_num_queries):
    changhong, _gulou = cases
    with django_assert_num_queries(2):               # the case with its relations, then its participants
        case = get_visible_case(supervisor, changhong)
        shown = (case.street.name, case.lead_agency.name, case.enterprise.name if case.enterprise else "",
                 case.created_by.username, case.campaign, [a.code for a in case.participants.all()])
    assert shown[-1] == ["police"]


def test_linked_cases_both_ways_only_those_visible_oldest_first(cases, street_officer, lead_officer, other_officer,
                                                                 supervisor, django_assert_num_queries):
    changhong, gulou = cases
    first = register(street_officer)["id"]
    second = register(street_officer)["id"]
    # penalties opened from the 长虹 hazard; the later-created row is the older one by time
    Case.objects.filter(pk__in=[first, second]).update(details={"source_case": changhong})
    Case.objects.filter(pk=first).update(created_at=dt.datetime(2026, 10, 2, tzinfo=dt.timezone.utc))
    Case.objects.filter(pk=second).update(created_at=dt.datetime(2026, 10, 1, tzinfo=dt.timezone.utc))
    source = Case.objects.get(pk=changhong)
    assert [c.pk for c in linked_cases(source, supervisor)] == [second, first]
    with django_assert_num_queries(1):              # what the case page lists of each, in one query
        listed = [(c.number, c.kind, c.title, c.state, c.created_at) for c in linked_cases(source, supervisor)]
    assert [row[1] for row in listed] == ["hazard", "hazard"]
    assert [c.pk for c in linked_cases(Case.objects.get(pk=first), supervisor)] == [changhong]

    # a case linked to one the reader cannot see: the reader sees only its own side
    Case.objects.filter(pk=gulou).update(details={"source_case": changhong})
    assert gulou in {c.pk for c in linked_cases(source, lead_officer)}
    assert gulou not in {c.pk for c in linked_cases(source, street_officer)}
    assert [c.pk for c in linked_cases(Case.objects.get(pk=gulou), street_officer)] == [changhong]
    assert [c.pk for c in linked_cases(Case.objects.get(pk=gulou), other_officer)] == []
    assert [c.pk for c in linked_cases(Case.objects.get(pk=gulou), lead_officer)] == [changhong]
    # a case neither opened from another nor the source of one
    assert linked_cases(Case.objects.get(pk=register(street_officer)["id"]), supervisor) == []
