"""Monthly progress reports: draft, submit, return, resubmit, accept;
reminders and lateness with a frozen clock; warnings to late units."""
import datetime as dt
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from org.models import Notification, User
from planning.models import ProgressReport, ReportReminder
from supervision.models import Warning

from .conftest import LIVE_COUNTS_SCRIPT, Api
from .factories import officer

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def november_2026():
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, 0, tzinfo=SH), tick=False):
        yield


def entries(*numbers, status="in_progress"):
    return [{"task": n, "status": status, "progress": f"任务{n}按计划推进"} for n in numbers]


def test_draft_submit_return_resubmit_accept(lead_officer, supervisor):
    me = Api(lead_officer)
    draft = me.post("plan/reports", {"kind": "monthly", "period": "2026-11", "entries": entries(8, 9)})
    assert draft.status_code == 200 and draft.json()["status"] == "draft" and draft.json()["due"] == "2026-11-20"
    report_id = draft.json()["id"]
    # the safety office does not see a draft; another unit gets 404
    assert Api(supervisor).get(f"plan/reports/{report_id}").status_code == 404
    assert Api(officer("police")).get(f"plan/reports/{report_id}").status_code == 404
    # save again: the draft is updated, not duplicated
    me.post("plan/reports", {"kind": "monthly", "period": "2026-11", "entries": entries(8, 9, 10, status="done")})
    assert ProgressReport.objects.count() == 1
    submitted = me.post(f"plan/reports/{report_id}/submit")
    assert submitted.json()["status"] == "submitted" and len(submitted.json()["entries"]) == 3
    assert me.post("plan/reports", {"kind": "monthly", "period": "2026-11", "entries": entries(8)}).status_code == 400

    refused = Api(supervisor).post(f"plan/reports/{report_id}/return", {})
    assert refused.status_code == 400 and "comment" in refused.json()["error"]["fields"]
    assert Api(lead_officer).post(f"plan/reports/{report_id}/accept").status_code == 403
    returned = Api(supervisor).post(f"plan/reports/{report_id}/return", {"comment": "请补充任务10的查处数量"})
    assert returned.json()["status"] == "returned"
    assert Notification.objects.filter(recipient=lead_officer, subject__contains="2026-11").exists()

    me.post("plan/reports", {"kind": "monthly", "period": "2026-11", "submit": True,
                             "entries": entries(8, 9) + [{"task": 10, "status": "in_progress", "progress": "查处3起"}]})
    accepted = Api(supervisor).post(f"plan/reports/{report_id}/accept", {"comment": "同意"})
    assert accepted.json()["status"] == "accepted"
    again = me.post(f"plan/reports/{report_id}/submit")
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_accepted"
    assert [r["id"] for r in Api(supervisor).get("plan/reports", period="2026-11").json()["results"]] == [report_id]


@pytest.mark.parametrize("body, field", [
    ({"kind": "monthly", "period": "2026-12", "entries": entries(8)}, "period"),  # the future
    ({"kind": "monthly", "period": "2026-13", "entries": entries(8)}, "period"),
    ({"kind": "monthly", "period": "202611", "entries": entries(8)}, "period"),
    ({"kind": "monthly", "period": "2026-11", "entries": entries(12)}, "entries[0].task"),  # traffic's task
    ({"kind": "monthly", "period": "2026-11", "entries": entries(99)}, "entries[0].task"),
    ({"kind": "monthly", "period": "2026-11", "entries": []}, "entries"),
    ({"kind": "monthly", "period": "2026-11", "entries": [{"task": 8, "status": "done", "progress": ""}]}, "entries[0].progress"),
    ({"kind": "weekly", "period": "2026-11", "entries": entries(8)}, "kind"),
    ({"kind": "quarterly", "period": "2026-11", "entries": entries(8)}, "period"),
])
def test_bad_reports_are_refused_and_write_nothing(lead_officer, body, field):
    response = Api(lead_officer).post("plan/reports", body)
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    assert not ProgressReport.objects.exists()


def test_quarterly_summary_for_the_quarters_last_month(lead_officer):
    with time_machine.travel(dt.datetime(2026, 12, 3, tzinfo=SH), tick=False):
        response = Api(lead_officer).post("plan/reports", {"kind": "quarterly", "period": "2026-12", "entries": entries(8)})
    assert response.status_code == 200 and response.json()["due"] == "2026-12-20"


def test_reminders_on_the_15th_and_lateness_on_the_21st(lead_officer, police_officer, supervisor):
    traffic = officer("traffic")

    def run(day):
        out = StringIO()
        call_command("report_reminders", "--today", f"2026-11-{day:02d}", stdout=out)
        return out.getvalue()

    assert run(14).startswith("0 unit(s) reminded")
    Api(lead_officer).post("plan/reports", {"kind": "monthly", "period": "2026-11", "submit": True, "entries": entries(8)})
    out = run(15)
    reminded = set(ReportReminder.objects.filter(stage="remind").values_list("agency__code", flat=True))
    assert {"police", "traffic"} <= reminded and "emergency" not in reminded
    assert Notification.objects.filter(recipient=traffic, subject__contains="2026-11").count() == 1
    assert run(16).startswith("0 unit(s) reminded")  # once per unit and period

    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0, tzinfo=SH), tick=False):
        Api(police_officer).post("plan/reports", {"kind": "monthly", "period": "2026-11", "submit": True,
                                                 "entries": entries(11)})  # a day late
        out = run(21)
        late = Api(supervisor).get("plan/late", period="2026-11").json()
    codes = {row["agency"] for row in late}
    assert {"police", "traffic"} <= codes and "emergency" not in codes
    assert "late unit(s)" in out and Notification.objects.filter(recipient=supervisor, level=2).count() == 1
    assert "0 late" in run(22)


def test_warning_a_late_unit_counts_for_the_assessment(lead_officer, supervisor):
    traffic_leader = officer("traffic", role=User.Role.LEADER)
    with time_machine.travel(dt.datetime(2026, 11, 25, tzinfo=SH), tick=False):
        api = Api(supervisor)
        assert api.post("plan/late/warn", {"agency": "traffic", "period": "2026-11", "note": ""}).status_code == 400
        assert api.post("plan/late/warn", {"agency": "mars", "period": "2026-11", "note": "x"}).status_code == 400
        assert Api(lead_officer).post("plan/late/warn", {"agency": "traffic", "period": "2026-11", "note": "x"}).status_code == 403
        response = api.post("plan/late/warn", {"agency": "traffic", "period": "2026-11", "note": "请于三日内补报"})
        assert response.status_code == 201
        Api(lead_officer).post("plan/reports", {"kind": "monthly", "period": "2026-11", "submit": True, "entries": entries(8)})
        on_time_units = api.post("plan/late/warn", {"agency": "emergency", "period": "2026-10", "note": "x"})
        assert on_time_units.status_code == 201  # October's report was never sent: late too
        assessment = api.get("supervision/cases").json()["assessment"]
    assert {"code": "traffic", "name": "交警南开支队", "warnings": 1, "interviews": 0} in assessment
    assert Warning.objects.filter(agency__code="traffic", case__isnull=True).count() == 1
    assert Notification.objects.filter(recipient=traffic_leader, level=3).exists()


def test_report_pages(lead_officer, supervisor, client):
    client.force_login(lead_officer)
    page = client.get("/plan/reports/monthly/2026-11/")
    assert page.status_code == 200 and "重点任务" in page.content.decode()
    response = client.post("/plan/reports/monthly/2026-11/", {
        "status-8": "done", "progress-8": "复核完成12家", "status-9": "in_progress", "progress-9": "", "submit": "1"})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.status == "submitted" and report.entries.count() == 1
    refused = client.post("/plan/reports/monthly/2026-12/", {"status-8": "done", "progress-8": "x"})
    assert refused.status_code == 200 and "复核完成" not in refused.content.decode()
    assert ProgressReport.objects.count() == 1
    client.force_login(supervisor)
    listing = client.get("/plan/reports/?period=2026-11").content.decode()
    assert "复核完成12家" in listing
    client.post(f"/plan/reports/{report.pk}/review/", {"decision": "accept"})
    assert ProgressReport.objects.get().status == "accepted"
    assert client.get("/plan/dashboard/?period=2026-11").status_code == 200


def test_dashboard_is_for_leaders_and_the_safety_office(lead_officer, lead_leader, client):
    client.force_login(lead_officer)
    assert client.get("/plan/dashboard/").status_code == 403
    client.force_login(lead_leader)
    html = client.get("/plan/dashboard/?period=bogus").content.decode()
    assert "<svg" in html and re.findall(r"<script[^>]*>", html) == [LIVE_COUNTS_SCRIPT]  # drawn without script


def test_the_report_list_page_has_a_constant_query_count(supervisor, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(supervisor)

    def submit(agency, *numbers):
        api = Api(officer(agency))
        report = api.post("plan/reports", {"kind": "monthly", "period": "2026-11", "entries": entries(*numbers)})
        api.post(f"plan/reports/{report.json()['id']}/submit")

    def count():
        client.get("/plan/reports/?period=2026-11")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/plan/reports/?period=2026-11").status_code == 200
        return len(queries)

    submit("police", 11)
    few = count()
    submit("emergency", 8, 9, 10)
    assert count() == few
