from .access import CaseAccess, EnterpriseAccess  # noqa: F401
from .campaign import Campaign  # noqa: F401
from .case import (  # noqa: F401
    OPEN_STATES,
    SUPERVISED_LEVEL,
    Activity,
    Case,
    CaseHistory,
    CaseNumberSequence,
    Enterprise,
    Grade,
    Risk,
    State,
    supervised_q,
)
from .evidence import Comment, Evidence  # noqa: F401
from .intake import Alarm  # noqa: F401
from .reference import MajorHazardCriterion  # noqa: F401
from .trail import Handoff  # noqa: F401
