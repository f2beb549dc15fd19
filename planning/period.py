"""The plan's campaign period (治理期, "利用一年时间集中治理"): reports are due,
reminded and counted late for its months only. One row an administrator
sets; without it no month is due."""
import datetime as dt

from .models import PlanPeriod


def plan_period() -> PlanPeriod | None:
    return PlanPeriod.objects.order_by("pk").first()


def month_in_period(month: dt.date) -> bool:
    """Whether reports are due for the month (its first day)."""
    period = plan_period()
    return period is not None and period.starts_on.replace(day=1) <= month <= period.ends_on


def period_text(period: PlanPeriod | None) -> str:
    if period is None:
        return "—"
    return f"{period.starts_on:%Y-%m} – {period.ends_on:%Y-%m}"
