"""Which flow runs each case kind, and which agency leads it."""
from cases.models import CaseKind

from .hazard import HazardFlow

FLOWS = {
    CaseKind.HAZARD: HazardFlow,
}


def flow_for_kind(kind: str):
    return FLOWS[kind]
