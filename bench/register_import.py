"""The register's workbook import, timed as the import page runs it: the
upload accepted (``register.services.start_import``), then the job run
(``run_import``: the workbook read, every row checked, everything written in
one transaction), in this process as ``register.tasks.queue_import`` runs it
without a worker. Into the bench's database, which already holds the seeded
register.

The workbook holds what ``tests/test_register_import.py`` imports: each
enterprise with every column of its row, two products and a licence, all
valid; written as the register's export writes (openpyxl's write-only mode,
which reads back within about 10% of a workbook saved whole). The same
workbook is imported a second time: the import upserts by credit code (and
the parts by their natural keys), so the second pass updates every row and
creates none. Beside the wall-clock seconds, the CPU seconds of this process
(the read, the checks and the ORM's side of the writes; not PostgreSQL's),
which depend less on the load of a shared machine."""
import io
import time
from contextlib import ExitStack
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cases.validators import USCC_ALPHABET, uscc_check_char
from org.models import Agency, User
from register import services, workbook
from register.models import ImportJob

PREFIX = "91120104MC"  # apart from the seeded register (…BN…) and the tests' factories (…MA…)


def uscc(serial: int) -> str:
    body = "".join(ch if ch in USCC_ALPHABET else "0" for ch in f"{PREFIX}{serial:07d}"[:17])
    return body + uscc_check_char(body)


def build(count: int, *, first: int = 0) -> bytes:
    """A workbook of ``count`` valid enterprises numbered from ``first``, two products and a licence each."""
    streets = list(Agency.objects.streets().values_list("name", flat=True))
    book = Workbook(write_only=True)
    sheets = {}
    for name, columns in workbook.COLUMNS.items():
        sheets[name] = book.create_sheet(name)
        sheets[name].append([header for _key, header in columns])
    for serial in range(first, first + count):
        code = uscc(serial)
        sheets[workbook.ENTERPRISES].append([
            code, f"导入基准企业{serial}", f"南开区导入路{serial}号", streets[serial % len(streets)], "储存、经营",
            "红橙黄蓝"[serial % 4], "王某", "李某", "02223456789", 39.10 + (serial % 6000) / 100000, 117.15])
        sheets[workbook.PRODUCTS].append([code, "液氨", "7664-41-7", "1005", "2.3", 20, "有毒", "防护", "处置",
                                          "022-27000000"])
        sheets[workbook.PRODUCTS].append([code, "甲醇", "67-56-1", "1230", "3", 5, "", "", "", ""])
        sheets[workbook.LICENCES].append([code, "危险化学品经营许可证", f"津危化经{serial:08d}", "2024-01-01",
                                          "2029-06-30"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _clocked(phases: dict, name: str, function):
    """``function``, adding the seconds each call takes to ``phases[name]``."""
    def call(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - started

    return call


def _import(actor: User, content: bytes) -> dict:
    phases: dict = {}
    with ExitStack() as stack:  # where the time goes: reading, checking, writing (the rest is the job's own rows)
        stack.enter_context(mock.patch.object(workbook, "read", _clocked(phases, "read_s", workbook.read)))
        for name, phase in (("check_rows", "check_s"), ("write_entries", "write_s")):
            stack.enter_context(mock.patch.object(services, name, _clocked(phases, phase, getattr(services, name))))
        started, cpu = time.perf_counter(), time.process_time()
        job = services.start_import(actor=actor, upload=SimpleUploadedFile("register.xlsx", content))
        job = services.run_import(job.pk)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    rows, enterprises = job.total, job.created + job.updated
    return {"seconds": round(seconds, 3), "cpu_s": round(cpu, 3), "rows": rows, "rows_per_s": round(rows / seconds, 1),
            "enterprises_per_s": round(enterprises / seconds, 1),
            "status": job.status, "created": job.created, "updated": job.updated,
            "rejected": len(job.rejected), **{key: round(value, 3) for key, value in phases.items()}}


def import_twice(actor: User, *, count: int, first: int) -> dict:
    """Import a workbook of ``count`` new enterprises (``first`` apart from
    earlier rounds), then the same workbook again; the seconds and rows a
    second of each, with the phases."""
    content = build(count, first=first)
    first_pass = _import(actor, content)
    second_pass = _import(actor, content)
    for figures in (first_pass, second_pass):
        if figures["status"] != ImportJob.Status.DONE:
            raise RuntimeError(f"the bench's workbook was not imported: {figures}")
    return {"enterprises": count, "workbook_bytes": len(content), "first": first_pass, "again": second_pass}
