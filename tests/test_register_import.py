"""Importing the register from a workbook (docs/register.md): 5,000
enterprises with their products, every row checked first, the bad rows
reported with their reasons and nothing imported; fixed, all imported; again,
updated without duplicates. A broken or oversized file is refused in the
error format and changes nothing. The export imports again."""
import functools
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from cases.models import Enterprise
from register import workbook
from register.models import ImportJob, Licence, Product

from .boundary import is_error_format, snapshot
from .factories import make_uscc, officer, register_enterprise

pytestmark = pytest.mark.django_db
STREETS = ["长虹街道", "鼓楼街道", "向阳路街道"]


@functools.lru_cache(maxsize=4)
def build(n: int, *, bad: frozenset[int] = frozenset()) -> bytes:
    """A workbook of ``n`` enterprises, two products and a licence each; the
    enterprises numbered in ``bad`` have a wrong credit code, CAS number or UN number."""
    book = Workbook()
    book.remove(book.active)
    sheets = {name: book.create_sheet(name) for name in workbook.COLUMNS}
    for name, sheet in sheets.items():
        sheet.append([header for _key, header in workbook.COLUMNS[name]])
    for i in range(n):
        uscc = make_uscc(100_000 + i)
        kind = i % 3 if i in bad else None
        sheets["企业"].append([uscc[:-1] + ("0" if uscc[-1] != "0" else "1") if kind == 0 else uscc,
                             f"企业{i}", f"地址{i}", STREETS[i % 3], "储存、经营", "红橙黄蓝"[i % 4], "王某", "李某",
                             "02223456789", 39.1 + i / 100000, 117.15])
        if kind == 0:
            continue  # a wrong code on the enterprise's row only: one bad row
        sheets["产品"].append([uscc, "液氨", "7664-41-8" if kind == 1 else "7664-41-7", "1005", "2.3", 20,
                             "有毒", "防护", "处置", "022-27000000"])
        sheets["产品"].append([uscc, "甲醇", "67-56-1", "12345" if kind == 2 else "1230", "3", 5, "", "", "", ""])
        sheets["许可证"].append([uscc, "危险化学品经营许可证", 20240000 + i, "2024-01-01", "2029-06-30"])  # a number typed
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(user, content: bytes, name="register.xlsx"):
    client = APIClient()
    client.force_authenticate(user)
    return client.post("/api/v1/enterprises/import", {"file": SimpleUploadedFile(name, content)}, format="multipart")


@pytest.fixture
def keeper():
    return officer("emergency", username="imp_keeper")


def test_five_thousand_enterprises_with_twenty_bad_rows_then_fixed_then_again(keeper):
    bad = frozenset(range(7, 5000, 250))
    assert len(bad) == 20
    response = upload(keeper, build(5000, bad=bad))
    assert response.status_code == 202, response.json()
    job = response.json()
    assert job["status"] == "rejected" and job["finished"]
    assert len(job["rejected"]) == 20
    assert {row["row"] for row in job["rejected"] if row["sheet"] == "企业"} == {i + 2 for i in bad if i % 3 == 0}
    reasons = " ".join(error for row in job["rejected"] for error in row["errors"])
    assert "统一社会信用代码" in reasons and "CAS号" in reasons and "UN编号" in reasons
    assert not Enterprise.objects.exists() and not Product.objects.exists()

    response = upload(keeper, build(5000))
    job = response.json()
    assert job["status"] == "done", job["rejected"][:3]
    assert (job["created"], job["updated"]) == (5000, 0)
    assert Enterprise.objects.count() == 5000 and Product.objects.count() == 10000 and Licence.objects.count() == 5000
    codes = dict(Product.objects.values_list("id", "code"))

    job = upload(keeper, build(5000)).json()
    assert (job["status"], job["created"], job["updated"]) == ("done", 0, 5000)
    assert Enterprise.objects.count() == 5000 and Product.objects.count() == 10000
    assert dict(Product.objects.values_list("id", "code")) == codes  # the printed labels stay good
    progress = APIClient()
    progress.force_authenticate(keeper)
    polled = progress.get(f"/api/v1/enterprises/imports/{job['id']}").json()
    assert polled["percent"] == 100 and polled["processed"] == polled["total"] == 20000


@pytest.mark.parametrize("content, status", [
    (b"not a workbook", 400),
    (b"PK\x03\x04broken zip", 202),  # opened by the task: rejected with its reason
])
def test_a_broken_file_is_refused_and_changes_nothing(keeper, content, status):
    before = Enterprise.objects.count()
    response = upload(keeper, content)
    assert response.status_code == status
    if status == 400:
        assert is_error_format(response, 400) and "file" in response.json()["error"]["fields"]
    else:
        assert response.json()["status"] == "rejected" and "xlsx" in response.json()["rejected"][0]["errors"][0]
    assert Enterprise.objects.count() == before


def test_a_workbook_without_the_enterprise_sheet_is_rejected(keeper):
    book = Workbook()
    book.active.title = "别的"
    buffer = io.BytesIO()
    book.save(buffer)
    job = upload(keeper, buffer.getvalue()).json()
    assert job["status"] == "rejected" and "企业" in job["rejected"][0]["errors"][0]


def test_an_oversized_upload_is_413_and_changes_nothing(keeper, settings):
    settings.REGISTER_IMPORT_MAX_BYTES = 1000
    before = snapshot()
    jobs = ImportJob.objects.count()
    response = upload(keeper, build(50))
    assert is_error_format(response, 413)
    assert snapshot() == before and ImportJob.objects.count() == jobs


def test_only_the_keepers_import(street_officer):
    assert is_error_format(upload(street_officer, build(1)), 403)
    assert not ImportJob.objects.exists()


def test_products_for_an_enterprise_the_register_holds(keeper):
    enterprise = register_enterprise(1)
    book = Workbook()
    book.remove(book.active)
    for name in (workbook.ENTERPRISES, workbook.PRODUCTS):
        book.create_sheet(name).append([header for _key, header in workbook.COLUMNS[name]])
    book[workbook.PRODUCTS].append([enterprise.uscc, "硫酸", "7664-93-9", "1830"])
    book[workbook.PRODUCTS].append([make_uscc(999), "硫酸", "7664-93-9", "1830"])
    buffer = io.BytesIO()
    book.save(buffer)
    job = upload(keeper, buffer.getvalue()).json()
    assert job["status"] == "rejected" and [row["row"] for row in job["rejected"]] == [3]
    book[workbook.PRODUCTS].delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    assert upload(keeper, buffer.getvalue()).json()["status"] == "done"
    assert set(enterprise.products.values_list("name", flat=True)) == {"液氨", "硫酸"}


def test_the_export_imports_again_and_the_template_has_the_columns(keeper):
    register_enterprise(2)
    register_enterprise(3, street="gulou", risk="red")
    client = APIClient()
    client.force_authenticate(keeper)
    exported = client.get("/api/v1/enterprises/export.xlsx")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(exported.content))["企业"]
    assert [cell.value for cell in sheet[1]][:3] == ["统一社会信用代码", "企业名称", "地址"]
    assert sheet.max_row == 3
    job = upload(keeper, exported.content).json()
    assert (job["status"], job["created"], job["updated"]) == ("done", 0, 2)
    assert Enterprise.objects.get(uscc=make_uscc(3)).risk == "red"
    template = client.get("/api/v1/enterprises/template.xlsx")
    assert set(load_workbook(io.BytesIO(template.content)).sheetnames) >= set(workbook.COLUMNS)


def test_with_a_broker_the_import_runs_in_a_worker_and_the_sweep_catches_up(keeper, settings):
    """The broker is unreachable: the import is accepted and waits; the sweep runs it."""
    import datetime as dt

    from django.utils import timezone

    from register.tasks import pending_imports

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.REGISTER_IMPORT_IN_WORKER = True
    response = upload(keeper, build(3))
    assert response.status_code == 202 and response.json()["status"] == "pending"
    ImportJob.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert pending_imports() == 1
    assert ImportJob.objects.get().status == "done" and Enterprise.objects.count() == 3
