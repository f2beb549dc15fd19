"""A failure in the middle of a step leaves the case, its tasks and its
history exactly as they were."""
from unittest import mock

import pytest

from cases.models import Case, CaseHistory
from flows import services
from flows.models import CaseTask

from .scenarios import complete, register, task_id


def _snapshot(case_id):
    case = Case.objects.get(pk=case_id)
    return (
        case.state, case.grade, list(case.participants.values_list("code", flat=True)), case.due_at,
        list(CaseHistory.objects.filter(case_id=case_id).values_list("id", "action")),
        sorted(CaseTask.objects.filter(case_id=case_id).values_list("id", "status", "owner_id")),
    )


@pytest.mark.django_db(transaction=True)
def test_history_write_failure_rolls_back_the_whole_step(street_officer, lead_officer):
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    before = _snapshot(case["id"])
    with mock.patch("cases.history.insert_rows", side_effect=RuntimeError("disk full")):  # the history's writer
        with pytest.raises(RuntimeError):
            services.complete_task(
                user=lead_officer, task_id=verify, action="confirm", data={"grade": "major", "agencies": ["police"]}
            )
    assert _snapshot(case["id"]) == before
    # and the step still works afterwards
    complete(lead_officer, case["id"], "verify", "confirm", grade="major", agencies=["police"])
    assert Case.objects.get(pk=case["id"]).state == "consulting"


@pytest.mark.django_db(transaction=True)
def test_failure_while_creating_the_next_task_rolls_back(street_officer, lead_officer):
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    before = _snapshot(case["id"])
    with mock.patch("flows.nodes.clock_for_step", side_effect=RuntimeError("policy unavailable")):
        with pytest.raises(RuntimeError):
            services.complete_task(user=lead_officer, task_id=verify, action="confirm", data={"grade": "general"})
    assert _snapshot(case["id"]) == before


@pytest.mark.django_db(transaction=True)
def test_failure_while_starting_the_flow_leaves_no_case(street_officer):
    from .factories import hazard_payload

    payload = hazard_payload()
    data = {k: v for k, v in payload.items() if k != "enterprise"}
    data.update(enterprise_name=payload["enterprise"]["name"], enterprise_uscc=payload["enterprise"]["uscc"])
    with mock.patch("flows.nodes.grant_access", side_effect=RuntimeError("boom")):
        with pytest.raises(RuntimeError):
            services.open_case(actor=street_officer, data=data)
    assert Case.objects.count() == 0 and CaseHistory.objects.count() == 0 and CaseTask.objects.count() == 0
