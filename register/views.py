"""Pages of the register (namespace ``register``): the list with its filters,
the enterprise's file (一企一档), the import with its progress, the workbook
template and export, the product labels, the leaders' risk list, and the
public safety card of a product (``/codes/{code}``, no login)."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Activity, Risk
from common.exceptions import DomainError, NotFound
from common.paging import CappedCountPaginator
from org.models import Agency

from . import services, workbook
from .api import visible_job, xlsx_response
from .codes import qr_data_uri
from .inputs import Streets, clean_filters
from .rules import keeps_register
from .selectors import (
    enterprise_file,
    enterprise_rows,
    filter_enterprises,
    get_visible_enterprise,
    product_by_code,
    risk_counts,
    visible_enterprises,
)
from .tasks import queue_import


def _filters(request):
    filters, errors = clean_filters(request.GET, Streets())
    for field, problems in errors.items():
        for problem in problems:
            messages.error(request, problem)
    return filters


@require_GET
@login_required
def enterprise_list(request):
    filters = _filters(request)
    rows = enterprise_rows(filter_enterprises(visible_enterprises(request.user), filters))
    page = CappedCountPaginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "register/enterprises.html", {
        "page": page, "query": query.urlencode(), "filters": filters, "streets": Agency.objects.streets(),
        "risks": Risk.choices, "activities": Activity.choices, "keeper": keeps_register(request.user),
    })


def _enterprise_or_404(user, uscc):
    try:
        return get_visible_enterprise(user, uscc)
    except NotFound:
        raise Http404


@require_GET
@login_required
def enterprise_detail(request, uscc):
    enterprise = _enterprise_or_404(request.user, uscc)
    return render(request, "register/enterprise.html", {
        "enterprise": enterprise, **enterprise_file(request.user, enterprise), "today": timezone.localdate(),
        "keeper": keeps_register(request.user)})


@require_GET
@login_required
def labels(request, uscc):
    """The enterprise's product labels, one per product with its QR, to print."""
    enterprise = _enterprise_or_404(request.user, uscc)
    def address(path):  # the site's public address when set (SITE_URL), else the one the sheet was opened on
        return f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)

    products = [(product, qr_data_uri(address(reverse("register:code", args=[product.code]))))
                for product in enterprise.products.all()]
    return render(request, "register/labels.html", {"enterprise": enterprise, "products": products})


@require_http_methods(["GET", "POST"])
@login_required
def import_page(request):
    if not keeps_register(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            upload = request.FILES.get("file")
            job = services.start_import(actor=request.user, upload=upload)
        except DomainError as error:
            messages.error(request, error.text())
            return redirect("register:import")
        queue_import(job.pk)
        return redirect("register:import-job", job_id=job.pk)
    return render(request, "register/import.html", {"max_mb": services.max_import_bytes() // (1024 * 1024)})


@require_GET
@login_required
def import_job(request, job_id):
    try:
        job = visible_job(request.user, job_id)
    except NotFound:
        raise Http404
    return render(request, "register/import_job.html", {"job": job})


@require_GET
@login_required
def template(request):
    return xlsx_response(workbook.template(), "enterprise-register-template.xlsx")


@require_GET
@login_required
def export(request):
    filters = _filters(request)
    queryset = filter_enterprises(visible_enterprises(request.user), filters)
    return xlsx_response(workbook.export(queryset), f"enterprise-register-{timezone.localdate().isoformat()}.xlsx")


@require_GET
@login_required
def risk(request):
    """The leaders' risk list: enterprises by street and colour, the red ones named."""
    if not (request.user.is_supervisor or request.user.is_leader):
        raise PermissionDenied
    enterprises = visible_enterprises(request.user)
    red = enterprise_rows(enterprises.filter(risk=Risk.RED))[:200]
    located = list(enterprises.exclude(latitude=None).exclude(risk="").values(
        "uscc", "name", "risk", "latitude", "longitude")[:2000])
    return render(request, "register/risk.html", {"rows": risk_counts(enterprises), "red": red,
                                                  "map": risk_map(located)})


def risk_map(points: list[dict], width: int = 640, height: int = 420) -> dict | None:
    """The located enterprises as dots on an SVG drawn by the server (no script, no tiles)."""
    if not points:
        return None
    lats = [float(p["latitude"]) for p in points]
    lngs = [float(p["longitude"]) for p in points]
    south, north, west, east = min(lats), max(lats), min(lngs), max(lngs)
    span_lat, span_lng = max(north - south, 0.001), max(east - west, 0.001)
    dots = [{"x": round(20 + (float(p["longitude"]) - west) / span_lng * (width - 40), 1),
             "y": round(20 + (north - float(p["latitude"])) / span_lat * (height - 40), 1),
             "risk": p["risk"], "name": p["name"], "uscc": p["uscc"]} for p in points]
    order = {"blue": 0, "yellow": 1, "orange": 2, "red": 3}
    return {"width": width, "height": height, "dots": sorted(dots, key=lambda d: order.get(d["risk"], 0))}


@require_GET
def safety_card(request, code):
    """一品一码: the product's safety card, without login, and nothing else."""
    try:
        product = product_by_code(code)
    except NotFound:
        raise Http404
    return render(request, "register/card.html", {"product": product})


