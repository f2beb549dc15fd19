"""Pages: the supervision board (督办看板), and the listing (挂牌督办) actions
the case page offers."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.exceptions import DomainError, NotFound
from org.deadlines import time_left

from . import listings
from .selectors import assessment, escalated_cases, escalations_by


@require_GET
@login_required
def board(request):
    if not (request.user.is_supervisor or request.user.is_leader):
        raise PermissionDenied
    cases = list(escalated_cases(request.user)[:200])
    now = timezone.now()
    for case in cases:  # whole working days past the due day, as the rules count time (org.deadlines)
        left = time_left(case.due_at, now=now)
        case.overdue_working_days = left.working_days if left is not None and left.overdue else None
    return render(request, "supervision/board.html", {
        "cases": cases,
        "by_agency": escalations_by(request.user, "lead_agency"),
        "by_street": escalations_by(request.user, "street"),
        "assessment": assessment(),
        "year": timezone.localdate().year,
        "listings": listings.listings_visible_to(request.user).exclude(state="removed"),
        **listings.listings_needing_attention(),
    })


# --- 挂牌督办 from the case page -----------------------------------------------------------------
@require_POST
@login_required
def listing_create(request, case_id):
    try:
        listings.list_case(actor=request.user, case_id=case_id, deadline=request.POST.get("deadline", ""),
                           requirements=request.POST.get("requirements", ""),
                           responsible_agency=request.POST.get("responsible_agency", ""))
    except NotFound:
        raise Http404
    except DomainError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Listed for supervision (挂牌督办); the notice is issued."))
    return redirect(reverse("desk:case", args=[case_id]) + "#listing")


LISTING_ACTIONS = {
    "extend": lambda user, pk, post: listings.request_extension(
        actor=user, listing_id=pk, reason=post.get("reason", ""), new_deadline=post.get("new_deadline", "")),
    "grant": lambda user, pk, post: listings.decide_extension(actor=user, listing_id=pk, grant=True,
                                                              note=post.get("note", "")),
    "refuse": lambda user, pk, post: listings.decide_extension(actor=user, listing_id=pk, grant=False,
                                                               note=post.get("note", "")),
    "remove": lambda user, pk, post: listings.request_removal(actor=user, listing_id=pk, report=post.get("report", "")),
    "approve_removal": lambda user, pk, post: listings.approve_removal(actor=user, listing_id=pk,
                                                                       note=post.get("note", "")),
    "publish": lambda user, pk, post: listings.publish(actor=user, listing_id=pk, channel=post.get("channel", ""),
                                                       published_on=post.get("published_on") or None),
}


@require_POST
@login_required
def listing_action(request, listing_id, action):
    if action not in LISTING_ACTIONS:
        raise Http404
    try:
        listing = listings.get_visible_listing(request.user, listing_id)
        LISTING_ACTIONS[action](request.user, listing.pk, request.POST)
    except NotFound:
        raise Http404
    except DomainError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Done."))
    return redirect(reverse("desk:case", args=[listing.case_id]) + "#listing")
