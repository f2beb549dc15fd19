"""System checks: a case kind or step with a missing piece fails ``manage.py
check`` (and so every start and every test run), instead of running with a
silent default.

flows.E001  a step without actions
flows.E002  a step without a title
flows.E003  a step that escalates but has no time limit (days, or the deadline its order sets)
flows.E004  an action without a label, a form of ours or a handler
flows.E005  an action issuing a document type with no form (enforcement.doctypes) or no template
flows.E006  a step with more actions than the task page can offer (its stylesheet shows one of at most 8)
flows.E010  a kind whose flow is not a case flow
flows.E011  a kind's number code is not two capital letters, or is another kind's too
flows.E012  a kind without a label or a lead agency
flows.E013  a kind's main path names a step its flow does not have
flows.E014  a kind's flow with viewflow's own If or Switch (flows.nodes has ours, written once)
flows.E020  (``check --database default``) an escalating step without its deadline-policy row
flows.E021  (``check --database default``) a document an action issues without its DocumentType row
"""
import re

from django.core.checks import Error, Tags, register
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from viewflow.workflow import flow

from enforcement.doctypes import FORMS

from . import nodes
from .forms import ActionForm
from .labels import shared_steps
from .nodes import HumanStep
from .registry import Kind, kinds
from .steps import CaseFlow

NUMBER_CODE = re.compile(r"^[A-Z]{2}$")


MAX_ACTIONS = 8


def step_errors(node: HumanStep, where: str) -> list[Error]:
    errors = []
    if not node.actions:
        errors.append(Error(f"{where}: the step has no actions.", id="flows.E001"))
    if not str(node.task_title or "").strip():
        errors.append(Error(f"{where}: the step has no title.", id="flows.E002"))
    if node.escalates and not node.days and not node.has_ordered_deadline:
        errors.append(Error(f"{where}: the step escalates but declares no time limit (days=...).", id="flows.E003"))
    if len(node.actions) > MAX_ACTIONS:
        errors.append(Error(f"{where}: the step has {len(node.actions)} actions; the task page offers at most "
                            f"{MAX_ACTIONS} (static/css/app.css, .action-forms).", id="flows.E006"))
    for name, action in node.actions.items():
        if not str(action.label or "").strip() or not callable(action.apply) or not (
            isinstance(action.form, type) and issubclass(action.form, ActionForm)
        ):
            errors.append(Error(f"{where}: action {name!r} needs a label, an ActionForm and a handler.",
                                id="flows.E004"))
        for issues in action.documents:
            if issues.type not in FORMS or not _has_template(f"enforcement/documents/{issues.type}.html"):
                errors.append(Error(f"{where}: action {name!r} issues {issues.type!r}, which has no form "
                                    "(enforcement.doctypes) or no template.", id="flows.E005"))
    return errors


def _has_template(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def all_steps():
    """Every human step of every case process: the kinds' and the shared ones."""
    for kind in kinds().values():
        yield from kind.steps().values()
    yield from shared_steps().values()


def kind_errors(kind: Kind, *, others: list[Kind] = ()) -> list[Error]:
    where = f"kind {kind.code!r}"
    errors = []
    if not (isinstance(kind.flow, type) and issubclass(kind.flow, CaseFlow) and issubclass(kind.flow, flow.Flow)):
        return [Error(f"{where}: its flow must be a CaseFlow and a viewflow Flow.", id="flows.E010")]
    if not NUMBER_CODE.match(kind.number_code or "") or any(o.number_code == kind.number_code for o in others):
        errors.append(Error(f"{where}: number code {kind.number_code!r} must be two capital letters of its own.",
                            id="flows.E011"))
    if not str(kind.label or "").strip() or not kind.lead_agency:
        errors.append(Error(f"{where}: a kind needs a label and a lead agency.", id="flows.E012"))
    steps = kind.steps()
    missing = [name for name in kind.main_path if name not in steps]
    if missing:
        errors.append(Error(f"{where}: its main path names steps its flow lacks: {', '.join(missing)}.",
                            id="flows.E013"))
    for name, node in steps.items():
        errors += step_errors(node, f"{where}, step {name!r}")
    errors += gateway_errors(kind.flow, where)
    return errors


def gateway_errors(flow_class, where: str) -> list[Error]:
    """Gateways must be ``flows.nodes.If`` / ``Switch`` (one write a gateway, no savepoint)."""
    stock = [node.name for node in flow_class.instance.nodes()
             if isinstance(node, (flow.If, flow.Switch)) and not isinstance(node, (nodes.If, nodes.Switch))]
    return [Error(f"{where}: gateway {name!r} is viewflow's own; use flows.nodes.If or flows.nodes.Switch.",
                  id="flows.E014") for name in stock]


@register("flows")
def check_kinds(app_configs=None, **kwargs) -> list[Error]:
    errors, seen = [], []
    for kind in kinds().values():
        errors += kind_errors(kind, others=seen)
        seen.append(kind)
    for name, node in shared_steps().items():
        errors += step_errors(node, f"step {name!r} of {node.flow_class.__name__}")
    return errors


def policy_errors(policies) -> list[Error]:
    """Escalating steps with no policy row for their kind (or for any kind)."""
    present = {(policy.kind, policy.step) for policy in policies}
    errors = []
    for kind in kinds().values():
        for name, node in kind.steps().items():
            if node.escalates and (kind.code, name) not in present and ("", name) not in present:
                errors.append(Error(f"kind {kind.code!r}, step {name!r}: no deadline policy row "
                                    "(run migrate, or add it in the admin).", id="flows.E020"))
    return errors


@register(Tags.database, "flows")
def check_deadline_policies(app_configs=None, databases=None, **kwargs) -> list[Error]:
    from django.db import connections

    from enforcement.models import DocumentType
    from org.models import DeadlinePolicy

    errors = []
    for alias in databases or []:
        tables = connections[alias].introspection.table_names()
        if DeadlinePolicy._meta.db_table in tables:  # not migrated yet: migrate adds the rows
            errors += policy_errors(DeadlinePolicy.objects.using(alias).all())
        if DocumentType._meta.db_table in tables:
            errors += document_type_errors(DocumentType.objects.using(alias).values_list("code", flat=True))
    return errors


def document_type_errors(codes) -> list[Error]:
    """Document types an action issues with no row of reference data."""
    known = set(codes)
    issued = {issues.type for node in all_steps() for action in node.actions.values() for issues in action.documents}
    return [Error(f"document type {code!r} is issued by a step but has no DocumentType row.", id="flows.E021")
            for code in sorted(issued - known)]
