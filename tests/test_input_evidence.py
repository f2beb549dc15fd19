"""Photos whose metadata makes no sense (issue 19): a photo "taken" in year 1,
GPS rationals with a zero denominator or huge values, a position of 200°/500°,
and a header claiming 65000x65000 pixels. A value that makes no sense is
dropped and said so, never stored; an image that is not one, or too large, is
refused before anything reads its pixels, and no refusal leaves a file behind.
A row stored before these checks can no longer break the case for everyone."""
import io
import struct
import zlib
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from cases.models import Evidence

from .boundary import is_error_format, media_files, snapshot
from .conftest import Api
from .scenarios import register

TIANJIN = {1: "N", 2: (39.0, 8.0, 24.0), 3: "E", 4: (117.0, 9.0, 36.0)}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(street_officer):
    return register(street_officer)


def jpeg(taken: str | None = "2026:11:20 10:30:00", gps: dict | None = None) -> bytes:
    image = Image.new("RGB", (16, 16), "red")
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[36867] = taken
    for key, value in (gps or {}).items():
        exif.get_ifd(0x8825)[key] = value
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header claims ``width`` x ``height`` pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def upload(user, case_id, name, content, **fields):
    return Api(user).client.post(f"/api/v1/cases/{case_id}/evidence",
                                 {"file": SimpleUploadedFile(name, content), **fields}, format="multipart")


def case_pages_work(user, case_id) -> bool:
    client = Client()
    client.force_login(user)
    listed = Api(user).get(f"cases/{case_id}/evidence")
    return listed.status_code == 200 and client.get(f"/cases/{case_id}/").status_code == 200


def test_a_photo_taken_in_year_one_is_kept_without_its_time_and_says_so(case, lead_officer, street_officer):
    response = upload(lead_officer, case["id"], "现场.jpg", jpeg(taken="0001:01:01 00:00:00", gps=TIANJIN))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["taken_at"] is None and body["metadata_note"]
    assert body["latitude"] == "39.140000"  # the sensible part is kept
    assert Evidence.objects.get().taken_at is None
    # and the case keeps working for everyone who sees it
    assert case_pages_work(street_officer, case["id"]) and case_pages_work(lead_officer, case["id"])


@pytest.mark.parametrize("taken", ["1989:12:31 23:59:59", "2999:01:01 00:00:00", "2026:13:45 99:00:00", "garbage"])
def test_a_photo_time_outside_1990_to_tomorrow_is_dropped(case, lead_officer, taken):
    body = upload(lead_officer, case["id"], "a.jpg", jpeg(taken=taken)).json()
    assert body["taken_at"] is None and body["metadata_note"]


@pytest.mark.parametrize("gps", [
    {1: "N", 2: (IFDRational(39, 0), IFDRational(8, 1), IFDRational(24, 1)), 3: "E", 4: (117.0, 9.0, 36.0)},
    {1: "N", 2: (IFDRational(4294967295, 1), 8.0, 24.0), 3: "E", 4: (117.0, 9.0, 36.0)},
    {1: "N", 2: (200.0, 0.0, 0.0), 3: "E", 4: (500.0, 0.0, 0.0)},
    {1: "N", 2: (39.0, 75.0, 0.0), 3: "E", 4: (117.0, 9.0, 36.0)},
    {1: "Q", 2: (39.0, 8.0, 24.0), 3: "E", 4: (117.0, 9.0, 36.0)},
    {1: "N", 2: (39.0, 8.0, 24.0)},
], ids=["zero-denominator", "huge", "200-500-degrees", "75-minutes", "unknown-reference", "latitude-only"])
def test_a_gps_position_that_makes_no_sense_is_dropped_and_said_so(case, lead_officer, gps):
    response = upload(lead_officer, case["id"], "a.jpg", jpeg(gps=gps))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["latitude"] is None and body["longitude"] is None and body["metadata_note"]
    stored = Evidence.objects.get()
    assert stored.latitude is None and stored.longitude is None
    assert body["taken_at"].startswith("2026-11-20T10:30:00")  # the time is still kept


def test_a_header_claiming_65000_by_65000_pixels_is_refused_and_leaves_no_file(case, lead_officer):
    before = snapshot()
    response = upload(lead_officer, case["id"], "bomb.png", png_claiming(65000, 65000))
    assert is_error_format(response, 400) and "file" in response.json()["error"]["fields"]
    assert snapshot() == before and media_files() == []


def test_the_pixel_limit_is_a_setting(case, lead_officer, settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100
    assert upload(lead_officer, case["id"], "big.png", png_claiming(200, 200)).status_code == 400
    assert upload(lead_officer, case["id"], "small.png", png_claiming(50, 50)).status_code == 201


@pytest.mark.parametrize("name, content", [
    ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
    ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
])
def test_a_file_that_is_not_a_readable_image_is_refused(case, lead_officer, name, content):
    before = snapshot()
    response = upload(lead_officer, case["id"], name, content)
    assert is_error_format(response, 400) and "file" in response.json()["error"]["fields"]
    assert snapshot() == before and media_files() == []


def test_a_failure_after_the_file_is_written_removes_the_file(case, lead_officer):
    before = snapshot()
    with mock.patch("cases.models.Case.record", side_effect=RuntimeError("history unavailable")):
        response = upload(lead_officer, case["id"], "a.jpg", jpeg())
    assert response.status_code == 500
    assert snapshot() == before and media_files() == []


def test_a_bad_row_stored_before_the_checks_cannot_break_the_case(case, lead_officer, street_officer):
    body = upload(lead_officer, case["id"], "a.jpg", jpeg(gps=TIANJIN)).json()
    year_one = "0001-01-01 00:00:00+08:06" if connection.vendor == "postgresql" else "0001-01-01 00:00:00"
    with connection.cursor() as cursor:  # as the old code wrote it (year 1 BC on PostgreSQL)
        cursor.execute("UPDATE cases_evidence SET taken_at = %s, latitude = 500, longitude = -200 WHERE id = %s",
                       [year_one, body["id"]])
    assert case_pages_work(street_officer, case["id"])
    listed = Api(street_officer).get(f"cases/{case['id']}/evidence").json()
    assert [(e["taken_at"], e["latitude"], e["longitude"]) for e in listed] == [(None, None, None)]
