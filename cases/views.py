"""Pages: the case list with filters; adding evidence and comments to a case."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from enforcement.exceptions import DomainError, InvalidInput, NotFound

from . import services
from .filters import CaseFilter
from .selectors import get_visible_case, visible_cases


@require_GET
@login_required
def case_list(request):
    filterset = CaseFilter(
        request.GET, queryset=visible_cases(request.user).select_related("lead_agency", "street", "enterprise").prefetch_related("participants")
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/case_list.html", {"filter": filterset, "page": page, "query": query.urlencode(), "now_ts": timezone.now()})


@require_POST
@login_required
def evidence_upload(request, case_id):
    case = _case_or_404(request.user, case_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput(fields={"file": [_("Attach a file.")]})
        services.add_evidence(
            actor=request.user, case=case, upload=upload,
            stage=request.POST.get("stage", "other"), description=request.POST.get("description", ""),
        )
    except DomainError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Evidence added."))
    return redirect(reverse("flows:case", args=[case.pk]) + "#evidence")


@require_POST
@login_required
def comment_add(request, case_id):
    case = _case_or_404(request.user, case_id)
    try:
        services.add_comment(actor=request.user, case=case, text=request.POST.get("text", ""))
    except DomainError as error:
        messages.error(request, error.text())
    return redirect(reverse("flows:case", args=[case.pk]) + "#comments")


def _case_or_404(user, case_id):
    try:
        return get_visible_case(user, case_id)
    except NotFound:
        raise Http404
