"""The escalation ladder, rung by rung, with the clock frozen: who is told at
each rung (the holder, else the agency's officers; then its leaders; then the
safety office and its leaders), what is recorded (an Escalation row, a history
row in the chain, the task's and the case's level), and the case listed for
supervision once, however many of its tasks are late."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.models import Case, CaseHistory
from flows.models import CaseTask
from org.models import Notification, User
from supervision import escalation
from supervision.models import Escalation, SupervisionProcess

from .conftest import Api
from .factories import officer
from .scenarios import open_tasks, register, task_id

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


REMIND, DUE, LIST = at(2026, 10, 7, 12), at(2026, 10, 9, 9), at(2026, 10, 13, 9)


@pytest.fixture
def people(lead_officer, lead_officer2, lead_leader, supervisor, police_officer):
    return {"officer": lead_officer, "officer2": lead_officer2, "leader": lead_leader, "supervisor": supervisor,
            "police": police_officer,
            "police_leader": officer("police", User.Role.LEADER, username="police_leader")}


@pytest.fixture
def verify(street_officer, people):
    """A hazard registered on Monday 28 September 2026: its verification is due
    8 October (the National Day holiday between), listed after 12 October."""
    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        case = register(street_officer)
    return CaseTask.objects.get(pk=task_id(case["id"], "verify"))


def told(level: int) -> dict[str, str]:
    """Who got a notice of the rung: {username: link}."""
    return {n.recipient.username: n.link for n in Notification.objects.filter(level=level).select_related("recipient")}


def test_a_reminder_goes_to_the_agencys_officers_while_the_task_is_in_the_queue(verify, people):
    report = escalation.scan(now=REMIND)
    assert [(f.level, f.agency, f.step) for f in report.fired] == [(1, "emergency", "verify")]
    link = f"/tasks/{verify.pk}/"
    assert told(1) == {"em_officer": link, "em_officer2": link, "em_leader": link}
    row = Escalation.objects.get()
    assert (row.task_id, row.case_id, row.agency.code, row.level, row.fired_at, row.due_at) == (
        verify.pk, verify.case_id, "emergency", 1, REMIND, verify.due_at)
    entry = CaseHistory.objects.get(case_id=verify.case_id, action="escalate")
    assert (entry.at, entry.step, entry.task_id, entry.data) == (REMIND, "verify", verify.pk,
                                                                 {"level": 1, "agency": "emergency"})
    assert entry.from_state == entry.to_state == Case.objects.get(pk=verify.case_id).state
    verify.refresh_from_db()
    assert verify.escalation_level == 1 and verify.next_escalation_at == verify.due_at
    assert Case.objects.get(pk=verify.case_id).supervision_level == 0
    assert escalation.scan(now=REMIND).fired == []                      # a rerun fires nothing


def test_a_reminder_goes_to_the_holder_alone(verify, people):
    assert Api(people["officer2"]).post(f"tasks/{verify.pk}/claim").status_code == 200
    escalation.scan(now=REMIND)
    assert told(1) == {"em_officer2": f"/tasks/{verify.pk}/"}


def test_at_the_due_time_the_leaders_are_told_and_the_case_is_marked(verify, people):
    escalation.scan(now=REMIND)
    report = escalation.scan(now=DUE)
    assert [f.level for f in report.fired] == [2]
    assert told(2) == {"em_leader": f"/tasks/{verify.pk}/"}
    verify.refresh_from_db()
    assert verify.escalation_level == 2 and verify.next_escalation_at == verify.supervise_at
    assert Case.objects.get(pk=verify.case_id).supervision_level == 2
    assert not SupervisionProcess.objects.exists()


def test_after_the_grace_the_safety_office_and_the_leaders_are_told_and_the_case_listed(verify, people):
    escalation.scan(now=REMIND)
    escalation.scan(now=DUE)
    report = escalation.scan(now=LIST)
    assert [f.level for f in report.fired] == [3]
    assert told(3) == {"supervisor": f"/cases/{verify.case_id}/", "em_leader": f"/cases/{verify.case_id}/"}
    verify.refresh_from_db()
    assert verify.escalation_level == 3 and verify.next_escalation_at is None
    assert Case.objects.get(pk=verify.case_id).supervision_level == 3
    process = SupervisionProcess.objects.get(case_id=verify.case_id)
    assert process.lagging_agency.code == "emergency" and process.late_task_id == verify.pk
    assert len(open_tasks(verify.case_id, "supervise")) == 1
    assert escalation.scan(now=LIST + dt.timedelta(days=1)).fired == []


def test_a_late_scan_fires_every_rung_due_at_once_each_to_its_own(verify, people):
    report = escalation.scan(now=LIST)
    number = Case.objects.get(pk=verify.case_id).number
    subjects = {n.level: n.subject for n in Notification.objects.filter(recipient=people["leader"])}
    assert subjects[1].startswith(f"提醒：{number}") and subjects[2].startswith(f"逾期：{number}")
    assert subjects[3].startswith(f"挂牌督办：{number}")
    assert sorted(f.level for f in report.fired) == [1, 2, 3]
    assert set(told(1)) == {"em_officer", "em_officer2", "em_leader"}
    assert set(told(2)) == {"em_leader"} and set(told(3)) == {"supervisor", "em_leader"}
    assert "police" not in told(1) and "police_leader" not in {**told(2), **told(3)}
    assert sorted(Escalation.objects.values_list("level", flat=True)) == [1, 2, 3]
    notes = {e.data["level"]: e.note for e in CaseHistory.objects.filter(case_id=verify.case_id, action="escalate")}
    assert notes == {1: "已发送提醒：期限为 2026-10-08 23:59", 2: "逾期：已通知区应急局负责人",
                     3: "挂牌督办：区应急局未按期完成核实"}
    # each notice is due for delivery at once
    assert set(Notification.objects.values_list("next_attempt_at", flat=True)) == {LIST}
    verify.refresh_from_db()
    assert verify.escalation_level == 3


def test_a_cases_level_never_goes_down(verify, people):
    Case.objects.filter(pk=verify.case_id).update(supervision_level=3)
    escalation.scan(now=DUE)                       # rungs 1 and 2: the case stays at 3
    assert Case.objects.get(pk=verify.case_id).supervision_level == 3
    verify.refresh_from_db()
    assert verify.escalation_level == 2


def test_a_case_keeps_the_highest_level_of_its_tasks_in_one_scan(street_officer, lead_officer, people):
    """Two consultations of one case: the first past its grace, the second only
    overdue: the case is at level 3, whatever the order the batch meets them."""
    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        case_id = register(street_officer)["id"]
        Api(lead_officer).post(f"tasks/{task_id(case_id, 'verify')}/complete",
                               {"action": "confirm", "grade": "major", "agencies": ["police"], "criteria": [5]})
    first, second = sorted(open_tasks(case_id, "consult"), key=lambda t: t.pk)
    CaseTask.objects.filter(pk=second.pk).update(supervise_at=at(2026, 12, 31, 9))
    report = escalation.scan(now=at(2026, 11, 30, 9))
    assert sorted((f.agency, f.level) for f in report.fired if f.level > 1) == sorted(
        [(first.agency.code, 2), (first.agency.code, 3), (second.agency.code, 2)])
    assert Case.objects.get(pk=case_id).supervision_level == 3


def test_a_case_with_two_late_tasks_is_listed_once(street_officer, lead_officer, people):
    """A major hazard consulted on by two agencies, both late: one supervision."""
    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        case_id = register(street_officer)["id"]
        Api(lead_officer).post(f"tasks/{task_id(case_id, 'verify')}/complete",
                               {"action": "confirm", "grade": "major", "agencies": ["police"], "criteria": [5]})
    consults = open_tasks(case_id, "consult")
    assert sorted(t.agency.code for t in consults) == ["emergency", "police"]
    report = escalation.scan(now=at(2026, 11, 30, 9))
    assert sorted((f.agency, f.level) for f in report.fired) == [
        ("emergency", 1), ("emergency", 2), ("emergency", 3), ("police", 1), ("police", 2), ("police", 3)]
    assert SupervisionProcess.objects.filter(case_id=case_id).count() == 1
    assert Escalation.objects.filter(case_id=case_id, level=3).count() == 2
    assert Case.objects.get(pk=case_id).supervision_level == 3
    # each agency's leaders hear of their own task; the safety office of both
    assert set(told(2)) == {"em_leader", "police_leader"}
    assert Notification.objects.filter(recipient=people["supervisor"], level=3).count() == 2
    assert Notification.objects.filter(recipient=people["police_leader"], level=3).count() == 1
    assert set(told(1)) == {"em_officer", "em_officer2", "em_leader", "police_officer", "police_leader"}
