"""The penalty's reads: its dates, investigators, notice periods, fine and clocks (行政处罚; see the package)."""
import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case

CODE = "penalty"
LABEL = _("Administrative penalty")


def _today() -> dt.date:
    return timezone.localdate()


def _date(raw) -> dt.date | None:
    return dt.date.fromisoformat(raw) if raw else None


# --- reads ---------------------------------------------------------------------------------
def investigators(case: Case) -> set[str]:
    """The user names of the officers who investigated the case."""
    names = set()
    for row in case.history.filter(step="investigate", action="submit").select_related("actor"):
        names.add(row.actor.username if row.actor else "")
        names.add((row.data or {}).get("co_officer", ""))
    return names - {""}


def notice_periods_end(details: dict) -> dt.date | None:
    """The last day the party may answer the notice (the statement period,
    and the hearing request period where a hearing is offered and not asked
    for), or None when the party answered in full or waived."""
    notice = details.get("notice") or {}
    if not notice or details.get("waived") or details.get("hearing_requested"):
        return None
    days = [_date(notice.get("statement_until"))]
    if notice.get("hearing"):
        days.append(_date(notice.get("hearing_until")))
    return max(day for day in days if day is not None)


def fine_of(case: Case) -> Decimal | None:
    decision = case.details.get("decision") or {}
    return Decimal(decision["amount"]) if decision.get("amount") is not None else None


def answer_deadline(activation):
    details = activation.process.case.details
    return notice_periods_end(details) or _date((details.get("notice") or {}).get("statement_until"))


def decision_deadline(activation):
    return _date(activation.process.case.details.get("decision_due"))


def payment_deadline(activation):
    return _date(activation.process.case.details.get("payment_due"))


