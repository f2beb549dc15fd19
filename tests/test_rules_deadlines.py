"""Deadlines on the working-day calendar, with the clock frozen: which day is
a working day (the 2026 National Day holiday, its make-up Saturday, an
administrator's correction, a year with no notice), how many working days a
step is given and from when, what is overdue and by how much, and which
deadline policy row wins."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Q

from org.calendar import (
    add_working_days,
    due_after,
    due_after_working_days,
    end_of_day,
    is_working_day,
    is_year_known,
    unknown_years,
    working_days_between,
)
from org.deadlines import NO_CLOCK, TimeLeft, clock_for_step, is_overdue, overdue_q, policy_for, time_left
from org.models import CalendarDay, CalendarYear, DeadlinePolicy

SH = ZoneInfo("Asia/Shanghai")
UTC = dt.timezone.utc
D = dt.date


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def frozen(*args):
    return time_machine.travel(at(*args), tick=False)


# --- which day is a working day ---------------------------------------------------------
def test_the_national_day_holiday_is_off_and_its_make_up_saturday_is_worked():
    assert not is_working_day(D(2026, 10, 1))      # Thursday, holiday
    assert not is_working_day(D(2026, 10, 7))      # Wednesday, holiday
    assert is_working_day(D(2026, 10, 8))          # Thursday
    assert is_working_day(D(2026, 10, 10))         # Saturday, 调休
    assert not is_working_day(D(2026, 10, 11))     # Sunday
    assert is_working_day(D(2026, 10, 12), None)   # Monday, no corrections given


def test_an_administrators_correction_wins_over_the_package():
    corrections = {D(2026, 10, 12): False, D(2026, 10, 11): True}
    assert not is_working_day(D(2026, 10, 12), corrections)
    assert is_working_day(D(2026, 10, 11), corrections)
    assert is_working_day(D(2026, 10, 9), corrections)  # a day not corrected: the package's


def test_a_year_without_a_notice_counts_monday_to_friday():
    assert is_working_day(D(2027, 1, 1))           # Friday: the holiday is not known yet
    assert not is_working_day(D(2027, 1, 2))       # Saturday
    assert not is_working_day(D(2027, 1, 3))       # Sunday


def test_a_year_counted_as_unknown_ignores_its_notice_and_corrections():
    assume = frozenset({2026})
    assert is_working_day(D(2026, 10, 1), None, assume)                              # Thursday
    assert not is_working_day(D(2026, 10, 10), {D(2026, 10, 10): True}, assume)      # Saturday
    assert not is_working_day(D(2026, 10, 3), {}, assume)                            # Saturday
    assert not is_working_day(D(2026, 10, 1), None, frozenset({2027}))               # another year: the notice


# --- counting working days ------------------------------------------------------------------
def test_adding_working_days_skips_the_holiday_and_counts_the_make_up_day():
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)
    assert add_working_days(D(2026, 10, 8), 1) == D(2026, 10, 9)    # the start itself is not counted
    assert add_working_days(D(2026, 9, 30), 1, frozenset({2026})) == D(2026, 10, 1)


@pytest.mark.parametrize("days", [0, -1])
def test_fewer_than_one_working_day_is_refused(days):
    with pytest.raises(ValueError, match="^days must be at least 1$"):
        add_working_days(D(2026, 9, 30), days)


def test_a_correction_entered_by_an_administrator_moves_the_count():
    CalendarDay.objects.create(date=D(2026, 10, 9), is_working_day=False, note="test")
    assert add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 10)
    assert working_days_between(D(2026, 10, 7), D(2026, 10, 10)) == 2


def test_working_days_between_counts_after_the_first_day_up_to_the_last():
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4   # 8, 9, 10 (调休), 12
    assert working_days_between(D(2026, 10, 8), D(2026, 10, 9)) == 1
    assert working_days_between(D(2026, 10, 9), D(2026, 10, 9)) == 0
    assert working_days_between(D(2026, 10, 12), D(2026, 10, 8)) == 0


def test_a_day_ends_at_23_59_59_in_tianjin():
    end = end_of_day(D(2026, 10, 8))
    assert end == at(2026, 10, 8, 23, 59, 59)
    assert end.astimezone(UTC) == dt.datetime(2026, 10, 8, 15, 59, 59, tzinfo=UTC)


def test_a_deadline_counts_from_the_day_in_tianjin_not_in_utc():
    # 17:00 UTC on Friday 9 October is 01:00 on Saturday 10 October (a working day) in Tianjin
    start = dt.datetime(2026, 10, 9, 17, 0, tzinfo=UTC)
    due = due_after(start, 1)
    assert due.at == at(2026, 10, 12, 23, 59, 59) and due.provisional is False
    assert due_after_working_days(start, 1) == at(2026, 10, 12, 23, 59, 59)
    assert due_after(at(2026, 9, 30, 9), 1, frozenset({2026})).at == at(2026, 10, 1, 23, 59, 59)


def test_a_deadline_into_a_year_without_a_notice_is_provisional_and_the_operators_are_told(caplog):
    due = due_after(at(2026, 12, 30, 9), 3)
    assert due.at == at(2027, 1, 4, 23, 59, 59) and due.provisional is True
    assert [r.getMessage() for r in caplog.records if r.name == "org.calendar"] == [
        "working-day calendar: no official notice for 2027; a deadline from 2026-12-30 counted Monday to Friday is "
        "provisional (enter the notice, then run recompute_due_times)"]
    caplog.clear()
    due_after(at(2027, 12, 30, 9), 3)
    assert "no official notice for 2027, 2028;" in caplog.records[0].getMessage()
    assert due_after(at(2026, 12, 28, 9), 3).provisional is False   # 29, 30, 31 December


def test_which_years_are_known():
    assert is_year_known(2026) and not is_year_known(2027)
    assert unknown_years(D(2026, 12, 1), D(2027, 2, 1)) == [2027]
    assert unknown_years(D(2026, 12, 1), D(2028, 1, 5)) == [2027, 2028]
    assert unknown_years(D(2025, 1, 1), D(2026, 12, 31)) == []
    CalendarYear.objects.create(year=2027, notice="test", known=False)
    assert not is_year_known(2027)
    CalendarYear.objects.filter(year=2027).update(known=True)
    from common import refcache
    refcache.clear()
    assert is_year_known(2027) and unknown_years(D(2026, 12, 1), D(2028, 1, 5)) == [2028]


# --- what is overdue -------------------------------------------------------------------------
def test_a_clock_is_overdue_once_its_due_time_has_passed():
    with frozen(2026, 10, 9, 10, 0):
        now = at(2026, 10, 9, 10, 0)
        assert is_overdue(now - dt.timedelta(seconds=1))
        assert not is_overdue(now)
        assert not is_overdue(now + dt.timedelta(seconds=1))
        assert not is_overdue(None)
        assert is_overdue(now, now=now + dt.timedelta(seconds=1))
        assert not is_overdue(now - dt.timedelta(days=1), now=now - dt.timedelta(days=2))


def test_the_overdue_condition_reads_the_clock_and_the_field():
    with frozen(2026, 10, 9, 10, 0):
        assert overdue_q() == Q(due_at__lt=at(2026, 10, 9, 10, 0))
        assert overdue_q(field="supervise_at") == Q(supervise_at__lt=at(2026, 10, 9, 10, 0))
        assert overdue_q(now=at(2026, 1, 5)) == Q(due_at__lt=at(2026, 1, 5))


def test_time_left_counts_working_days_to_the_due_day_or_since_it():
    with frozen(2026, 10, 9, 10, 0):
        assert time_left(None) is None
        assert time_left(at(2026, 10, 9, 23, 59, 59)) == TimeLeft(False, 0)         # due today
        assert time_left(at(2026, 10, 12, 23, 59, 59)) == TimeLeft(False, 2)        # 10 (调休) and 12
        # 20:00 UTC on 12 October is the 13th in Tianjin
        assert time_left(dt.datetime(2026, 10, 12, 20, 0, tzinfo=UTC)) == TimeLeft(False, 3)
        assert time_left(at(2026, 10, 9, 9, 0)) == TimeLeft(True, 0)                # due this morning
        assert time_left(at(2026, 9, 30, 23, 59, 59)) == TimeLeft(True, 2)          # since: 8 and 9 October
    assert time_left(at(2026, 10, 12, 23, 59, 59), now=at(2026, 10, 13, 8)) == TimeLeft(True, 1)
    assert time_left(at(2026, 10, 12, 23, 59, 59), now=at(2026, 10, 8, 8)) == TimeLeft(False, 3)


# --- the policy ---------------------------------------------------------------------------------
STEP = "rules_test_step"


@pytest.fixture
def policies():
    from common import refcache

    rows = [("", "", 10, 3), ("hazard", "", 7, 2), ("hazard", "major", 3, 0), ("", "major", 5, 1),
            ("penalty", "general", None, 4)]
    for kind, grade, days, grace in rows:
        DeadlinePolicy.objects.create(kind=kind, grade=grade, step=STEP, working_days=days, grace_working_days=grace)
    DeadlinePolicy.objects.create(kind="hazard", grade="major", step="another_step", working_days=1)
    refcache.clear()


def test_the_most_specific_policy_row_wins(policies):
    assert policy_for(STEP, kind="hazard", grade="major").working_days == 3
    assert policy_for(STEP, kind="hazard", grade="general").working_days == 7
    assert policy_for(STEP, kind="hazard").working_days == 7
    assert policy_for(STEP, kind="transport", grade="major").working_days == 5
    assert policy_for(STEP, kind="transport").working_days == 10
    assert policy_for(STEP).working_days == 10
    assert policy_for(STEP, grade="major").working_days == 5
    assert policy_for("another_step", kind="hazard", grade="major").working_days == 1
    assert policy_for("another_step", kind="hazard") is None
    assert policy_for("no_such_step") is None


def test_a_policy_changed_in_the_admin_counts_at_once(policies):
    assert policy_for(STEP, kind="hazard").working_days == 7
    row = DeadlinePolicy.objects.get(step=STEP, kind="hazard", grade="")
    row.working_days = 4                     # saved in the admin
    row.save()
    assert policy_for(STEP, kind="hazard").working_days == 4


def test_a_clock_from_the_policy_remind_at_80_percent_supervise_after_the_grace(policies):
    created = at(2026, 9, 28, 9, 0)
    clock = clock_for_step(STEP, created=created, kind="hazard", default_days=20, default_grace=9)
    # 7 working days from Monday 28 September: 29, 30 September, 8, 9, 10, 12, 13 October
    assert clock.due_at == at(2026, 10, 13, 23, 59, 59)
    assert clock.remind_at == created + (clock.due_at - created) * 0.8
    assert clock.supervise_at == at(2026, 10, 15, 23, 59, 59)      # grace of 2: 14, 15
    assert clock.provisional is False


def test_no_grace_means_supervision_at_the_due_time(policies):
    clock = clock_for_step(STEP, created=at(2026, 9, 28, 9, 0), kind="hazard", grade="major")
    assert clock.due_at == at(2026, 10, 8, 23, 59, 59)            # 29, 30 September, 8 October
    assert clock.supervise_at == clock.due_at


def test_without_a_policy_row_the_steps_own_default_counts():
    created = at(2026, 9, 28, 9, 0)
    clock = clock_for_step("rules_unlisted_step", created=created, default_days=2, default_grace=1)
    assert (clock.due_at, clock.supervise_at) == (at(2026, 9, 30, 23, 59, 59), at(2026, 10, 8, 23, 59, 59))
    clock = clock_for_step("rules_unlisted_step", created=created, default_days=2)
    assert clock.supervise_at == at(2026, 10, 10, 23, 59, 59)       # the default grace: 3 working days
    assert clock_for_step("rules_unlisted_step", created=created) is NO_CLOCK


def test_a_policy_without_days_falls_back_to_the_default_or_the_ordered_deadline(policies):
    created = at(2026, 9, 28, 9, 0)
    assert clock_for_step(STEP, created=created, kind="penalty", grade="general") == NO_CLOCK
    clock = clock_for_step(STEP, created=created, kind="penalty", grade="general", default_days=2)
    assert clock.due_at == at(2026, 9, 30, 23, 59, 59)
    assert clock.supervise_at == at(2026, 10, 12, 23, 59, 59)       # the row's grace, 4: 8, 9, 10, 12


def test_an_ordered_deadline_replaces_the_working_days(policies):
    created = at(2026, 9, 28, 9, 0)
    clock = clock_for_step(STEP, created=created, kind="hazard", ordered_deadline=D(2026, 10, 20))
    assert clock.due_at == at(2026, 10, 20, 23, 59, 59) and clock.provisional is False
    assert clock.remind_at == created + (clock.due_at - created) * 0.8
    assert clock.supervise_at == at(2026, 10, 22, 23, 59, 59)
    # an ordered deadline already past: reminded at once, at the due time
    late = clock_for_step(STEP, created=at(2026, 10, 21, 9), kind="hazard", ordered_deadline=D(2026, 10, 20))
    assert late.remind_at == late.due_at == at(2026, 10, 20, 23, 59, 59)


def test_a_clock_through_a_year_without_a_notice_is_provisional(policies):
    # due within 2026 (29, 30, 31 December), no grace: not provisional
    clock = clock_for_step(STEP, created=at(2026, 12, 28, 9), kind="hazard", grade="major", default_grace=0)
    assert clock.due_at == at(2026, 12, 31, 23, 59, 59) and not clock.provisional
    clock = clock_for_step(STEP, created=at(2026, 12, 28, 9), kind="hazard")
    assert clock.due_at == at(2027, 1, 6, 23, 59, 59) and clock.provisional
    clock = clock_for_step("rules_unlisted_step", created=at(2026, 12, 28, 9), default_days=3, default_grace=3)
    assert clock.due_at == at(2026, 12, 31, 23, 59, 59)
    assert clock.supervise_at == at(2027, 1, 5, 23, 59, 59) and clock.provisional


def test_a_clock_counted_as_before_the_notice(policies):
    clock = clock_for_step(STEP, created=at(2026, 9, 28, 9, 0), kind="hazard", grade="major",
                           assume_unknown=frozenset({2026}))
    assert clock.due_at == at(2026, 10, 1, 23, 59, 59)            # 29, 30 September, 1 October
    clock = clock_for_step(STEP, created=at(2026, 9, 30, 9, 0), kind="hazard", grade="major",
                           assume_unknown=frozenset({2026}))
    assert clock.due_at == at(2026, 10, 5, 23, 59, 59)          # 1, 2, 5 October, Monday to Friday
    clock = clock_for_step(STEP, created=at(2026, 9, 30, 9, 0), kind="hazard", assume_unknown=frozenset({2026}))
    assert clock.supervise_at == at(2026, 10, 13, 23, 59, 59)   # due 9 October, grace 2: 12, 13
