"""The case kinds: each is one module under ``flows/kinds/`` that ends with
``KIND = Kind(...)``, found here at start-up. Every list that names the kinds
(registration choices, API enums, labels, the case summary, the workbook, the
bench) is read from ``kinds()``: adding a kind is adding a module.
"""
import functools
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms

KINDS_PACKAGE = "flows.kinds"


def kind_packages() -> list[str]:
    """Where kinds are found: ``flows.kinds``, and the ``kinds`` package of
    each app in ``settings.EXTRA_KIND_APPS`` (a kind tried as a module of its
    own, outside the repository's kinds: viewflow needs its flow in an app)."""
    from django.conf import settings

    return [KINDS_PACKAGE, *(f"{app}.kinds" for app in settings.EXTRA_KIND_APPS)]


@dataclass(frozen=True)
class Kind:
    """A kind of case: its code, number, label, flow and what it shows."""

    code: str  # the API's ``kind``, e.g. "hazard"
    number_code: str  # two letters of the case number, e.g. "HZ" in NK-HZ-2026-000123
    label: object  # lazy translation, e.g. 事故隐患 / Hidden hazard
    flow: type  # the viewflow Flow (a ``flows.steps.CaseFlow``)
    lead_agency: str  # code of the agency that leads a new case
    graded: bool = False  # the case has a grade (一般 / 重大)
    # the kind's own registration fields, stored in ``Case.details``
    registration_form: type[forms.Form] | None = None
    # (key, label) of the rectification order and of ``Case.details``, shown on the case
    order_fields: tuple[tuple[str, object], ...] = ()
    detail_fields: tuple[tuple[str, object], ...] = ()
    # grace before listing for supervision, by grade (a major hazard is listed when due)
    grace_by_grade: dict[str, int] = field(default_factory=dict)
    # the steps of a case that goes straight through, for the benchmark's seed
    main_path: tuple[str, ...] = ()
    describe: Callable | None = None  # (case) -> extra (label, value) facts of the kind
    # (actor) -> the lead Agency when it is not ``lead_agency`` (a penalty: the agency that opens it)
    lead_for: Callable | None = None
    # (case, actor) -> None: checks and links after registration, in its transaction (raise to refuse)
    on_open: Callable | None = None
    # the kind's own words for the shared states (a penalty is 已结案, not 已销号)
    state_labels: dict = field(default_factory=dict)

    def state_label(self, state: str):
        """The state in this kind's words."""
        from cases.models import State

        if state in self.state_labels:
            return self.state_labels[state]
        try:
            return State(state).label
        except ValueError:
            return state

    def steps(self) -> dict:
        """The kind's human steps by name, from its flow (``flows.nodes.HumanStep``)."""
        return self._steps

    @functools.cached_property
    def _steps(self) -> dict:  # a flow's nodes are fixed once it is loaded; a task list asks per row
        from .nodes import HumanStep

        return {node.name: node for node in self.flow.instance.nodes() if isinstance(node, HumanStep)}

    def step(self, name: str):
        return self.steps().get(name)

    def facts(self, case) -> list[tuple[object, object]]:
        """The kind's own facts of the case (``Case.details``), labelled."""
        rows = [(label, case.details.get(key)) for key, label in self.detail_fields if case.details.get(key)]
        return rows + (list(self.describe(case)) if self.describe is not None else [])

    def order(self, case) -> list[tuple[object, object]]:
        """The rectification order of the case, labelled, in the kind's order."""
        order = case.rectification_order or {}
        return [(label, order[key]) for key, label in self.order_fields if order.get(key)]


@functools.cache
def kinds() -> dict[str, Kind]:
    """Every kind, by code, in the order of their modules' names."""
    found = {}
    for name in kind_packages():
        package = importlib.import_module(name)
        for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{name}.{module_info.name}")
            kind = getattr(module, "KIND", None)
            if isinstance(kind, Kind):
                found[kind.code] = kind
    return found


def kind_of(code: str) -> Kind:
    """The kind named ``code``; ``KeyError`` when there is none."""
    return kinds()[code]


def kind_choices() -> list[tuple[str, object]]:
    return [(kind.code, kind.label) for kind in kinds().values()]


def kind_label(code: str):
    kind = kinds().get(code)
    return kind.label if kind else code


def state_label(state: str, kind: str = ""):
    """A case's state in its kind's words (the shared label for an unknown kind)."""
    from cases.models import State

    found = kinds().get(kind)
    if found is not None:
        return found.state_label(state)
    try:
        return State(state).label
    except ValueError:
        return state
