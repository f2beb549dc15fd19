"""Pages: the supervision board (督办看板) for the safety office."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .selectors import assessment, escalated_cases, escalations_by, overdue_days


@require_GET
@login_required
def board(request):
    if not (request.user.is_supervisor or request.user.is_leader):
        raise PermissionDenied
    cases = list(escalated_cases(request.user)[:200])
    now = timezone.now()
    for case in cases:
        case.overdue_days = overdue_days(case, now)
    return render(request, "supervision/board.html", {
        "cases": cases,
        "by_agency": escalations_by(request.user, "lead_agency"),
        "by_street": escalations_by(request.user, "street"),
        "assessment": assessment(),
        "year": timezone.localdate().year,
    })
