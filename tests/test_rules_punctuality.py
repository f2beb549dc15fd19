"""Report punctuality with the clock frozen around the 20th: a report
submitted by 23:59:59 on the 20th (Tianjin time) is on time, one a second
later is late, a unit with nothing submitted is pending until the day has
passed and missing after; a draft is nothing; the first submission counts
even after a return; a month outside the campaign has no one due; the
quarterly summary is counted apart from the monthly report."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from common.exceptions import InvalidInput
from planning.models import PlanPeriod, ProgressReport
from planning.reports import (
    due_date,
    kinds_due,
    late_units,
    punctuality,
    review_report,
    save_report,
    submit_report,
)

from .factories import officer

SH = ZoneInfo("Asia/Shanghai")
NOVEMBER = dt.date(2026, 11, 1)
DEADLINE = dt.datetime(2026, 11, 20, 23, 59, 59, tzinfo=SH)


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def entries(*numbers):
    return [{"task": n, "status": "in_progress", "progress": f"任务{n}按计划推进"} for n in numbers]


def write(user, *, when: dt.datetime, submit=True, kind="monthly", period="2026-11", tasks=(1, 3)):
    with time_machine.travel(when, tick=False):
        return save_report(actor=user, kind=kind, period=period, entries=entries(*tasks), submit=submit)


def states(rows) -> dict[str, str]:
    return {row["agency"].code: row["state"] for row in rows}


@pytest.fixture
def units():
    """Four units responsible for key tasks 1 and 3, each with an officer to report."""
    return {code: officer(code, username=f"rep_{code}") for code in ("emergency", "police", "ecology", "education")}


def test_on_time_late_missing_and_pending(units):
    write(units["emergency"], when=DEADLINE)                                   # the last second of the 20th
    write(units["police"], when=DEADLINE + dt.timedelta(seconds=1))            # 00:00:00 on the 21st
    write(units["ecology"], when=at(2026, 11, 12, 9), submit=False)           # a draft only
    rows = punctuality(NOVEMBER, now=at(2026, 11, 25, 9))
    assert states(rows) == {"emergency": "on_time", "police": "late", "ecology": "missing", "education": "missing"}
    by_code = {row["agency"].code: row for row in rows}
    assert by_code["emergency"]["submitted_at"] == DEADLINE and by_code["emergency"]["report"] is not None
    assert by_code["ecology"]["report"] is None and by_code["ecology"]["submitted_at"] is None
    # at the deadline itself nobody is missing yet
    assert states(punctuality(NOVEMBER, now=DEADLINE)) == {"emergency": "on_time", "police": "late",
                                                           "ecology": "pending", "education": "pending"}
    assert states(punctuality(NOVEMBER, now=DEADLINE + dt.timedelta(seconds=1)))["education"] == "missing"


def test_a_report_for_another_month_does_not_count(units):
    write(units["emergency"], when=at(2026, 10, 15, 9), period="2026-10")
    assert states(punctuality(NOVEMBER, now=at(2026, 11, 25)))["emergency"] == "missing"
    assert states(punctuality(dt.date(2026, 10, 1), now=at(2026, 11, 25)))["emergency"] == "on_time"


def test_a_report_without_entries_is_not_submitted(units):
    draft = write(units["emergency"], when=at(2026, 11, 18, 9), submit=False)
    draft.entries.all().delete()
    with pytest.raises(InvalidInput) as refused:
        submit_report(actor=units["emergency"], report_id=draft.pk)
    assert refused.value.fields == {"entries": ["请至少填报一项重点任务的进展。"]}
    draft.refresh_from_db()
    assert draft.status == ProgressReport.Status.DRAFT and draft.submitted_at is None


def test_the_clock_decides_when_no_time_is_given(units):
    write(units["emergency"], when=at(2026, 11, 19, 9))
    with time_machine.travel(at(2026, 11, 20, 18), tick=False):
        assert states(punctuality(NOVEMBER))["police"] == "pending"
        assert [row["agency"].code for row in late_units(NOVEMBER)] == []
    with time_machine.travel(at(2026, 11, 21, 0, 0, 1), tick=False):
        assert states(punctuality(NOVEMBER))["police"] == "missing"
        assert {row["agency"].code for row in late_units(NOVEMBER)} == {"police", "ecology", "education"}


def test_late_units_as_of_the_end_of_a_day(units):
    write(units["emergency"], when=at(2026, 11, 20, 9))
    assert {row["agency"].code for row in late_units(NOVEMBER, today=dt.date(2026, 11, 20))} == set()
    write(units["police"], when=at(2026, 11, 21, 9))
    late = late_units(NOVEMBER, today=dt.date(2026, 11, 21))
    assert {row["agency"].code: row["state"] for row in late} == {"police": "late", "ecology": "missing",
                                                                   "education": "missing"}


def test_the_first_submission_counts_after_a_return(units, supervisor):
    report = write(units["emergency"], when=at(2026, 11, 18, 9))
    with time_machine.travel(at(2026, 11, 19, 9), tick=False):
        review_report(actor=supervisor, report_id=report.pk, accept=False, comment="请补充任务3")
    resubmitted = write(units["emergency"], when=at(2026, 11, 24, 9))
    assert resubmitted.pk == report.pk and resubmitted.status == ProgressReport.Status.SUBMITTED
    assert resubmitted.submitted_at == at(2026, 11, 18, 9) and resubmitted.submitted_by == units["emergency"]
    assert states(punctuality(NOVEMBER, now=at(2026, 11, 25)))["emergency"] == "on_time"


def test_a_report_is_submitted_once_until_it_is_returned(units):
    draft = write(units["emergency"], when=at(2026, 11, 18, 9), submit=False)
    assert draft.status == ProgressReport.Status.DRAFT and draft.submitted_at is None
    with time_machine.travel(at(2026, 11, 19, 9), tick=False):
        submitted = submit_report(actor=units["emergency"], report_id=draft.pk)
        assert (submitted.status, submitted.submitted_at) == (ProgressReport.Status.SUBMITTED, at(2026, 11, 19, 9))
        with pytest.raises(InvalidInput) as refused:
            submit_report(actor=units["emergency"], report_id=draft.pk)
        assert refused.value.code == "awaiting_review"


def test_the_quarterly_summary_is_counted_apart(units):
    write(units["emergency"], when=at(2026, 12, 18, 9), period="2026-12")
    write(units["police"], when=at(2026, 12, 18, 9), kind="quarterly", period="2026-12")
    december = dt.date(2026, 12, 1)
    assert kinds_due(december) == ["monthly", "quarterly"] and kinds_due(NOVEMBER) == ["monthly"]
    assert kinds_due(dt.date(2026, 3, 1)) == ["monthly", "quarterly"]
    now = at(2026, 12, 21, 9)
    assert states(punctuality(december, now=now))["emergency"] == "on_time"
    assert states(punctuality(december, now=now))["police"] == "missing"
    assert states(punctuality(december, kind="quarterly", now=now))["police"] == "on_time"
    assert states(punctuality(december, kind="quarterly", now=now))["emergency"] == "missing"
    assert {r["agency"].code for r in late_units(december, kind="quarterly", today=dt.date(2026, 12, 21))} == {
        "emergency", "ecology", "education"}


def test_reports_are_due_on_the_20th():
    assert due_date(NOVEMBER) == dt.date(2026, 11, 20)
    assert due_date(dt.date(2027, 2, 1)) == dt.date(2027, 2, 20)


def test_no_unit_is_due_outside_the_campaign(units):
    PlanPeriod.objects.update_or_create(pk=1, defaults={"starts_on": dt.date(2026, 12, 1),
                                                        "ends_on": dt.date(2027, 11, 30)})
    assert punctuality(NOVEMBER, now=at(2026, 11, 25)) == []
    assert late_units(NOVEMBER, today=dt.date(2026, 11, 25)) == []
    assert states(punctuality(dt.date(2026, 12, 1), now=at(2026, 12, 25)))["police"] == "missing"


def test_a_unit_without_an_active_officer_is_not_counted(units):
    units["education"].is_active = False
    units["education"].save()
    assert "education" not in states(punctuality(NOVEMBER, now=at(2026, 11, 25)))
