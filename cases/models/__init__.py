from .case import (  # noqa: F401
    LISTED_LEVEL,
    OPEN_STATES,
    Case,
    CaseAccess,
    CaseHistory,
    CaseNumberSequence,
    Enterprise,
    Grade,
    State,
    listed_q,
)
from .evidence import Comment, Evidence  # noqa: F401
from .intake import Alarm  # noqa: F401
from .reference import MajorHazardCriterion  # noqa: F401
from .trail import Handoff  # noqa: F401
