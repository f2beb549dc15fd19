"""Statistics for a month and the monthly workbook, which must agree exactly."""
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from cases.models import Case
from planning.models import PlanTask

from .conftest import Api
from .factories import make_uscc
from .scenarios import complete, register
from .test_supervision_escalation import escalate

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def october(street_officer, lead_officer, lead_officer2, lead_leader):
    """Three hazards and an illegal site opened in October 2026; one closed, one overdue and listed."""
    with time_machine.travel(at(2026, 10, 9, 9, 0), tick=False):
        a = register(street_officer, enterprise={"name": "甲", "uscc": make_uscc(501)})
        b = register(street_officer, enterprise={"name": "乙", "uscc": make_uscc(502)}, street="gulou")
        register(street_officer, kind="illegal_site", enterprise={"name": "丙", "uscc": make_uscc(503)})
    with time_machine.travel(at(2026, 10, 12, 9, 0), tick=False):
        complete(lead_officer, a["id"], "verify", "confirm", grade="general")
        complete(lead_officer, a["id"], "order", "issue", deadline="2026-10-20", measures="m", responsible_person="p",
                 funds="f", contingency_plan="c")
        complete(lead_officer, a["id"], "rectify", "submit", report="r")
        complete(lead_officer2, a["id"], "review", "pass")
    with time_machine.travel(at(2026, 10, 16, 9, 0), tick=False):
        complete(lead_leader, a["id"], "close", "approve")
        complete(lead_officer, b["id"], "verify", "confirm", grade="major", criteria=[5])
    escalate(at(2026, 10, 30, 9, 0))  # b's consultation is overdue: a major hazard is listed at once
    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False):
        register(street_officer, enterprise={"name": "丁", "uscc": make_uscc(504)})  # November: not October's


def test_stats_for_a_month(october, lead_leader, supervisor, lead_officer):
    with time_machine.travel(at(2026, 11, 5, 9, 0), tick=False):
        stats = Api(supervisor).get("stats", period="2026-10").json()
    # b's consultation (a major hazard) and the illegal site's verification are late and listed
    assert stats["totals"] == {"opened": 3, "closed": 1, "overdue": 2, "supervised": 2, "closure_rate": 0.3333}
    kinds = {row["key"]: row for row in stats["by_kind"]}
    assert kinds["hazard"]["opened"] == 2 and kinds["illegal_site"]["opened"] == 1
    streets = {row["key"]: row["opened"] for row in stats["by_street"]}
    assert streets == {"street_changhong": 2, "street_gulou": 1}
    grades = {row["key"]: row["supervised"] for row in stats["by_grade"]}
    assert grades["major"] == 1
    assert stats["median_days_to_close"] == 7.0
    punctual = {row["agency"]: row["state"] for row in stats["report_punctuality"]}
    assert punctual["emergency"] == "missing"
    assert Api(lead_leader).get("stats", period="2026-10").status_code == 200
    assert Api(lead_officer).get("stats", period="2026-10").status_code == 403
    for bad in ("2026-1", "october", ""):
        response = Api(supervisor).get("stats", period=bad)
        assert response.status_code == 400 and "period" in response.json()["error"]["fields"]


def test_the_workbook_equals_the_stats(october, supervisor):
    with time_machine.travel(at(2026, 11, 5, 9, 0), tick=False):
        stats = Api(supervisor).get("stats", period="2026-10").json()
        response = Api(supervisor).client.get("/api/v1/reports/monthly.xlsx", {"period": "2026-10"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["案件统计", "重点任务月度进展", "重点任务进展（按单位）", "季度总结", "逾期未报单位"]
    sheet = book["案件统计"]
    assert [c.value for c in sheet[1]] == ["维度", "分类", "新增案件", "销号案件", "逾期案件", "挂牌督办", "销号率"]
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width >= 8
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    totals = rows[0]
    assert totals[2:] == [stats["totals"][k] for k in ("opened", "closed", "overdue", "supervised", "closure_rate")]
    by_street = [r for r in rows if r[0] == "街道"]
    assert {r[1]: r[2] for r in by_street} == {"长虹街道": 2, "鼓楼街道": 1}
    by_kind = {r[1]: r[2:6] for r in rows if r[0] == "案件类型"}
    expected = {row["key"]: [row[k] for k in ("opened", "closed", "overdue", "supervised")] for row in stats["by_kind"]}
    assert by_kind == {"事故隐患": expected["hazard"], "非法违法“小化工”": expected["illegal_site"]}
    assert rows[-1][2] == stats["median_days_to_close"]
    late = [[c.value for c in row] for row in book["逾期未报单位"].iter_rows(min_row=2)]
    assert ["区应急局", "未报送", "—"] in late


def test_workbook_progress_sheets_list_submitted_entries_units_and_the_quarter(lead_officer, supervisor):
    with time_machine.travel(at(2026, 9, 10, 9, 0), tick=False):
        Api(lead_officer).post("plan/reports", {"kind": "quarterly", "period": "2026-09", "submit": True,
                                                "entries": [{"task": 9, "status": "done", "progress": "三季度完成检查"}]})
    with time_machine.travel(at(2026, 11, 10, 9, 0), tick=False):
        Api(lead_officer).post("plan/reports", {"kind": "monthly", "period": "2026-11", "submit": True,
                                                "entries": [{"task": 10, "status": "in_progress", "progress": "查处非法储存3起"}]})
        book = load_workbook(io.BytesIO(Api(supervisor).client.get("/api/v1/reports/monthly.xlsx", {"period": "2026-11"}).content))
    rows = [[c.value for c in row] for row in book["重点任务月度进展"].iter_rows(min_row=2)]
    assert len(rows) == 1 and rows[0][:2] == ["区应急局", 10] and rows[0][3:] == ["推进中", "查处非法储存3起", "已报送"]
    # each task's units with their state: the bureau's task 9 done, its ongoing task 10 in progress, the
    # streets' share of it not started, the traffic police's task 13 lagging (its June 2022 campaign missed)
    units = [[c.value for c in row] for row in book["重点任务进展（按单位）"].iter_rows(min_row=2)]
    state = {(row[0], row[3]): row[6] for row in units}
    assert state[(9, "区应急局")] == "已完成" and state[(10, "区应急局")] == "推进中"
    assert state[(10, "长虹街道")] == "未开始" and state[(13, "交警南开支队")] == "逾期"
    assert len(units) == sum(task.responsibilities.count() for task in PlanTask.objects.all())
    # the quarter the month falls after: the third
    quarter = [[c.value for c in row] for row in book["季度总结"].iter_rows(min_row=2)]
    assert quarter == [["区应急局", "2026年第3季度", 9, PlanTask.objects.get(number=9).text, "已完成", "三季度完成检查",
                        "已报送"]]
    assert Case.objects.count() == 0


def test_the_dashboard_trend_counts_as_the_stats_do(october, supervisor):
    from django.test import Client

    from planning.stats import opened_and_closed, period_stats

    months = [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)]
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        trend = opened_and_closed(months)
        expected = [(m, period_stats(m)["totals"]["opened"], period_stats(m)["totals"]["closed"]) for m in months]
        client = Client()
        client.force_login(supervisor)
        assert client.get("/plan/dashboard/?period=2026-11").status_code == 200
    assert trend == expected == [(months[0], 0, 0), (months[1], 3, 1), (months[2], 1, 0)]
