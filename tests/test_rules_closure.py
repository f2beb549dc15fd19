"""Closure (销号): a general hazard is closed by a leader of its lead agency,
a major one by the safety office; an officer, another agency's leader or the
lead's leader for a major hazard is refused; a case listed for supervision
(挂牌督办) is closed only once the listing is removed (摘牌), and the refusal
leaves it as it was."""
import time_machine
from django.utils import timezone

from cases.models import Case, CaseHistory
from org.models import User

from .conftest import Api
from .factories import officer
from .scenarios import complete, open_tasks, register


def reviewed(street_officer, lead_officer, lead_officer2, future_date, grade="general") -> int:
    case = register(street_officer)
    extra = {"criteria": [5]} if grade == "major" else {}
    complete(lead_officer, case["id"], "verify", "confirm", grade=grade, **extra)
    if grade == "major":  # a major hazard is consulted on first, by the lead agency at least
        complete(lead_officer, case["id"], "consult", "agree", queue="emergency", opinion="同意")
    complete(lead_officer, case["id"], "order", "issue", deadline=future_date, measures="m", responsible_person="p",
             funds="f", contingency_plan="c")
    complete(lead_officer, case["id"], "rectify", "submit", report="done")
    complete(lead_officer2, case["id"], "review", "pass")
    return case["id"]


def approve(user, case_id):
    close = open_tasks(case_id, "close")[0]
    return Api(user).post(f"tasks/{close.pk}/complete", {"action": "approve", "note": "同意销号"})


def test_a_general_hazard_is_closed_by_a_leader_of_its_lead_agency(street_officer, lead_officer, lead_officer2,
                                                                     lead_leader, supervisor, future_date):
    case_id = reviewed(street_officer, lead_officer, lead_officer2, future_date)
    close = open_tasks(case_id, "close")[0]
    assert (close.agency.code, close.owner_permission) == ("emergency", "agency:emergency:leader")
    assert approve(lead_officer, case_id).status_code == 403
    assert approve(officer("police", User.Role.LEADER), case_id).status_code == 404  # not even visible to them
    assert Case.objects.get(pk=case_id).state == "reviewing"
    now = timezone.now().replace(microsecond=0)
    with time_machine.travel(now, tick=False):
        assert approve(lead_leader, case_id).status_code == 200
    closed = Case.objects.get(pk=case_id)
    assert closed.state == "closed" and closed.closed_at == now


def test_a_major_hazard_is_closed_by_the_safety_office(street_officer, lead_officer, lead_officer2, lead_leader,
                                                       supervisor, future_date):
    case_id = reviewed(street_officer, lead_officer, lead_officer2, future_date, grade="major")
    close = open_tasks(case_id, "close")[0]
    assert (close.agency.code, close.owner_permission) == ("safety_office", "role:supervisor")
    assert approve(lead_leader, case_id).status_code == 403
    assert approve(supervisor, case_id).status_code == 200
    assert Case.objects.get(pk=case_id).state == "closed"


def test_a_listed_case_is_closed_only_after_its_removal(street_officer, lead_officer, lead_officer2, lead_leader,
                                                        future_date):
    case_id = reviewed(street_officer, lead_officer, lead_officer2, future_date)
    Case.objects.filter(pk=case_id).update(listed=True)        # listed for supervision, not yet removed
    rows = CaseHistory.objects.filter(case_id=case_id).count()
    refused = approve(lead_leader, case_id)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "listed"
    assert refused.json()["error"]["message"] == "该案件已挂牌督办，摘牌后方可销号。"
    case = Case.objects.get(pk=case_id)
    assert case.state == "reviewing" and case.closed_at is None
    assert CaseHistory.objects.filter(case_id=case_id).count() == rows
    assert len(open_tasks(case_id, "close")) == 1

    Case.objects.filter(pk=case_id).update(listed=False)       # 摘牌
    assert approve(lead_leader, case_id).status_code == 200
    assert Case.objects.get(pk=case_id).state == "closed"
    assert CaseHistory.objects.filter(case_id=case_id, action="approve").exists()
