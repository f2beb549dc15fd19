"""Seed a realistic mix of cases fast: COPY on PostgreSQL, executemany on SQLite.

Per case: the case, its process, about five task rows (the start event and the
human steps done so far, the current one open), and its access rows. States
are spread over the lifecycle, kinds, grades, agencies and streets mixed,
registration times over three years. 10% of the open tasks are held by an
officer. About 1% of the cases (1.8% of the open tasks) have a task due for an
escalation rung at the time of seeding: 80% of them a reminder, 18% a leader
notice (the reminder fired before), 2% listing for supervision (both fired).
"""
import csv
import datetime as dt
import io
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import DatabaseError, connection
from django.utils import timezone
from viewflow.workflow.fields import get_flow_ref
from viewflow.workflow.models import Process, Task

from cases import enterprise_access
from cases.models import Case, CaseAccess, CaseNumberSequence
from flows.models import CaseProcess, CaseTask, mirror_of
from flows.registry import kinds
from org.models import Agency, User

INDEXES_ASIDE_FROM = 100_000  # cases seeded at once
DUE_SHARE = 0.018  # of the open tasks: about 1% of the cases
# the mix of kinds: the hazards most, the other kinds sharing the rest
HAZARD_SHARE = 0.7
STATES = [("discovered", 0.15), ("consulting", 0.10), ("rectifying", 0.15), ("reviewing", 0.05), ("closed", 0.45),
          ("dismissed", 0.10)]


def steps_of(main_path: tuple[str, ...], state: str) -> tuple[list[str], list[str]]:
    """(steps done, steps open) of a case of a kind whose main path is
    ``main_path`` (``Kind.main_path``) that has reached ``state``: the joint
    step (会商, joint inspection) open twice in parallel while consulting. A
    kind with no such step (a penalty has no rectification) has the step as
    far along its path instead, so every open case has its open task."""
    def at(step, share):
        if step in main_path:
            index = main_path.index(step)
        else:
            index = max(1, min(len(main_path) - 1, round(len(main_path) * share)))
        return list(main_path[:index]), [main_path[index]] if len(main_path) > 1 else []

    if state == "discovered":
        return [], list(main_path[:1])
    if state == "consulting":
        return list(main_path[:1]), [main_path[1]] * 2 if len(main_path) > 1 else []
    if state == "rectifying":
        return at("rectify", 0.6)
    if state == "reviewing":
        return at("review", 0.8)
    if state == "closed":
        return list(main_path), []
    return list(main_path[:1]), []  # dismissed


@dataclass
class Seeded:
    cases: int = 0
    tasks: int = 0
    pool_task_ids: list[int] = field(default_factory=list)


def _weighted(rng, choices):
    point, total = rng.random(), 0.0
    for value, weight in choices:
        total += weight
        if point <= total:
            return value
    return choices[-1][0]


class Seeder:
    def __init__(self, *, seed: int = 20261128):
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.agencies = {a.code: a.pk for a in Agency.objects.all()}
        self.streets = [a.pk for a in Agency.objects.filter(kind=Agency.Kind.STREET)]
        self.officers = {}
        for user in User.objects.filter(role=User.Role.OFFICER, agency__isnull=False).select_related("agency"):
            self.officers.setdefault(user.agency.code, []).append(user.pk)
        self.numbers = {}
        self.kinds = {code: (get_flow_ref(kind.flow), kind.number_code, kind.lead_agency, kind.main_path)
                      for code, kind in kinds().items()}
        others = [code for code in self.kinds if code != "hazard"]
        self.mix = [("hazard", HAZARD_SHARE), *((code, (1 - HAZARD_SHARE) / len(others)) for code in others)]

    def seed_enterprises(self, count: int) -> int:
        """``count`` enterprises of the register (a product or two and a licence
        each), spread over the streets and risk colours; the cases seeded after
        name one of them nine times in ten."""
        from cases.models import Enterprise
        from cases.validators import USCC_ALPHABET, uscc_check_char
        from register.codes import product_code
        from register.models import Licence, Product

        rng, today = self.rng, timezone.localdate()
        colours = [("red", 0.05), ("orange", 0.15), ("yellow", 0.3), ("blue", 0.5)]
        activities = [["storage", "operation"], ["use"], ["production", "storage"], ["operation"], ["transport"]]
        for start in range(0, count, 5000):
            rows = []
            for serial in range(start, min(count, start + 5000)):
                body = "".join(ch if ch in USCC_ALPHABET else "0" for ch in f"91120104BN{serial:07d}"[:17])
                rows.append(Enterprise(
                    uscc=body + uscc_check_char(body), name=f"南开基准企业{serial}", address=f"南开区基准路{serial}号",
                    street_id=rng.choice(self.streets), activities=rng.choice(activities),
                    risk=_weighted(rng, colours), latitude=39.10 + rng.random() * 0.06,
                    longitude=117.12 + rng.random() * 0.07))
            created = Enterprise.objects.bulk_create(rows)
            products, licences = [], []
            for enterprise in created:
                for name, cas in (("液氨", "7664-41-7"), ("甲醇", "67-56-1"))[:rng.randint(1, 2)]:
                    products.append(Product(enterprise=enterprise, name=name, cas=cas,
                                            code=product_code(uscc=enterprise.uscc, name=name)))
                licences.append(Licence(enterprise=enterprise, type="危险化学品经营许可证", number=enterprise.uscc,
                                        valid_to=today + dt.timedelta(days=rng.randint(-60, 3 * 365))))
            Product.objects.bulk_create(products)
            Licence.objects.bulk_create(licences)
        self.enterprise_ids = list(Enterprise.objects.values_list("pk", flat=True))
        return count

    def _refresh_ids(self):
        """Start after the rows written since (the services add tasks, processes and access rows,
        and the scan supervision processes: ids come from the viewflow tables, not ours)."""
        tables = {Case: Case, CaseProcess: Process, CaseTask: Task, CaseAccess: CaseAccess}
        self.ids = {model: (table.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
                    for model, table in tables.items()}

    def _next(self, model):
        self.ids[model] += 1
        return self.ids[model]

    def seed(self, count: int, *, pool: int = 0, progress=None) -> Seeded:
        """``count`` cases of the mix, then ``pool`` fresh hazards with an open verify task."""
        self._refresh_ids()
        result = Seeded()
        batch = {"case": [], "process": [], "caseprocess": [], "task": [], "casetask": [], "access": []}
        total = count + pool
        with self._indexes_set_aside(total >= INDEXES_ASIDE_FROM), self._enterprise_access_after():
            for index in range(total):
                is_pool = index >= count
                self._case(batch, result, pool=is_pool)
                if len(batch["case"]) >= 20000 or index == total - 1:
                    self._flush(batch)
                    if progress:
                        progress(index + 1, total)
        self._fix_sequences()
        result.cases = total
        return result

    # --- one case ------------------------------------------------------------------
    def _case(self, batch, result, *, pool: bool):
        rng = self.rng
        kind = "hazard" if pool else _weighted(rng, self.mix)
        state = "discovered" if pool else _weighted(rng, STATES)
        flow_class, code, lead, main_path = self.kinds[kind]
        done_steps, open_steps = steps_of(main_path, state)
        grade = "" if kind != "hazard" or state == "discovered" else ("major" if rng.random() < 0.1 else "general")
        created = self.now - dt.timedelta(minutes=1) if pool else self.now - dt.timedelta(seconds=rng.randint(600, 3 * 365 * 86400))
        case_id, street = self._next(Case), rng.choice(self.streets)
        year = timezone.localtime(created).year
        if (kind, year) not in self.numbers:
            self.numbers[(kind, year)] = self._sequence(kind, year)
        self.numbers[(kind, year)] += 1
        number = f"NK-{code}-{year}-{self.numbers[(kind, year)]:06d}"
        closed_at = created + dt.timedelta(days=rng.randint(5, 90)) if state in ("closed", "dismissed") else None
        if closed_at and closed_at > self.now:
            closed_at = self.now
        due = created + dt.timedelta(days=rng.randint(3, 40)) if open_steps else None
        process_id = self._next(CaseProcess)
        batch["case"].append([case_id, number, kind, grade, "bench-pool" if pool else f"隐患 {case_id}", "", "南开区", "bench",
                              state, "{}", "[]", "{}", due, 0, False, "", 0, created, created, closed_at, None,
                              self.agencies[lead], street, self._enterprise()])
        batch["process"].append([process_id, "DONE" if not open_steps else "NEW", created, closed_at, flow_class, None,
                                 None, None, "{}", None, None])
        batch["caseprocess"].append([process_id, case_id])
        for agency in {self.agencies[lead], street} | ({self.agencies["police"]} if state == "consulting" else set()):
            batch["access"].append([self._next(CaseAccess), agency, case_id])
        self._task(batch, process_id, case_id, f"{flow_class}.start", "START", "DONE", created, None, None)
        moment = created
        for step in done_steps:
            moment = moment + dt.timedelta(hours=rng.randint(1, 72))
            self._task(batch, process_id, case_id, f"{flow_class}.{step}", "HUMAN", "DONE", moment, lead, None)
        for position, step in enumerate(open_steps):
            agency = lead if position == 0 else "police"
            task_id = self._task(batch, process_id, case_id, f"{flow_class}.{step}", "HUMAN", "NEW", created, agency, due,
                                 pool=pool)
            result.tasks += 1
            if pool:
                result.pool_task_ids.append(task_id)

    def _enterprise(self):
        ids = getattr(self, "enterprise_ids", None)
        return self.rng.choice(ids) if ids and self.rng.random() < 0.9 else None

    def _due_ladder(self):
        """(remind, due, supervise, rungs already fired) of a task due for its next rung now."""
        hour, roll = dt.timedelta(hours=1), self.rng.random()
        if roll < 0.02:
            return self.now - 72 * hour, self.now - 24 * hour, self.now - hour, 2
        if roll < 0.20:
            return self.now - 48 * hour, self.now - hour, self.now + 72 * hour, 1
        return self.now - hour, self.now + 48 * hour, self.now + 120 * hour, 0

    def _task(self, batch, process_id, case_id, flow_task, kind, status, created, agency, due, pool=False):
        task_id = self._next(CaseTask)
        owner, assigned, remind, supervise, next_rung, level = None, None, None, None, None, 0
        if status == "NEW" and kind == "HUMAN":
            if not pool and self.rng.random() < 0.1 and self.officers.get(agency):
                owner, assigned, status = self.rng.choice(self.officers[agency]), created, "ASSIGNED"
            if not pool and self.rng.random() < DUE_SHARE:  # due for a rung now
                remind, due, supervise, level = self._due_ladder()
            else:
                remind, supervise = self.now + dt.timedelta(days=10), self.now + dt.timedelta(days=20)
                due = self.now + dt.timedelta(days=15)
            next_rung = [remind, due, supervise][level]
        finished = created if status == "DONE" else None
        permission = f"agency:{agency}" if agency else None
        batch["task"].append([task_id, flow_task, kind, status, created, created if finished else None, finished, "start",
                              None, permission, owner, process_id, None, None, assigned, None, None, "{}", None, None, None])
        batch["casetask"].append([task_id, due, self.agencies.get(agency), case_id, level, next_rung, "", None, remind,
                                  supervise, False, *mirror_of(status=status, flow_task_type=kind,
                                                               owner_permission=permission, owner_id=owner)])
        return task_id

    # --- writing -----------------------------------------------------------------------
    TABLES = [
        ("case", "cases_case"), ("process", "viewflow_process"), ("caseprocess", "flows_caseprocess"),
        ("task", "viewflow_task"), ("casetask", "flows_casetask"), ("access", "cases_caseaccess"),
    ]

    def _flush(self, batch):
        with connection.cursor() as cursor:
            for key, table in self.TABLES:
                rows = batch[key]
                if not rows:
                    continue
                columns = COLUMNS[table]
                if connection.vendor == "postgresql":
                    buffer = io.StringIO()
                    writer = csv.writer(buffer)
                    for row in rows:
                        writer.writerow(["\\N" if v is None else (v.isoformat() if isinstance(v, dt.datetime) else v) for v in row])
                    buffer.seek(0)
                    cursor.cursor.copy_expert(
                        f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
                    )
                else:
                    marks = ", ".join(["%s"] * len(columns))
                    adapt = connection.ops.adapt_datetimefield_value
                    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                       [[adapt(v) if isinstance(v, dt.datetime) else v for v in row] for row in rows])
                rows.clear()

    @contextmanager
    def _indexes_set_aside(self, wanted: bool):
        """Drop the secondary indexes of the seeded tables (not the keys and
        unique constraints) while COPY runs and build them again after: one
        sorted build of each index is faster than millions of insertions."""
        if not wanted or connection.vendor != "postgresql":
            yield
            return
        tables = [table for _key, table in self.TABLES]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", [tables])
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for _name, definition in indexes:
                    cursor.execute(definition)

    @contextmanager
    def _enterprise_access_after(self):
        """COPY fires the trigger that mirrors access by enterprise (``cases.enterprise_access``) once per
        access row, millions at a million cases: it is disabled while the rows are copied and the pairs of
        the new rows are written after, in one statement."""
        if connection.vendor != "postgresql":
            yield
            return
        first = self.ids[CaseAccess]
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE cases_caseaccess DISABLE TRIGGER cases_enterprise_access_grant")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE cases_caseaccess ENABLE TRIGGER cases_enterprise_access_grant")
                cursor.execute(f"{enterprise_access.FILL} AND a.id > %s ON CONFLICT DO NOTHING", [first])

    def _sequence(self, kind, year):
        row = CaseNumberSequence.objects.filter(kind=kind, year=year).first()
        return row.last if row else 0

    def _fix_sequences(self):
        for (kind, year), last in self.numbers.items():
            CaseNumberSequence.objects.update_or_create(kind=kind, year=year, defaults={"last": last})
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in ("cases_case", "viewflow_process", "viewflow_task", "cases_caseaccess"):
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")

    def settle(self):
        """What a database in service has and a fresh load lacks: statistics and
        the visibility map (VACUUM ANALYZE), so that measurements neither run
        beside autovacuum's first pass over millions of new rows nor read heap
        pages that an index-only scan would skip; nor measure while the server
        still writes out the load's dirty pages (CHECKPOINT: a database in
        service has no backlog of gigabytes loaded a minute ago)."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # and the register's tables, written by the ORM and by the fill of the access mirror
                for table in [table for _key, table in self.TABLES] + ["cases_enterprise", "cases_enterpriseaccess"]:
                    cursor.execute(f"VACUUM (ANALYZE) {table}")
                try:
                    cursor.execute("CHECKPOINT")
                except DatabaseError:  # a role without pg_checkpoint: measured beside the write-out, then
                    pass
            else:
                cursor.execute("ANALYZE")


COLUMNS = {
    "cases_case": ["id", "number", "kind", "grade", "title", "description", "address", "source", "state", "details",
                   "criteria", "rectification_order", "due_at", "supervision_level", "listed", "history_head", "history_length",
                   "created_at", "updated_at", "closed_at", "created_by_id", "lead_agency_id", "street_id",
                   "enterprise_id"],
    "viewflow_process": ["id", "status", "created", "finished", "flow_class", "artifact_content_type_id",
                         "artifact_object_id", "parent_task_id", "data", "seed_content_type_id", "seed_object_id"],
    "flows_caseprocess": ["process_ptr_id", "case_id"],
    "viewflow_task": ["id", "flow_task", "flow_task_type", "status", "created", "started", "finished", "token",
                      "external_task_id", "owner_permission", "owner_id", "process_id",
                      "owner_permission_content_type_id", "owner_permission_obj_pk", "assigned",
                      "artifact_content_type_id", "artifact_object_id", "data", "seed_content_type_id",
                      "seed_object_id", "scheduled"],
    "flows_casetask": ["task_ptr_id", "due_at", "agency_id", "case_id", "escalation_level", "next_escalation_at",
                       "pause_reason", "paused_at", "remind_at", "supervise_at", "due_provisional", "queue", "holder_id"],
    "cases_caseaccess": ["id", "agency_id", "case_id"],
}
