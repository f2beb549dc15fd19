"""The supervision board and API: who may see them, what they show."""
import datetime as dt

import pytest
from django.test import Client

from org.models import CalendarDay, DeadlinePolicy, User

from .conftest import Api
from .factories import officer
from .scenarios import register
from .test_supervision_escalation import at, escalate


def test_supervision_list_is_for_the_safety_office(lead_officer, lead_leader, supervisor):
    assert Api(lead_officer).get("supervision/cases").status_code == 403
    assert Api(supervisor).get("supervision/cases").status_code == 200
    assert Api(supervisor).get("supervision/cases", level="7").status_code == 400
    client = Client()
    client.force_login(lead_officer)
    assert client.get("/supervision/").status_code == 403
    client.force_login(supervisor)
    assert client.get("/supervision/").status_code == 200
    client.force_login(lead_leader)
    assert client.get("/supervision/").status_code == 200


def test_board_shows_late_cases_by_agency_and_street(street_officer, supervisor):
    import time_machine

    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        case = register(street_officer)
    escalate(at(2026, 10, 20, 9, 0))
    client = Client()
    client.force_login(supervisor)
    html = client.get("/supervision/").content.decode()
    assert case["number"] in html and "挂牌督办" in html and "长虹街道" in html and "区应急局" in html
    # a leader of the lead agency sees it; a leader of an agency with no part in the case does not
    client.force_login(officer("emergency", User.Role.LEADER, username="em_leader_b"))
    assert case["number"] in client.get("/supervision/").content.decode()
    client.force_login(officer("education", User.Role.LEADER, username="edu_leader"))
    html = client.get("/supervision/").content.decode()
    assert client.get(f"/cases/{case['id']}/").status_code == 404
    assert case["number"] not in html and "区应急局" not in html.split("警示提醒")[0]


def test_policy_with_zero_or_negative_duration_is_refused_in_the_admin(admin_client):
    for days in ("0", "-2"):
        response = admin_client.post("/admin/org/deadlinepolicy/add/", {
            "kind": "", "grade": "", "step": "verify_x", "working_days": days, "grace_working_days": "1", "basis": ""})
        assert response.status_code == 200 and "errornote" in response.content.decode()
    assert not DeadlinePolicy.objects.filter(step="verify_x").exists()


def test_an_administrator_corrects_the_calendar_without_a_release(street_officer):
    import time_machine

    from flows.models import CaseTask

    from .scenarios import task_id

    CalendarDay.objects.create(date=dt.date(2026, 10, 8), is_working_day=False, note="临时调整")
    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        case = register(street_officer)
    assert CaseTask.objects.get(pk=task_id(case["id"], "verify")).due_at == at(2026, 10, 9, 23, 59, 59)


def test_policy_edits_apply_to_new_tasks(street_officer):
    from flows.models import CaseTask

    from .scenarios import task_id

    DeadlinePolicy.objects.filter(step="verify", kind="illegal_site").update(working_days=1)
    DeadlinePolicy.objects.filter(step="verify", kind="hazard", grade="").update(working_days=5)
    import time_machine

    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False):  # a Monday
        case = register(street_officer)
    assert CaseTask.objects.get(pk=task_id(case["id"], "verify")).due_at == at(2026, 11, 9, 23, 59, 59)


@pytest.fixture
def admin_client(db):
    from org.models import User

    admin = User.objects.create_superuser("admin", "a@x.local", "pw-123456")
    client = Client()
    client.force_login(admin)
    return client
