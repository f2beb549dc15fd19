"""Pages: the dashboard (统计看板) and the periodic reports (进展报送)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.exceptions import DomainError, InvalidInput, NotFound
from common.replica import replica_reads

from . import reports
from .charts import bar_chart, line_chart
from .models import ProgressReport, ReportEntry
from .stats import PUNCTUALITY_LABELS, dimension_labels, labelled, opened_and_closed, period_stats


@require_GET
@login_required
def dashboard(request):
    if not (request.user.is_supervisor or request.user.is_leader):
        raise PermissionDenied
    try:
        period = reports.parse_period(request.GET.get("period") or reports.format_period(timezone.localdate()))
    except InvalidInput as error:
        messages.error(request, error.text())  # and the current month instead
        period = timezone.localdate().replace(day=1)
    with replica_reads():  # figures a few seconds old are fine here (common.replica)
        stats = period_stats(period)
        labels = dimension_labels()
        by_kind, by_agency = labelled(stats["by_kind"], "kind", labels), labelled(stats["by_agency"], "agency", labels)
        months = [period.replace(day=1)]
        for _ in range(5):
            months.insert(0, (months[0] - timezone.timedelta(days=1)).replace(day=1))
        trend = [(reports.format_period(month)[2:], opened, closed) for month, opened, closed in opened_and_closed(months)]
    return render(request, "planning/dashboard.html", {
        "stats": stats,
        "by_street": labelled(stats["by_street"], "street", labels),
        "punctuality": [{**row, "label": PUNCTUALITY_LABELS[row["state"]]} for row in stats["report_punctuality"]],
        "period": reports.format_period(period),
        "kind_chart": bar_chart([(row["label"], row["opened"]) for row in by_kind]),
        "agency_chart": [{**bar, "key": row["key"]} for bar, row in zip(
            bar_chart([(row["label"], row["overdue"]) for row in by_agency]), by_agency, strict=True)],
        "trend_chart": line_chart([label for label, _o, _c in trend], {"opened": [o for _l, o, _c in trend],
                                                                      "closed": [c for _l, _o, c in trend]}),
    })


@require_GET
@login_required
def report_list(request):
    try:
        period = reports.parse_period(request.GET.get("period") or reports.format_period(timezone.localdate()))
    except InvalidInput as error:
        messages.error(request, error.text())  # and the current month instead
        period = timezone.localdate().replace(day=1)
    rows = reports.reports_visible_to(request.user).filter(period=period).prefetch_related("entries__task")
    late = reports.late_units(period) if request.user.is_supervisor else []
    return render(request, "planning/reports.html", {
        "period": reports.format_period(period), "reports": rows, "late": late,
        "due": reports.due_date(period), "kinds": reports.kinds_due(period),
    })


@require_http_methods(["GET", "POST"])
@login_required
def report_edit(request, kind, period):
    """The unit's report for a period: one entry per key task it is responsible for."""
    if request.user.agency_id is None or kind not in ProgressReport.Kind.values:
        raise Http404
    try:
        start = reports.parse_period(period)
    except InvalidInput:
        raise Http404
    report = ProgressReport.objects.filter(agency_id=request.user.agency_id, kind=kind, period=start).first()
    current = {e.task_id: e for e in report.entries.all()} if report else {}
    tasks = list(reports.responsible_tasks(request.user.agency))
    if request.method == "POST":
        entries = [
            {"task": task.number, "status": request.POST.get(f"status-{task.number}", ""),
             "progress": request.POST.get(f"progress-{task.number}", "")}
            for task in tasks if request.POST.get(f"progress-{task.number}", "").strip()
        ]
        try:
            report = reports.save_report(actor=request.user, kind=kind, period=period, entries=entries,
                                         submit="submit" in request.POST)
        except DomainError as error:
            messages.error(request, error.text())
            current = {}
            for task in tasks:
                current[task.pk] = ReportEntry(task=task, status=request.POST.get(f"status-{task.number}", ""),
                                               progress=request.POST.get(f"progress-{task.number}", ""))
        else:
            messages.success(request, report.get_status_display())
            return redirect(reverse("planning:reports") + f"?period={period}")
    rows = [(task, current.get(task.pk)) for task in tasks]
    return render(request, "planning/report_edit.html", {
        "report": report, "rows": rows, "kind": kind, "period": period, "statuses": ReportEntry.Progress.choices,
        "editable": report is None or report.status in (ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED),
    })


@require_POST
@login_required
def report_review(request, report_id):
    accept = request.POST.get("decision") == "accept"
    try:
        report = reports.review_report(actor=request.user, report_id=report_id, accept=accept,
                                       comment=request.POST.get("comment", ""))
    except NotFound:
        raise Http404
    except DomainError as error:
        messages.error(request, error.text())
        return redirect("planning:reports")
    return redirect(reverse("planning:reports") + f"?period={reports.format_period(report.period)}")


@require_POST
@login_required
def late_unit_warn(request):
    try:
        reports.warn_late_unit(actor=request.user, agency_code=request.POST.get("agency", ""),
                               period=request.POST.get("period", ""), note=request.POST.get("note", ""))
    except DomainError as error:
        messages.error(request, error.text())
    return redirect(reverse("planning:reports") + f"?period={request.POST.get('period', '')}")
