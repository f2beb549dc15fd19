"""Who may work, assign and return a task, and the four-eyes rule: the officer
who submitted the rectification may not review it, another officer of the
agency may; after a second rectification it is its submitter who is barred.
Each refusal says why (another queue, done, held by someone, four eyes); the
queue pages bar the same tasks in one query."""
import datetime as dt

import pytest
from django.utils import translation
from viewflow.workflow.status import STATUS

from common.exceptions import NotPermitted, NotYourTask, TaskAlreadyDone, TaskHeldByOther
from flows.models import CaseTask
from flows.rules import barred_from, check_may_work, may_assign, may_unclaim, may_work, queue_label
from org.models import User

from .conftest import Api
from .factories import officer, penalty_payload
from .scenarios import complete, open_tasks, register, rows_of, task_id


@pytest.fixture
def under_review(street_officer, lead_officer, future_date):
    """A general hazard whose rectification ``lead_officer`` submitted: its review is open."""
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    complete(lead_officer, case["id"], "order", "issue", deadline=future_date, measures="m",
             responsible_person="p", funds="f", contingency_plan="c")
    complete(lead_officer, case["id"], "rectify", "submit", report="done")
    return case["id"]


def review_of(case_id) -> CaseTask:
    return CaseTask.objects.get(pk=task_id(case_id, "review"))


def refusal(user, task) -> Exception | None:
    try:
        check_may_work(user, task)
    except Exception as error:  # noqa: BLE001 - the refusal is what the test reads
        return error
    return None


def test_the_rectifier_may_not_review_and_another_officer_may(under_review, lead_officer, lead_officer2):
    review = review_of(under_review)
    assert review.flow_task.excluded_user_id(review) == lead_officer.pk
    error = refusal(lead_officer, review)
    assert isinstance(error, NotPermitted) and error.code == "four_eyes"
    assert str(error.message) == "提交整改的执法人员不得复查该整改，请由区应急局的其他执法人员复查。"
    assert not may_work(lead_officer, review)
    assert refusal(lead_officer2, review) is None and may_work(lead_officer2, review)
    assert barred_from(lead_officer, rows_of([review])) == {review.pk}
    assert barred_from(lead_officer2, rows_of([review])) == set()


def test_after_a_second_rectification_its_submitter_is_the_one_barred(under_review, lead_officer, lead_officer2,
                                                                      future_date):
    complete(lead_officer2, under_review, "review", "fail", note="仍有泄漏", deadline=future_date)
    complete(lead_officer2, under_review, "rectify", "submit", report="再次整改")
    review = review_of(under_review)
    assert review.flow_task.excluded_user_id(review) == lead_officer2.pk
    assert refusal(lead_officer2, review).code == "four_eyes"
    assert refusal(lead_officer, review) is None
    assert barred_from(lead_officer2, rows_of([review])) == {review.pk}
    assert barred_from(lead_officer, rows_of([review])) == set()


def test_the_rectification_finished_last_counts_whatever_the_row_order(under_review, lead_officer, lead_officer2,
                                                                         future_date):
    """The flow's tasks are ordered by when they were finished, then by id: the
    service (excluded_user_id) and the queue page (barred_from) agree."""
    complete(lead_officer2, under_review, "review", "fail", note="仍有泄漏", deadline=future_date)
    complete(lead_officer2, under_review, "rectify", "submit", report="再次整改")
    first, second = [t for t in CaseTask.objects.filter(case_id=under_review, status=STATUS.DONE).order_by("id")
                     if t.step == "rectify"]
    assert (first.owner_id, second.owner_id) == (lead_officer.pk, lead_officer2.pk)
    review = review_of(under_review)
    # the first rectification's row is stamped as finished after the second's
    CaseTask.objects.filter(pk=first.pk).update(finished=second.finished + dt.timedelta(minutes=5))
    assert review.flow_task.excluded_user_id(review) == lead_officer.pk
    assert barred_from(lead_officer, rows_of([review])) == {review.pk} and barred_from(lead_officer2, rows_of([review])) == set()
    # finished at the same instant: the later row counts
    CaseTask.objects.filter(pk=first.pk).update(finished=second.finished)
    assert review.flow_task.excluded_user_id(review) == lead_officer2.pk
    assert barred_from(lead_officer2, rows_of([review])) == {review.pk} and barred_from(lead_officer, rows_of([review])) == set()


def test_a_step_without_the_rule_bars_no_one(street_officer, lead_officer):
    case = register(street_officer)
    verify = CaseTask.objects.get(pk=task_id(case["id"], "verify"))
    assert verify.flow_task.excluded_step is None and verify.flow_task.excluded_user_id(verify) is None
    assert barred_from(lead_officer, rows_of([verify])) == set()
    assert barred_from(lead_officer, rows_of([])) == set()


def test_the_queue_bars_per_case(street_officer, lead_officer, lead_officer2, future_date, under_review):
    """Two reviews on one page: each is barred to its own rectifier only."""
    other = register(street_officer)["id"]
    complete(lead_officer2, other, "verify", "confirm", grade="general")
    complete(lead_officer2, other, "order", "issue", deadline=future_date, measures="m", responsible_person="p",
             funds="f", contingency_plan="c")
    complete(lead_officer2, other, "rectify", "submit", report="done")
    mine, theirs = review_of(under_review), review_of(other)
    verify = CaseTask.objects.get(pk=task_id(register(street_officer)["id"], "verify"))
    assert barred_from(lead_officer, rows_of([mine, theirs, verify])) == {mine.pk}
    assert barred_from(lead_officer2, rows_of([mine, theirs, verify])) == {theirs.pk}
    # the service asks the same of each case: its own rectifier, not the last one anywhere
    assert mine.flow_task.excluded_user_id(mine) == lead_officer.pk and refusal(lead_officer2, mine) is None
    assert theirs.flow_task.excluded_user_id(theirs) == lead_officer2.pk and refusal(lead_officer, theirs) is None


def test_the_investigator_may_not_do_the_legal_review_of_a_penalty(lead_officer, lead_officer2, lead_leader):
    """The legal review (法制审核) follows the investigation through a gateway
    the engine completes itself: the investigator is barred, not the gateway."""
    case_id = register(lead_officer, **penalty_payload())["id"]
    complete(lead_leader, case_id, "file", "approve", note="同意立案")
    complete(lead_officer, case_id, "investigate", "submit", co_officer="em_officer2", findings="未专库储存",
             evidence="现场检查笔录", provisions=["hcsr-80"])
    review = CaseTask.objects.get(pk=task_id(case_id, "legal_review"))
    assert review.flow_task.excluded_user_id(review) == lead_officer.pk
    assert refusal(lead_officer, review).code == "four_eyes"
    assert refusal(lead_officer2, review) is None
    assert barred_from(lead_officer, rows_of([review])) == {review.pk}


def test_another_agencys_officer_is_told_whose_queue_it_is(under_review, police_officer, lead_leader):
    review = review_of(under_review)
    error = refusal(police_officer, review)
    assert isinstance(error, NotYourTask) and str(error.message) == "此任务由区应急局执法人员办理。"
    with translation.override("en"):
        assert queue_label(review) == f"the officers of {review.agency.name}"
        assert review.agency.name in str(refusal(police_officer, review))
    assert not may_work(police_officer, review)
    # a leader of the agency holds the officers' permission too, but is not the rectifier
    assert refusal(lead_leader, review) is None


def test_a_done_task_and_a_task_held_by_another_are_refused(under_review, lead_officer, lead_officer2, street_officer):
    review = review_of(under_review)
    third = officer("emergency", username="em_officer3")
    assert Api(third).post(f"tasks/{review.pk}/claim").status_code == 200
    review.refresh_from_db()
    assert review.owner_id == third.pk
    error = refusal(lead_officer2, review)
    assert isinstance(error, TaskHeldByOther)
    assert str(error.message) == "此任务已由em_officer3签收；区应急局负责人可将其退回单位待领。"
    assert refusal(third, review) is None                    # the holder works it
    # a task without an agency (none is created so, but the words must not fail): a dash
    review.agency = None
    assert str(refusal(lead_officer2, review).message) == "此任务已由em_officer3签收；—负责人可将其退回单位待领。"
    review.owner = None
    assert str(refusal(lead_officer, review).message) == "提交整改的执法人员不得复查该整改，请由—的其他执法人员复查。"
    review.refresh_from_db()
    complete(third, under_review, "review", "pass")
    review.refresh_from_db()
    assert isinstance(refusal(third, review), TaskAlreadyDone)


def test_queue_labels_name_the_queue(under_review, lead_leader, supervisor, lead_officer2):
    complete(lead_officer2, under_review, "review", "pass")
    close = open_tasks(under_review, "close")[0]
    with translation.override("en"):
        assert queue_label(close) == f"the leaders of {close.agency.name}"
        close.owner_permission = "role:supervisor"
        assert queue_label(close) == "the safety office (区安委会办公室)"
        close.agency, close.owner_permission = None, "agency:emergency"
        assert queue_label(close) == "the officers of agency:emergency"
        close.owner_permission = None
        assert queue_label(close) == "the officers of "


def test_a_leader_assigns_the_agencys_tasks_and_the_holder_or_a_leader_returns_them(
        under_review, lead_officer, lead_officer2, lead_leader, supervisor, police_officer):
    review = review_of(under_review)
    police_leader = officer("police", User.Role.LEADER, username="police_leader")
    assert may_assign(lead_leader, review)
    assert not may_assign(lead_officer, review)
    assert not may_assign(police_leader, review)
    assert not may_assign(supervisor, review)            # a supervisor assigns the safety office's tasks only
    safety_task = CaseTask(agency=supervisor.agency, owner_permission="role:supervisor")
    assert may_assign(supervisor, safety_task)
    assert not may_assign(lead_leader, safety_task)

    review.owner = lead_officer2
    assert may_unclaim(lead_officer2, review)            # its holder
    assert may_unclaim(lead_leader, review)              # a leader of its agency
    assert not may_unclaim(lead_officer, review)
    assert not may_unclaim(police_leader, review)
