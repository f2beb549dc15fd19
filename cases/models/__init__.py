from .case import (  # noqa: F401
    KIND_NUMBER_CODES,
    OPEN_STATES,
    Case,
    CaseAccess,
    CaseHistory,
    CaseKind,
    CaseNumberSequence,
    Enterprise,
    Grade,
    State,
)
from .evidence import Comment, Evidence  # noqa: F401
from .intake import Alarm  # noqa: F401
from .reference import MajorHazardCriterion  # noqa: F401
from .trail import Handoff, Referral  # noqa: F401
