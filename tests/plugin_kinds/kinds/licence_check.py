"""A kind that lives outside flows/kinds/: a check of a trading licence
(经营许可核查), verified then closed by a leader. It is here to show that a
kind is one module: tests/test_flows_plugin_kind.py runs the whole desk with
it (EXTRA_KIND_APPS) and nothing else changed."""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from flows import actions as act
from flows.actions import Action
from flows.nodes import HumanStep, Switch, lead_leader_queue
from flows.registry import Kind
from flows.steps import CaseFlow, HandoffSteps, outcome, verify_step


def confirm(case, history, data):
    case.start_consultation(agencies=[], **history)


def conclude(case, history, data):
    case.conclude(**history)


CONFIRM = Action("confirm", _("Confirm"), act.forms.NoteForm, confirm)
APPROVE = Action("approve", _("Approve closure"), act.forms.NoteForm, conclude)


class LicenceCheckFlow(CaseFlow, HandoffSteps, flow.Flow):
    """Trading licence check (经营许可核查)"""

    verify = verify_step(CONFIRM).Next(this.after_verify)
    after_verify = (
        Switch()
        .Case(this.dismissed, outcome("dismiss"))
        .Case(this.accept_handoff, outcome("handoff"))
        .Default(this.close)
    )
    close = HumanStep("办结", queue=lead_leader_queue, days=3, actions=[APPROVE]).Next(this.closed)
    closed = flow.End()
    dismissed = flow.End()


KIND = Kind(
    code="licence_check", number_code="LC", label="经营许可核查", flow=LicenceCheckFlow, lead_agency="emergency",
    main_path=("verify", "close"),
)
