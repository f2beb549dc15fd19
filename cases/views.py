"""Pages: the case list with filters."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .filters import CaseFilter
from .selectors import visible_cases


@require_GET
@login_required
def case_list(request):
    filterset = CaseFilter(
        request.GET, queryset=visible_cases(request.user).select_related("lead_agency", "street", "enterprise")
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/case_list.html", {"filter": filterset, "page": page, "query": query.urlencode(), "now_ts": timezone.now()})
