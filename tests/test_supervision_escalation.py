"""The escalation ladder with a frozen clock: a task across the National Day
holiday, through every rung, a late scan catching up, and idempotent reruns."""
import datetime as dt
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from cases.models import Case
from flows.models import CaseTask
from org.models import Notification
from supervision import escalation, escalation_batch
from supervision.models import Escalation

from .conftest import Api
from .factories import make_uscc
from .scenarios import complete, open_tasks, register, task_id

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def escalate(now: dt.datetime) -> str:
    out = StringIO()
    call_command("escalate", "--now", now.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def registered_before_national_day(street_officer):
    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        return register(street_officer)


def test_verify_due_across_national_day(registered_before_national_day):
    task = CaseTask.objects.get(pk=task_id(registered_before_national_day["id"], "verify"))
    # 3 working days from Monday 28 September: 29, 30 September, then 1-7 October are off: 8 October
    assert task.due_at == at(2026, 10, 8, 23, 59, 59)
    assert at(2026, 10, 5) < task.remind_at < at(2026, 10, 7)
    # grace of 3 working days: 9 October, Saturday 10 October (调休, a working day), 12 October
    assert task.supervise_at == at(2026, 10, 12, 23, 59, 59)


def test_a_case_through_every_rung(registered_before_national_day, lead_officer, lead_leader, supervisor):
    case_id = registered_before_national_day["id"]
    lead_officer.email = "officer@nankai.gov.local"
    lead_officer.save()

    out = escalate(at(2026, 10, 1, 12, 0))
    assert "0 reminder(s)" in out and not Escalation.objects.exists()

    out = escalate(at(2026, 10, 7, 12, 0))
    assert "1 reminder(s)" in out
    assert Notification.objects.filter(recipient=lead_officer, level=1).count() == 1
    assert "0 reminder(s)" in escalate(at(2026, 10, 7, 12, 0))  # a rerun changes nothing

    out = escalate(at(2026, 10, 9, 9, 0))
    assert "1 leader notice(s)" in out and "0 listed" in out
    assert Notification.objects.filter(recipient=lead_leader, level=2).count() == 1
    assert Case.objects.get(pk=case_id).supervision_level == 2
    assert Api(lead_officer).get("cases", overdue="true").json()["count"] == 1
    assert Api(lead_officer).get("tasks", box="queue", overdue="true").json()["count"] == 1

    out = escalate(at(2026, 10, 13, 9, 0))
    assert "1 listed for supervision" in out
    case = Case.objects.get(pk=case_id)
    assert case.supervision_level == 3
    supervise = open_tasks(case_id, "supervise")
    assert len(supervise) == 1 and supervise[0].owner_permission == "role:supervisor"
    assert Notification.objects.filter(recipient=supervisor, level=3).exists()
    assert sorted(Escalation.objects.values_list("level", flat=True)) == [1, 2, 3]
    assert case.history.filter(action="escalate").count() == 3

    listed = Api(supervisor).get("supervision/cases", level=3).json()
    assert [c["number"] for c in listed["results"]] == [case.number]
    assert listed["results"][0]["overdue_days"] > 4
    assert listed["by_agency"][0]["code"] == "emergency" and listed["by_agency"][0]["listed"] == 1
    assert listed["by_street"][0]["code"] == "street_changhong"

    # the safety office warns, records an interview and resolves
    with time_machine.travel(at(2026, 10, 14, 10, 0), tick=False):
        complete(supervisor, case_id, "supervise", "warn", note="请区应急局限期核实")
        complete(supervisor, case_id, "supervise", "interview", held_on="2026-10-14", attendees="区应急局分管领导",
                 minutes="说明逾期原因并承诺三日内完成")
        refused = Api(supervisor).post(f"tasks/{task_id(case_id, 'supervise')}/complete",
                                       {"action": "interview", "held_on": "2026-12-31", "attendees": "a", "minutes": "m"})
        assert refused.status_code == 400 and "held_on" in refused.json()["error"]["fields"]
        assessment = Api(supervisor).get("supervision/cases").json()["assessment"]
        assert {"code": "emergency", "name": "区应急局", "warnings": 1, "interviews": 1} in assessment
        complete(supervisor, case_id, "supervise", "resolve", note="已完成核实")
    assert open_tasks(case_id, "supervise") == []
    assert Case.objects.get(pk=case_id).supervision_level == 0
    # the lagging agency's leader got the warning
    assert Notification.objects.filter(recipient=lead_leader, subject__contains="警示").exists()
    from cases.integrity import verify_chains

    assert verify_chains().broken == []


def test_a_late_scan_catches_up_every_rung(registered_before_national_day):
    out = escalate(at(2026, 10, 20, 9, 0))
    assert "1 reminder(s), 1 leader notice(s), 1 listed for supervision" in out
    assert "0 reminder(s), 0 leader notice(s), 0 listed" in escalate(at(2026, 10, 21, 9, 0))


def test_a_completed_task_does_not_escalate(registered_before_national_day, lead_officer):
    with time_machine.travel(at(2026, 9, 29, 9, 0), tick=False):
        complete(lead_officer, registered_before_national_day["id"], "verify", "dismiss", reason="不属实")
    assert "0 task(s) due" in escalate(at(2026, 10, 20, 9, 0))


def test_a_major_hazard_is_listed_as_soon_as_it_is_overdue(street_officer, lead_officer):
    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False):
        case = register(street_officer)
        complete(lead_officer, case["id"], "verify", "confirm", grade="major", criteria=[5])
    consult = CaseTask.objects.get(pk=task_id(case["id"], "consult"))
    assert consult.supervise_at == consult.due_at
    out = escalate(consult.due_at + dt.timedelta(minutes=1))
    assert "1 leader notice(s), 1 listed for supervision" in out


def test_a_scan_killed_midway_and_rerun_loses_and_doubles_nothing(street_officer):
    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        for n in range(4):
            register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(300 + n)})
    real_start = escalation_batch._start_supervisions
    calls = {"n": 0}

    def crash_in_the_second_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real_start(*args, **kwargs)

    with mock.patch.object(escalation_batch, "_start_supervisions", side_effect=crash_in_the_second_batch):
        with pytest.raises(SystemExit):
            escalation.scan(now=at(2026, 10, 20, 9, 0), batch=1)
    # the first batch's three rungs committed; the interrupted batch rolled back whole
    assert Escalation.objects.count() == 3
    escalation.scan(now=at(2026, 10, 20, 9, 0))
    escalation.scan(now=at(2026, 10, 20, 9, 0))
    assert Escalation.objects.count() == 12
    for task in CaseTask.objects.filter(flow_task_type="HUMAN", status="NEW").exclude(escalation_level=0):
        assert sorted(task.escalations.values_list("level", flat=True)) == [1, 2, 3]


def test_paused_clock_holds_the_ladder_and_moves_the_due_time(registered_before_national_day, lead_officer, street_officer):
    case_id = registered_before_national_day["id"]
    verify = task_id(case_id, "verify")
    api = Api(lead_officer)
    refused = api.post(f"tasks/{verify}/pause", {"reason": ""})
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    assert api.post(f"tasks/{verify}/resume").status_code == 409  # not paused
    assert Api(street_officer).post(f"tasks/{verify}/pause", {"reason": "x"}).status_code == 403

    with time_machine.travel(at(2026, 9, 29, 9, 0), tick=False):
        paused = api.post(f"tasks/{verify}/pause", {"reason": "等待实验室检测报告"})
        assert paused.status_code == 200 and paused.json()["paused"] is True
        assert api.post(f"tasks/{verify}/pause", {"reason": "again"}).status_code == 409  # already paused
    assert "0 task(s) due" in escalate(at(2026, 10, 20, 9, 0))  # nothing fires while paused
    with time_machine.travel(at(2026, 10, 9, 9, 0), tick=False):
        resumed = api.post(f"tasks/{verify}/resume")
    assert resumed.status_code == 200
    task = CaseTask.objects.get(pk=verify)
    assert task.due_at == at(2026, 10, 8, 23, 59, 59) + dt.timedelta(days=10)
    assert task.paused_at is None and task.next_escalation_at == task.remind_at
    actions = list(Case.objects.get(pk=case_id).history.values_list("action", flat=True))
    assert actions[-2:] == ["pause", "resume"]


def test_a_task_paused_after_the_scan_chose_it_fires_nothing(registered_before_national_day, lead_officer):
    """The batch reads each task again under its lock: one paused (or done) since the
    scan listed it fires no rung and leaves the ladder for its resumption."""
    verify = task_id(registered_before_national_day["id"], "verify")
    chosen = CaseTask.objects.get(pk=verify).next_escalation_at
    with time_machine.travel(at(2026, 9, 29, 9, 0), tick=False):
        assert Api(lead_officer).post(f"tasks/{verify}/pause", {"reason": "等待检测"}).status_code == 200
    CaseTask.objects.filter(pk=verify).update(next_escalation_at=chosen)  # as the scan saw it a moment before
    assert escalation_batch.escalate_batch([verify], now=at(2026, 10, 20, 9, 0)) == []
    task = CaseTask.objects.get(pk=verify)
    assert not Escalation.objects.exists() and task.escalation_level == 0 and task.next_escalation_at is None
    assert not Notification.objects.exists()
    assert not Case.objects.get(pk=registered_before_national_day["id"]).history.filter(action="escalate").exists()


def test_each_rung_fires_once_however_often_the_scan_runs(registered_before_national_day, lead_officer, lead_leader):
    """Scans at the reminder, twice more before the due time, then after it: one
    reminder, then one leader notice; nothing is told twice, the database's
    unique row per rung is never what stops it."""
    assert "1 reminder(s), 0 leader notice(s)" in escalate(at(2026, 10, 7, 12, 0))
    for moment in (at(2026, 10, 7, 12, 0), at(2026, 10, 8, 9, 0)):
        assert escalation.scan(now=moment).fired == []
    assert Notification.objects.filter(recipient=lead_officer, level=1).count() == 1
    fired = escalation.scan(now=at(2026, 10, 9, 9, 0)).fired
    assert [f.level for f in fired] == [2]
    assert escalation.scan(now=at(2026, 10, 9, 10, 0)).fired == []
    assert sorted(Escalation.objects.values_list("level", flat=True)) == [1, 2]
    assert Notification.objects.filter(recipient=lead_officer, level=1).count() == 1
    assert Notification.objects.filter(recipient=lead_leader, level=2).count() == 1
    levels = list(Case.objects.get(pk=registered_before_national_day["id"]).history
                  .filter(action="escalate").values_list("data__level", flat=True))
    assert sorted(levels) == [1, 2]


def test_a_busy_queue_gets_one_digest_per_officer_and_rung(street_officer, lead_officer, lead_leader, supervisor):
    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        cases = [register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(400 + n)})
                 for n in range(5)]
    assert "5 reminder(s), 5 leader notice(s), 5 listed for supervision" in escalate(at(2026, 10, 20, 9, 0))
    # every rung stays on record per task ...
    assert Escalation.objects.count() == 15
    assert all(Case.objects.get(pk=c["id"]).history.filter(action="escalate").count() == 3 for c in cases)
    # ... but each person is told once per rung: 5 reminders are one message listing them
    reminders = Notification.objects.filter(recipient=lead_officer, level=1)
    assert reminders.count() == 1
    assert reminders.get().body.count("\n") == 4 and reminders.get().link == "/"
    assert Notification.objects.filter(recipient=lead_leader, level=2).count() == 1
    listed = Notification.objects.get(recipient=supervisor, level=3)
    assert listed.link == "/supervision/" and all(c["number"] in listed.body for c in cases)
    # one supervise task per case
    assert CaseTask.objects.filter(flow_task_type="HUMAN", status="NEW", owner_permission="role:supervisor").count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_scan_in_two_processes_fires_every_rung_once(street_officer):
    """``escalate --workers 2``: batches in two processes lose and double nothing."""
    from .conftest import requires_postgres

    requires_postgres()
    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        cases = [register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(500 + n)})
                 for n in range(6)]
    report = escalation.scan(now=at(2026, 10, 20, 9, 0), batch=2, workers=2)
    assert report.tasks_seen == 6 and len(report.fired) == 18
    assert Escalation.objects.count() == 18
    for task in CaseTask.objects.filter(case_id__in=[c["id"] for c in cases], flow_task_type="HUMAN", status="NEW")\
            .exclude(owner_permission="role:supervisor"):
        assert sorted(task.escalations.values_list("level", flat=True)) == [1, 2, 3]
    assert escalation.scan(now=at(2026, 10, 20, 9, 0), workers=2).fired == []
    # inside a caller's transaction the batches run in this process
    from django.db import transaction

    with time_machine.travel(at(2026, 10, 21, 9, 0), tick=False):
        late = register(street_officer, enterprise={"name": "企业x", "uscc": make_uscc(599)})
    with transaction.atomic():
        again = escalation.scan(now=at(2026, 11, 20, 9, 0), batch=1, workers=2)
    assert len(again.fired) == 3 and all(f.case_number == late["number"] for f in again.fired)
    from cases.integrity import verify_chains

    assert verify_chains().broken == []


def test_escalate_refuses_a_bad_time_or_worker_count():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO"):
        call_command("escalate", "--now", "yesterday", stdout=StringIO())
    with pytest.raises(CommandError, match="workers"):
        call_command("escalate", "--workers", "0", stdout=StringIO())


def test_a_listed_case_that_is_dismissed_leaves_no_supervise_task(registered_before_national_day, lead_officer):
    from supervision.models import SupervisionProcess

    case_id = registered_before_national_day["id"]
    escalate(at(2026, 10, 20, 9, 0))
    assert open_tasks(case_id, "supervise")
    with time_machine.travel(at(2026, 10, 21, 9, 0), tick=False):
        complete(lead_officer, case_id, "verify", "dismiss", reason="不属实")
    assert not open_tasks(case_id, "supervise")
    assert SupervisionProcess.objects.get(case_id=case_id).finished is not None
    assert list(Case.objects.get(pk=case_id).history.values_list("action", flat=True))[-2:] == [
        "dismiss", "supervision_ended"]
    from cases.integrity import verify_chains

    assert verify_chains().broken == []
