"""A case kind or step with a missing piece fails the system checks, instead
of running with a silent default (flows/checks.py); each check is shown to fire."""
from dataclasses import replace

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils.translation import gettext_lazy as _

from flows import checks
from flows.actions import AGREE, Action
from flows.forms import NoteForm
from flows.kinds.hazard import KIND as HAZARD
from flows.nodes import HumanStep, lead_queue
from flows.registry import kinds
from org.models import DeadlinePolicy


def ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_the_kinds_and_steps_as_shipped_pass_every_check():
    assert checks.check_kinds() == []
    assert [e for e in run_checks(include_deployment_checks=False) if e.id.startswith("flows.")] == []


def test_a_step_without_actions_fails():
    assert ids(checks.step_errors(HumanStep(_("Verify"), queue=lead_queue, days=3, actions=[]), "x")) == ["flows.E001"]


def test_a_step_without_a_title_fails():
    assert ids(checks.step_errors(HumanStep("", queue=lead_queue, days=3, actions=[AGREE]), "x")) == ["flows.E002"]


def test_an_escalating_step_without_a_time_limit_fails():
    no_limit = HumanStep(_("Verify"), queue=lead_queue, actions=[AGREE])
    assert ids(checks.step_errors(no_limit, "x")) == ["flows.E003"]
    # a step that never escalates (supervision's own) needs none
    assert checks.step_errors(HumanStep(_("Supervise"), queue=lead_queue, escalate=False, actions=[AGREE]), "x") == []


def test_a_step_with_more_actions_than_the_task_page_offers_fails():
    many = [replace(AGREE, name=f"agree{n}") for n in range(checks.MAX_ACTIONS + 1)]
    assert ids(checks.step_errors(HumanStep(_("Verify"), queue=lead_queue, days=3, actions=many), "x")) == ["flows.E006"]
    assert checks.step_errors(HumanStep(_("Verify"), queue=lead_queue, days=3, actions=many[:-1]), "x") == []


@pytest.mark.parametrize("action", [
    Action("agree", "", NoteForm, AGREE.apply),
    Action("agree", _("Agree"), object, AGREE.apply),
    Action("agree", _("Agree"), NoteForm, None),
])
def test_an_action_without_label_form_or_handler_fails(action):
    step = HumanStep(_("Consult"), queue=lead_queue, days=5, actions=[action])
    assert ids(checks.step_errors(step, "x")) == ["flows.E004"]


def test_a_kind_whose_flow_is_no_case_flow_fails():
    assert ids(checks.kind_errors(replace(HAZARD, flow=object))) == ["flows.E010"]


@pytest.mark.parametrize("code", ["hz", "HZZ", "", "IS"])
def test_a_kind_needs_a_number_code_of_its_own(code):
    others = [kind for kind in kinds().values() if kind.code != "hazard"]
    assert ids(checks.kind_errors(replace(HAZARD, number_code=code), others=others)) == ["flows.E011"]


def test_a_kind_without_label_or_lead_fails():
    assert ids(checks.kind_errors(replace(HAZARD, label=""))) == ["flows.E012"]
    assert ids(checks.kind_errors(replace(HAZARD, lead_agency=""))) == ["flows.E012"]


def test_a_main_path_through_a_step_the_flow_lacks_fails():
    assert ids(checks.kind_errors(replace(HAZARD, main_path=("verify", "inspect")))) == ["flows.E013"]


def test_a_step_without_its_deadline_policy_row_fails_the_database_check():
    assert checks.policy_errors(DeadlinePolicy.objects.all()) == []
    DeadlinePolicy.objects.filter(kind="hazard", step="review").delete()
    assert ids(checks.policy_errors(DeadlinePolicy.objects.all())) == ["flows.E020"]
    with pytest.raises(SystemCheckError, match="step 'review': no deadline policy row"):
        call_command("check", "--database", "default")
    # a row for every kind of the step would do as well
    DeadlinePolicy.objects.create(kind="", grade="", step="review", working_days=10)
    assert checks.policy_errors(DeadlinePolicy.objects.all()) == []


def test_migrate_adds_the_rows_of_every_declared_step_and_keeps_an_edited_one():
    from flows.policies import sync_deadline_policies

    DeadlinePolicy.objects.filter(kind="hazard", step="review", grade="").update(working_days=15)
    DeadlinePolicy.objects.filter(kind="waste_referral", step="consult").delete()
    assert sync_deadline_policies() == 1
    assert DeadlinePolicy.objects.get(kind="hazard", step="review", grade="").working_days == 15
    assert DeadlinePolicy.objects.get(kind="waste_referral", step="consult", grade="").working_days == 5
    # a major hazard is listed for supervision as soon as it is overdue: no grace
    assert DeadlinePolicy.objects.get(kind="hazard", step="order", grade="major").grace_working_days == 0


def test_a_flow_with_viewflow_s_own_gateway_fails():
    from types import SimpleNamespace

    from viewflow.workflow import flow

    from flows import nodes

    stock, ours = flow.If(lambda activation: True), nodes.Switch()
    stock.name, ours.name = "after_verify", "after_order"
    flow_class = SimpleNamespace(instance=SimpleNamespace(nodes=lambda: [stock, ours]))
    errors = checks.gateway_errors(flow_class, "kind 'x'")
    assert ids(errors) == ["flows.E014"] and "after_verify" in errors[0].msg
    assert checks.gateway_errors(HAZARD.flow, "kind 'hazard'") == []
