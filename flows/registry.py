"""Which flow runs each case kind."""
from cases.models import CaseKind

from .hazard import HazardFlow
from .illegal_site import IllegalSiteFlow
from .waste_referral import WasteReferralFlow

FLOWS = {
    CaseKind.HAZARD: HazardFlow,
    CaseKind.ILLEGAL_SITE: IllegalSiteFlow,
    CaseKind.WASTE_REFERRAL: WasteReferralFlow,
}


def flow_for_kind(kind: str):
    return FLOWS[kind]
