"""Pages of the case resource: the case list, registering a case, the case
file, and adding evidence and comments. Every write calls a service; domain
errors become form errors (beside the field, with what was typed) or messages."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import services as case_services
from cases.selectors import case_comments, case_file, linked_cases, visible_cases
from common.exceptions import DomainError, InvalidInput
from common.inputs import parse_id
from enforcement.documents import documents_on_file
from enforcement.referrals import referrals_of
from flows import services
from flows.diagram import process_diagram
from flows.registration import kinds_opened_from, registration_form
from flows.registry import kind_choices, kind_of
from flows.selectors import open_task_list
from supervision.listings import listing_in_force

from ..filters import CaseFilter
from ..models import SavedFilter
from ..saved_filters import saved_filters
from .common import case_or_404, focus_first_error, next_or


@require_GET
@login_required
def case_list(request):
    filterset = CaseFilter(
        request.GET, queryset=visible_cases(request.user).select_related("lead_agency", "street", "enterprise")
        .prefetch_related("participants"),
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "desk/case_list.html", {
        "filter": filterset, "page": page, "query": query.urlencode(),
        "saved": saved_filters(request.user, SavedFilter.Page.CASES), "page_code": SavedFilter.Page.CASES,
        "current_query": query.urlencode(),
    })


@require_http_methods(["GET", "POST"])
@login_required
def case_new(request):
    if request.method == "POST":
        form = registration_form(request.POST)
    else:  # ?kind=penalty&source_case=12: that kind's fields, filled in (a penalty opened from a case)
        initial = {key: value for key, value in request.GET.items() if key in ("kind", "source_case")}
        initial.update(facts_of_source(request.user, initial.get("source_case")))
        form = registration_form(kind=initial.get("kind"), initial=initial)
    if request.method == "POST":
        try:
            case = services.open_case(actor=request.user, data=request.POST, photos=request.FILES.getlist("photos"))
        except DomainError as error:
            if form.is_valid():  # refused beyond the fields' own checks: the photos, the campaign
                fields = getattr(error, "fields", {}) or {}
                for name in [name for name in fields if name in form.fields]:
                    form.add_error(name, fields.pop(name))
                if fields or not getattr(error, "fields", None):
                    messages.error(request, error.text())
            focus_first_error(form)  # the same form the service ran: show its errors beside the fields
        else:
            messages.success(request, _("%(number)s registered.") % {"number": case.number})
            return redirect("desk:case", case_id=case.pk)
    return render(request, "desk/case_new.html", {"form": form, "kinds": kind_choices()})


def facts_of_source(user, source_id) -> dict:
    """The fields a case opened from another starts with: its place, street and enterprise."""
    source_id = parse_id(source_id)
    source = (visible_cases(user).filter(pk=source_id).select_related("street", "enterprise").first()
              if source_id is not None else None)
    if source is None:
        return {}
    enterprise = source.enterprise
    return {"source_case": source.number, "address": source.address, "street": source.street.code, "source": source.number,
            "enterprise_name": enterprise.name if enterprise else "", "enterprise_uscc": enterprise.uscc if enterprise else ""}


@require_GET
@login_required
def case_detail(request, case_id):
    case = case_or_404(request.user, case_id)
    return render(request, "desk/case_detail.html", {"case": case, **case_context(case, request.user)})


def case_context(case, user) -> dict:
    """What the case file shows beside the case: its kind's facts, open tasks,
    process diagram, history, trail, documents, listing and evidence."""
    kind = kind_of(case.kind)
    listing = listing_in_force(case)
    return {
        "listing": listing, "may_list": listing is None and user.is_supervisor and case.is_major and case.is_open,
        "may_act_on_listing": listing is not None and user.agency_id in (listing.responsible_agency_id,
                                                                        case.lead_agency_id),
        "kind": kind, "facts": kind.facts(case), "order": kind.order(case), "linked": linked_cases(case, user),
        "open_from": kinds_opened_from(case, user),
        "tasks": open_task_list(case.pk), "diagram": process_diagram(case),
        "referrals": referrals_of(case), "documents": documents_on_file(case), **case_file(case),
        "comments": case_comments(case),
    }


@require_POST
@login_required
def evidence_upload(request, case_id):
    case = case_or_404(request.user, case_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput(fields={"file": [_("Attach a file.")]})
        case_services.add_evidence(
            actor=request.user, case=case, upload=upload,
            stage=request.POST.get("stage", "other"), description=request.POST.get("description", ""),
        )
    except DomainError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Evidence added."))
    return redirect(next_or(request, reverse("desk:case", args=[case.pk])) + "#evidence")


@require_POST
@login_required
def comment_add(request, case_id):
    case = case_or_404(request.user, case_id)
    try:
        case_services.add_comment(actor=request.user, case=case, text=request.POST.get("text", ""))
    except DomainError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Comment added."))
    return redirect(reverse("desk:case", args=[case.pk]) + "#comments")
