"""Saved filters (常用筛选) of the task lists and the case list."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import DomainError

from .. import saved_filters
from ..models import SavedFilter

PAGES = {SavedFilter.Page.TASKS: "desk:inbox", SavedFilter.Page.CASES: "desk:cases"}


def _back(page: str, query: str = ""):
    url = reverse(PAGES.get(page, "desk:inbox"))
    return redirect(f"{url}?{query}" if query else url)


@require_POST
@login_required
def filter_save(request):
    page = request.POST.get("page", "")
    try:
        saved = saved_filters.save_filter(user=request.user, page=page, name=request.POST.get("name"),
                                          query=request.POST.get("query"))
    except DomainError as error:
        messages.error(request, error.text())
        return _back(page, request.POST.get("query", "") if isinstance(request.POST.get("query"), str) else "")
    messages.success(request, _("Filters saved as “%(name)s”.") % {"name": saved.name})
    return _back(saved.page, saved.query)


@require_POST
@login_required
def filter_delete(request, filter_id):
    page = request.POST.get("page", "")
    try:
        saved_filters.delete_filter(user=request.user, filter_id=filter_id)
    except DomainError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("The saved filter was deleted."))
    return _back(page)
