"""The measurements of ``manage.py bench``: each through the same code the
API and the pages use."""
import multiprocessing
import statistics
import time
from unittest import mock

from django.db import connection, connections
from django.utils import timezone
from rest_framework.test import APIRequestFactory, force_authenticate

from desk.api.cases import CasesApi
from desk.api.tasks import TaskListApi
from org.backends import routing_permissions
from org.models import User
from planning.stats import period_stats
from planning.workbook import monthly_workbook
from supervision.escalation import scan


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(call, repeat: int) -> dict:
    call()  # warm caches and plans
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": round(statistics.median(samples), 3), "p95_ms": round(percentile(samples, 0.95), 3)}


# --- task completions with K processes ------------------------------------------------
def _complete_slice(user_id: int, task_ids: list[int], seconds: float) -> int:
    from flows import services

    connections.close_all()
    user = User.objects.get(pk=user_id)
    done, deadline = 0, time.monotonic() + seconds
    for task_id in task_ids:
        if time.monotonic() > deadline:
            break
        services.complete_task(user=user, task_id=task_id, action="confirm", data={"grade": "general"})
        done += 1
    connections.close_all()
    return done


def completions_per_second(task_ids: list[int], *, workers: int, seconds: float) -> dict:
    """Full steps (lock, FSM transition, history, next task, due dates, case) per second."""
    officers = list(User.objects.filter(agency__code="emergency", role=User.Role.OFFICER).values_list("pk", flat=True))
    slices = [task_ids[i::workers] for i in range(workers)]
    connections.close_all()
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        counts = pool.starmap(_complete_slice, [(officers[i % len(officers)], slices[i], seconds) for i in range(workers)])
    elapsed = time.perf_counter() - started
    return {"completions": sum(counts), "seconds": round(elapsed, 2), "per_s": round(sum(counts) / elapsed, 1),
            "workers": workers}


# --- documents of record --------------------------------------------------------------------
def document_costs(task_ids: list[int], *, repeat: int) -> dict:
    """What issuing a document adds to a completion (the p50 of single
    completions that issue the verification's inspection record, against the
    same completions with issuing switched off), and drawing one PDF."""
    from enforcement.models import Document
    from enforcement.rendering import render
    from flows import services

    user = User.objects.filter(agency__code="emergency", role=User.Role.OFFICER).first()

    def complete(task_id) -> float:
        started = time.perf_counter()
        services.complete_task(user=user, task_id=task_id, action="confirm", data={"grade": "general"})
        return (time.perf_counter() - started) * 1000

    # alternately with and without the document, so that whatever drifts in the run (the
    # machine, the caches, the tables growing) weighs on both halves alike
    issuing, plain = [], []
    for index, task_id in enumerate(task_ids):
        if index % 2:
            with mock.patch("enforcement.documents.issue"):
                plain.append(complete(task_id))
        else:
            issuing.append(complete(task_id))
    drawing = []
    for document_id in Document.objects.filter(rendered_at__isnull=True).values_list("pk", flat=True)[:repeat]:
        started = time.perf_counter()
        render(document_id)
        drawing.append((time.perf_counter() - started) * 1000)
    return {
        "completion_p50_ms": round(statistics.median(issuing), 2),
        "completion_without_documents_p50_ms": round(statistics.median(plain), 2),
        "issue_cost_p50_ms": round(statistics.median(issuing) - statistics.median(plain), 2),
        "render_p50_ms": round(statistics.median(drawing), 1) if drawing else None,
        "render_p95_ms": round(percentile(drawing, 0.95), 1) if drawing else None,
        "samples": {"completions": len(issuing) + len(plain), "renders": len(drawing)},
    }


# --- inbox, queue and the case list ------------------------------------------------------
# The same pages as plain SQL, from the box mirrored on flows_casetask (flows.models): the
# queue one ordered, limited index scan per routing permission, merged (UNION ALL).
SQL_COLUMNS = """
SELECT t.id, t.flow_task, t.status, t.created, t.owner_id, ct.due_at, ct.case_id, c.number, a.code
FROM flows_casetask ct JOIN viewflow_task t ON t.id = ct.task_ptr_id JOIN cases_case c ON c.id = ct.case_id
LEFT JOIN org_agency a ON a.id = ct.agency_id
"""
SQL_QUEUE_LEG = f"({SQL_COLUMNS} WHERE ct.queue = %s ORDER BY ct.due_at, ct.task_ptr_id LIMIT 50)"
SQL_INBOX = f"{SQL_COLUMNS} WHERE ct.holder_id = %s ORDER BY ct.due_at, ct.task_ptr_id LIMIT 50"


def sql_queue(permissions: int) -> str:
    """Each leg a subquery in FROM: SQLite refuses a parenthesized leg of a compound SELECT."""
    if permissions == 1:
        return SQL_QUEUE_LEG[1:-1]
    legs = [f"SELECT * FROM {SQL_QUEUE_LEG} AS leg{n}" for n in range(permissions)]
    return " UNION ALL ".join(legs) + " ORDER BY due_at, id LIMIT 50"


def _api(view, user, params):
    factory = APIRequestFactory()

    def call():
        request = factory.get("/", params)
        force_authenticate(request, user=user)
        response = view(request)
        response.render()
        assert response.status_code == 200, response.status_code

    return call


def _sql(sql, params):
    def call():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return call


def task_lists(personas: dict[str, User], *, repeat: int) -> dict:
    view = TaskListApi.as_view()
    results = {}
    for name, user in personas.items():
        perms = sorted(routing_permissions(user)) or ["-"]
        results[name] = {
            "inbox": timed(_api(view, user, {"box": "inbox", "page_size": 50}), repeat),
            "queue": timed(_api(view, user, {"box": "queue", "page_size": 50}), repeat),
            "inbox_sql": timed(_sql(SQL_INBOX, [user.pk]), repeat),
            "queue_sql": timed(_sql(sql_queue(len(perms)), perms), repeat),
        }
    return results


def case_list(user: User, *, repeat: int) -> dict:
    view = CasesApi.as_view()
    filters = {"kind": "hazard", "state": "rectifying", "street": "street_changhong", "overdue": "true", "page_size": 50}
    return {"filtered": timed(_api(view, user, filters), repeat), "unfiltered": timed(_api(view, user, {}), repeat)}


# The enterprise page is measured over the busiest enterprises (its target, and their growth) and,
# beside them, over enterprises with this many cases at both sizes: at N/100 cases no enterprise has
# more than a handful, so the busiest pages of the two sizes are not the same page (every list full,
# at most register.selectors.SHOWN rows each, only at N), and the two growths say how much of it
# is the page's fill and how much the data's volume (docs/performance.md).
SAME_SIZE_CASES = 2


def register_pages(users: dict[str, User], *, repeat: int) -> dict:
    """The enterprise's page (一企一档) through its view, over the enterprises
    with the most cases the persona may see and over enterprises with
    ``SAME_SIZE_CASES`` of them, and the register's list through the API,
    unfiltered and with filters, for each persona."""
    from django.db.models import Count
    from django.test import RequestFactory

    from cases.models import Case
    from register.api import EnterprisesApi
    from register.selectors import visible_enterprises
    from register.views import enterprise_detail

    factory = RequestFactory()
    results = {}
    for name, user in users.items():
        visible = visible_enterprises(user).values("pk")
        counted = Case.objects.filter(enterprise_id__in=visible).values("enterprise__uscc").annotate(n=Count("id"))
        busiest = list(counted.order_by("-n", "enterprise__uscc").values_list("enterprise__uscc", flat=True)[:repeat + 1])
        if not busiest:
            continue
        same_size = list(counted.filter(n=SAME_SIZE_CASES).order_by("enterprise__uscc")
                         .values_list("enterprise__uscc", flat=True)[:repeat + 1]) or busiest

        def pages(user, usccs):
            cycle = iter(usccs * (repeat // len(usccs) + 2))

            def page():
                request = factory.get("/")
                request.user = user
                response = enterprise_detail(request, uscc=next(cycle))
                assert response.status_code == 200, response.status_code

            return page

        filters = {"street": "street_changhong", "risk": "red", "open_hazards": "true", "page_size": 50}
        results[name] = {"page": timed(pages(user, busiest), repeat),
                         "page_same_size": timed(pages(user, same_size), repeat),
                         "list_filtered": timed(_api(EnterprisesApi.as_view(), user, filters), repeat),
                         "list": timed(_api(EnterprisesApi.as_view(), user, {"page_size": 50}), repeat)}
    return results


def escalation_scan_seconds(*, workers: int) -> dict:
    """One scan as beat runs it. Delivering the notifications it writes to the
    outbox is the Celery workers' job, after the scan's commits, so it is not
    timed here (with eager Celery it would run inline)."""
    started = time.perf_counter()
    with mock.patch("org.outbox.schedule_delivery"):
        report = scan(now=timezone.now(), workers=workers)
    return {"seconds": round(time.perf_counter() - started, 3), "tasks_due": report.tasks_seen,
            "rungs_fired": len(report.fired), "workers": workers,
            "by_level": {level: sum(1 for f in report.fired if f.level == level) for level in (1, 2, 3)}}


def stats_and_workbook(period) -> dict:
    started = time.perf_counter()
    stats = period_stats(period)
    stats_s = time.perf_counter() - started
    started = time.perf_counter()
    size = len(monthly_workbook(period))
    return {"stats_s": round(stats_s, 3), "workbook_s": round(time.perf_counter() - started, 3),
            "opened_in_month": stats["totals"]["opened"], "workbook_bytes": size}
