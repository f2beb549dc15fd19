"""Benchmark the engine on a database of its own.

    python manage.py bench [--cases N] [--workers K] [--json FILE] [--keep]
                           [--import-rows N] [--pgbench SECONDS] [--pgbench-scale S]

Creates a fresh database beside the configured one (PostgreSQL: <name>_bench;
SQLite: a temporary file), seeds N/100 cases and measures, seeds up to N and
measures again, runs pgbench on a database of its own (PostgreSQL only),
prints the figures, their growth and the issue's targets (bench/targets.py),
writes them as JSON, and drops the databases (unless --keep). Speed is
measured here, never in a test.
"""
import datetime as dt
import gc
import json
import os
import platform
import secrets
import sys
import tempfile
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils import timezone

from bench import pgbench, targets
from cases.dbroles import as_owner

KEYS = ["completions_per_s", "inbox_p50_ms", "inbox_p95_ms", "queue_p50_ms", "queue_p95_ms", "inbox_sql_p95_ms",
        "queue_sql_p95_ms", "case_list_p95_ms", "escalation_scan_s", "stats_s", "workbook_s",
        "document_issue_cost_p50_ms", "document_render_p50_ms", "document_render_p95_ms",
        "enterprise_page_p50_ms", "enterprise_page_p95_ms", "enterprise_page_same_size_p95_ms",
        "enterprise_list_p50_ms", "enterprise_list_p95_ms",
        "import_s", "import_rows_per_s", "reimport_s",
        *(f"page_{page}_{field}_ms" for page in ("inbox", "queue", "task", "case") for field in ("p50", "p95"))]
DOCUMENT_SAMPLES = 100  # pool tasks kept aside for the documents' figures


class Command(BaseCommand):
    help = ("Seed a realistic database and measure completions, inbox and queue, the pages, case list, scan, "
            "stats and workbook, documents, the register and its import; pgbench beside them; the issue's targets.")

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--json", dest="json_file")
        parser.add_argument("--seconds", type=float, default=10.0, help="length of the completion run")
        parser.add_argument("--repeat", type=int, default=50, help="samples per latency figure")
        parser.add_argument("--keep", action="store_true", help="keep the bench database")
        parser.add_argument("--scaling", default="1,2,4", metavar="K,K,...",
                            help="worker counts whose completions per second are measured too (each its own run)")
        parser.add_argument("--import-rows", type=int, default=5000, metavar="N",
                            help="enterprises in the register workbook imported (twice) in each round; 0 skips")
        parser.add_argument("--pgbench", type=float, default=10.0, metavar="SECONDS",
                            help="length of each pgbench run (PostgreSQL only; 0 skips)")
        parser.add_argument("--pgbench-scale", type=int, default=10, metavar="S", help="pgbench -i -s S")

    def handle(self, *args, cases, workers, json_file, seconds, repeat, keep, scaling, import_rows, pgbench,
               pgbench_scale, **options):
        if cases < 100 or workers < 1:
            raise CommandError("--cases must be at least 100 and --workers at least 1")
        if import_rows < 0 or pgbench < 0 or pgbench_scale < 1:
            raise CommandError("--import-rows and --pgbench take 0 (skip) or more, --pgbench-scale 1 or more")
        self.import_rows, self.pgbench = import_rows, {"seconds": pgbench, "scale": pgbench_scale}
        try:
            counts = sorted({int(count) for count in scaling.split(",") if count.strip()})
        except ValueError:
            raise CommandError("--scaling takes worker counts such as 1,2,4") from None
        if any(count < 1 or count > 32 for count in counts):
            raise CommandError("--scaling takes worker counts from 1 to 32")
        self.scaling = [count for count in counts if count != workers]
        # The bench creates, seeds (COPY, indexes dropped and rebuilt) and drops
        # a database of its own: the owner role's work (DATABASE_OWNER_URL), not the runtime role's.
        with as_owner():
            self._bench(cases=cases, workers=workers, json_file=json_file, seconds=seconds, repeat=repeat, keep=keep)

    def _bench(self, *, cases, workers, json_file, seconds, repeat, keep):
        # Measure the production configuration: with DEBUG on, Django keeps
        # every query's SQL in memory, which costs a completion about 10%.
        settings.DEBUG = False
        original = dict(settings.DATABASES["default"])
        name = self._use_bench_database()
        try:
            call_command("migrate", verbosity=0)
            from org.services import seed_demo_users

            seed_demo_users(password=secrets.token_urlsafe(16))
            from bench.seed import Seeder

            seeder = Seeder()
            started = time.perf_counter()
            seeder.seed_enterprises(max(50, cases // 20))  # 50,000 enterprises at a million cases
            enterprises_s = round(time.perf_counter() - started, 1)
            pool = (workers + sum(self.scaling)) * max(200, int(seconds * 300)) + DOCUMENT_SAMPLES
            small = self._round(seeder, cases // 100, pool, workers, seconds, repeat, label=f"{cases // 100} cases",
                                first_import=0)
            large = self._round(seeder, cases - cases // 100, pool, workers, seconds, repeat, label=f"{cases} cases",
                                first_import=self.import_rows)
            report = {
                "cases": cases, "enterprises": len(seeder.enterprise_ids), "enterprises_seed_s": enterprises_s, **large,
                "growth": {key: _ratio(large.get(key), small.get(key)) for key in KEYS},
                "pgbench": self._pgbench(name, clients=workers),
                "small": small,
                "machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                            "cpus": os.cpu_count(), "database": connection.vendor, "workers": workers,
                            "server": _server_version()},
                "at": timezone.now().isoformat(),
            }
            report = {"summary": targets.summary(report), **report}
        finally:
            self._drop_bench_database(name, original, keep)
        self.stdout.write(json.dumps({k: report[k] for k in ["cases", "seed_s", "settle_s", "completions_by_workers", *KEYS, "growth", "pgbench"]}, indent=1))
        self.stdout.write("\n".join(targets.lines(report["summary"])))
        if json_file:
            with open(json_file, "w") as handle:
                json.dump(report, handle, indent=1, default=str)

    # --- one round: seed, then measure ------------------------------------------------------
    def _round(self, seeder, count, pool, workers, seconds, repeat, *, label, first_import):
        from bench import measure, pages
        from org.models import User

        started = time.perf_counter()
        seeded = seeder.seed(count, pool=pool, progress=self._progress(label))
        seed_s = time.perf_counter() - started
        self.stdout.write("")
        started = time.perf_counter()
        seeder.settle()
        settle_s = time.perf_counter() - started
        # the seeder's own millions of objects are no part of a web worker:
        # keep them out of the garbage collector's passes while measuring
        gc.collect()
        gc.freeze()
        share = max(200, int(seconds * 300))
        pool_ids, scaled = seeded.pool_task_ids[:-DOCUMENT_SAMPLES], {}
        completions = measure.completions_per_second(pool_ids[:workers * share], workers=workers, seconds=seconds)
        scaled[workers] = completions["per_s"]
        start = workers * share
        for count in self.scaling:  # each worker count on fresh tasks of its own
            scaled[count] = measure.completions_per_second(pool_ids[start:start + count * share], workers=count,
                                                           seconds=seconds)["per_s"]
            start += count * share
        documents = measure.document_costs(seeded.pool_task_ids[-DOCUMENT_SAMPLES:], repeat=min(repeat, 20))
        personas = {
            "officer": User.objects.get(username="emergency_officer1"),
            "leader": User.objects.get(username="emergency_leader"),
            "supervisor": User.objects.get(username="safety_office_officer1"),
            "empty_queue": User.objects.get(username="science_officer1"),
        }
        lists = measure.task_lists(personas, repeat=repeat)
        html = pages.html_pages(personas, timed=measure.timed, repeat=repeat)
        cases = measure.case_list(personas["supervisor"], repeat=repeat)
        register = measure.register_pages({"officer": personas["officer"],
                                           "street": User.objects.get(username="street_changhong_officer1")},
                                          repeat=repeat)
        scan = measure.escalation_scan_seconds(workers=workers)
        month = (timezone.localdate().replace(day=1) - dt.timedelta(days=365)).replace(day=1)
        figures = measure.stats_and_workbook(month)
        imported = self._import(personas["officer"], first=first_import)  # last: it adds to the register
        worst = lambda key, field: max(lists[p][key][field] for p in lists)  # noqa: E731 - every persona's worst
        result = {
            "seed_s": round(seed_s, 1),
            "settle_s": round(settle_s, 1),
            "completions_per_s": completions["per_s"],
            "completions_by_workers": {str(count): scaled[count] for count in sorted(scaled)},
            "inbox_p50_ms": worst("inbox", "p50_ms"),
            "inbox_p95_ms": worst("inbox", "p95_ms"),
            "queue_p50_ms": worst("queue", "p50_ms"),
            "queue_p95_ms": worst("queue", "p95_ms"),
            "inbox_sql_p95_ms": worst("inbox_sql", "p95_ms"),
            "queue_sql_p95_ms": worst("queue_sql", "p95_ms"),
            "case_list_p95_ms": cases["filtered"]["p95_ms"],
            "escalation_scan_s": scan["seconds"],
            "stats_s": figures["stats_s"],
            "workbook_s": figures["workbook_s"],
            "document_issue_cost_p50_ms": documents["issue_cost_p50_ms"],
            "document_render_p50_ms": documents["render_p50_ms"],
            "document_render_p95_ms": documents["render_p95_ms"],
            **{f"enterprise_{name}_{field}_ms": max((r[part][f"{field}_ms"] for r in register.values()), default=None)
               for name, part in (("page", "page"), ("list", "list_filtered")) for field in ("p50", "p95")},
            "enterprise_page_same_size_p95_ms": max((r["page_same_size"]["p95_ms"] for r in register.values()),
                                                    default=None),
            **{f"page_{page}_{field}_ms": pages.worst(html, page, f"{field}_ms")
               for page in pages.PAGES for field in ("p50", "p95")},
            "import_s": imported["first"]["seconds"] if imported else None,
            "import_rows_per_s": imported["first"]["rows_per_s"] if imported else None,
            "reimport_s": imported["again"]["seconds"] if imported else None,
            "detail": {"completions": completions, "task_lists": lists, "pages": html, "case_list": cases,
                       "escalation": scan,
                       "stats_and_workbook": figures, "documents": documents, "register": register,
                       "register_import": imported},
        }
        self.stdout.write(f"{label}: {json.dumps({k: result[k] for k in ['seed_s', 'settle_s', 'completions_by_workers', *KEYS]})}")
        return result

    def _import(self, actor, *, first):
        """The register's import of ``--import-rows`` new enterprises, then the same workbook again."""
        if not self.import_rows:
            return None
        from bench.register_import import import_twice

        return import_twice(actor, count=self.import_rows, first=first)

    def _pgbench(self, name, *, clients):
        """pgbench on a database of its own beside the bench's; a failure is recorded, not raised
        (the run's other figures took long to get)."""
        if not self.pgbench["seconds"]:
            return {"skipped": "--pgbench 0"}
        try:
            result = pgbench.run(database=settings.DATABASES["default"], name=f"{name}_pgbench", clients=clients,
                                 admin_sql=self._admin_sql, **self.pgbench)
        except Exception as error:  # noqa: BLE001 - reported in the JSON and the output
            result = {"error": str(error)[:500]}
        if "skipped" in result:
            self.stdout.write(f"pgbench: skipped ({result['skipped']})")
        elif "error" in result:
            self.stdout.write(f"pgbench: failed ({result['error']})")
        else:
            self.stdout.write(f"pgbench: {result['tps']} tps, select-only {result['select_only_tps']} tps "
                              f"({result['clients']} clients, scale {result['scale']}, {result['seconds']} s each)")
        return result

    def _progress(self, label):
        def show(done, total):
            width = 30
            filled = int(width * done / total)
            self.stdout.write(f"\rseeding {label}: [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            self.stdout.flush()

        return show

    # --- the bench's own database ------------------------------------------------------------
    def _use_bench_database(self) -> str:
        db = settings.DATABASES["default"]
        if db["ENGINE"] == "django.db.backends.postgresql":
            name = f"{db['NAME']}_bench"
            self._admin_sql(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
        else:
            name = os.path.join(tempfile.mkdtemp(prefix="nankai-bench-"), "bench.sqlite3")
        connections.close_all()
        db["NAME"] = name
        connections["default"].settings_dict["NAME"] = name
        self.stdout.write(f"bench database: {name}")
        return name

    def _drop_bench_database(self, name, original, keep):
        connections.close_all()
        settings.DATABASES["default"]["NAME"] = original["NAME"]
        connections["default"].settings_dict["NAME"] = original["NAME"]
        if keep:
            self.stdout.write(f"kept {name}")
        elif original["ENGINE"] == "django.db.backends.postgresql":
            self._admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
        else:
            os.remove(name) if os.path.exists(name) else None

    def _admin_sql(self, *statements):
        import psycopg2

        db = settings.DATABASES["default"]
        admin = psycopg2.connect(dbname="postgres", user=db["USER"], password=db.get("PASSWORD") or None,
                                 host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432)
        admin.autocommit = True
        with admin.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        admin.close()


def _ratio(large, small):
    """large / small; None unless both were measured and are above zero (a
    cost found as a difference of medians can be zero or below in the noise)."""
    if large is None or small is None or large <= 0 or small <= 0:
        return None
    return round(large / small, 2)


def _server_version():
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        return cursor.fetchone()[0][:60]
