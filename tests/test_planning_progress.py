"""Each unit's progress on the key tasks, driven by the tasks' deadlines and
milestones and by the units' reports; units whose work lags warned (警示提醒)
and interviewed (约谈), counted with the case warnings; the task page; the
plan's campaign period bounding what is due."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from org.models import Notification, User
from planning import progress
from planning.models import PlanPeriod, ProgressReport, ReportReminder
from planning.reminders import run_report_reminders
from planning.reports import late_units
from supervision.models import Interview, Warning
from supervision.selectors import assessment

from .conftest import Api
from .factories import officer

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(dt.datetime(*args, 9, 0, tzinfo=SH), tick=False)


@pytest.fixture
def campaign_of_2022():
    """The plan's own period: the year 2022."""
    PlanPeriod.objects.update_or_create(pk=1, defaults={"starts_on": dt.date(2022, 1, 1),
                                                        "ends_on": dt.date(2022, 12, 31)})


def state_of(number: int, agency: str, today: dt.date):
    row = next(row for row in progress.progress_table(today=today) if row.task.number == number)
    return next(unit for unit in row.units if unit.agency.code == agency)


def report(user, period, number, status, text="按计划推进"):
    response = Api(user).post("plan/reports", {"kind": "monthly", "period": period, "submit": True,
                                               "entries": [{"task": number, "status": status, "progress": text}]})
    assert response.status_code == 200, response.json()


def test_a_units_state_follows_its_reports_and_the_tasks_deadline(campaign_of_2022, lead_officer):
    # task 8 (区应急局, by the end of October 2022)
    assert state_of(8, "emergency", dt.date(2022, 3, 15)).state == progress.NOT_STARTED
    with at(2022, 3, 15):
        report(lead_officer, "2022-03", 8, "in_progress")
    assert state_of(8, "emergency", dt.date(2022, 3, 15)).state == progress.IN_PROGRESS
    late = state_of(8, "emergency", dt.date(2022, 11, 2))
    assert late.state == progress.LAGGING and late.missed == ["2022-10-31：2022年10月底"]
    with at(2022, 11, 2):
        report(lead_officer, "2022-11", 8, "done", "已全部完成")
    done = state_of(8, "emergency", dt.date(2022, 11, 2))
    assert done.state == progress.DONE and done.last.progress == "已全部完成"


def test_a_missed_milestone_lags_until_a_campaign_or_a_report_meets_it(campaign_of_2022, supervisor):
    # task 13 (交警南开支队): a hazardous-vehicle campaign by the end of June 2022
    lagging = state_of(13, "traffic", dt.date(2022, 7, 4))
    assert lagging.state == progress.LAGGING and lagging.missed[0].startswith("2022-06-30：")
    with at(2022, 5, 10):
        created = Api(supervisor).post("campaigns", {
            "name": "危险化学品运输车辆专项治理行动", "lead": "traffic", "agencies": ["emergency", "police"],
            "starts_on": "2022-05-10", "ends_on": "2022-06-30", "plan_task": 13})
    assert created.status_code == 201, created.json()
    assert state_of(13, "traffic", dt.date(2022, 7, 4)).state == progress.NOT_STARTED  # met; nothing reported yet
    # an ongoing task (持续推进) is never "done": its units keep reporting
    traffic = officer("traffic")
    with at(2022, 7, 4):
        report(traffic, "2022-07", 13, "ongoing")
    assert state_of(13, "traffic", dt.date(2022, 7, 4)).state == progress.IN_PROGRESS


def test_the_task_page_shows_every_task_and_units_state(campaign_of_2022, lead_officer, django_assert_num_queries):
    with at(2022, 3, 15):
        report(lead_officer, "2022-03", 8, "in_progress", "已检查企业12家")
    client = Client()
    client.force_login(officer("police"))
    with at(2022, 11, 2), django_assert_num_queries(8):  # constant: tasks, units, reports, campaigns in 4
        page = client.get("/plan/tasks/")
    html = page.content.decode()
    assert page.status_code == 200 and html.count('id="task-') == 22
    assert "全区各级党委党组、各相关部门和单位" in html and "2022年10月底" in html
    task_8 = html.split('id="task-8"')[1].split('id="task-9"')[0]
    assert "<strong>逾期</strong>" in task_8 and "2022-10-31：2022年10月底" in task_8  # reported in March, not done
    assert "已检查企业12家" not in html  # another unit's report is its own and the office's
    client.force_login(lead_officer)
    assert "已检查企业12家" in client.get("/plan/tasks/").content.decode()


def test_the_safety_office_warns_and_interviews_a_lagging_unit(campaign_of_2022, supervisor):
    leader = officer("traffic", User.Role.LEADER)
    office = Api(supervisor)
    assert {"task": 13, "agency": "traffic"}.items() <= office.get("plan/lagging").json()[0].items() or any(
        row["task"] == 13 and row["agency"] == "traffic" for row in office.get("plan/lagging").json())
    warned = office.post("plan/lagging/warn", {"agency": "traffic", "task": 13, "note": "6月底前未开展专项治理行动"})
    assert warned.status_code == 201 and warned.json()["task"] == 13
    assert Notification.objects.filter(recipient=leader, subject__contains="13").exists()
    client = Client()
    client.force_login(supervisor)
    page = client.post("/plan/tasks/lagging/interview/", {"agency": "traffic", "task": "13", "held_on": "2022-12-01",
                                                          "attendees": "交警南开支队负责人", "minutes": "限期开展"})
    assert page.status_code == 302 and page["Location"].endswith("#task-13")
    interview = Interview.objects.get()
    assert (interview.plan_task, interview.agency.code, interview.case) == (13, "traffic", None)
    # counted with the warnings about cases in the year's assessment
    counts = {row["code"]: row for row in assessment(Warning.objects.get().issued_at.year)}
    assert counts["traffic"]["warnings"] == 1


@pytest.mark.parametrize("who, body, status, field", [
    ("officer", {"agency": "traffic", "task": 13, "note": "x"}, 403, None),
    ("supervisor", {"agency": "emergency", "task": 13, "note": "x"}, 400, "agency"),  # not its task
    ("supervisor", {"agency": "traffic", "task": 4, "note": "x"}, 400, "agency"),
    ("supervisor", {"agency": "traffic", "task": "13", "note": "x"}, 400, "agency"),
    ("supervisor", {"agency": "traffic", "task": 13, "note": "  "}, 400, "note"),
    ("supervisor", {"agency": "traffic", "task": 13, "note": "a\x00b"}, 400, "note"),
])
def test_bad_warnings_are_refused_and_change_nothing(campaign_of_2022, supervisor, who, body, status, field):
    user = supervisor if who == "supervisor" else officer("emergency")
    response = Api(user).post("plan/lagging/warn", body)
    assert response.status_code == status
    if field:
        assert field in response.json()["error"]["fields"]
    assert not Warning.objects.exists() and not Notification.objects.exists()


@pytest.mark.parametrize("body, field", [
    ({"held_on": "2099-01-01", "attendees": "a", "minutes": "b"}, "held_on"),
    ({"held_on": "2022-13-01", "attendees": "a", "minutes": "b"}, "held_on"),
    ({"held_on": "2022-12-01", "attendees": "", "minutes": "b"}, "attendees"),
    ({"held_on": "2022-12-01", "attendees": "a"}, "minutes"),
])
def test_bad_interviews_are_refused(campaign_of_2022, supervisor, body, field):
    response = Api(supervisor).post("plan/lagging/interview", {"agency": "traffic", "task": 13, **body})
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    assert not Interview.objects.exists()


def test_nothing_is_due_reminded_or_late_outside_the_campaign_period(campaign_of_2022, lead_officer):
    with at(2026, 11, 25):
        assert run_report_reminders().summary().startswith("0 unit(s) reminded, 0 late")
        assert late_units(dt.date(2026, 10, 1)) == []
        refused = Api(lead_officer).post("plan/reports", {"kind": "monthly", "period": "2026-11", "entries": [
            {"task": 8, "status": "done", "progress": "x"}]})
    assert refused.status_code == 400 and "2022-01 – 2022-12" in refused.json()["error"]["fields"]["period"][0]
    assert not ReportReminder.objects.exists() and not ProgressReport.objects.exists()
    with at(2022, 11, 25):  # inside it, the same run reminds and lists the late units
        result = run_report_reminders()
    assert "emergency" in result.reminded and "emergency" in result.late
