"""Evidence files and comments on a case."""
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.models import CaseHistory, Evidence

from .conftest import Api
from .scenarios import register


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (16, 16), "red")
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = "2026:11:20 10:30:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 8.0, 24.0), "E", (117.0, 9.0, 36.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def upload(user, case_id, name, content, **fields):
    client = Api(user).client
    return client.post(
        f"/api/v1/cases/{case_id}/evidence",
        {"file": SimpleUploadedFile(name, content), **fields},
        format="multipart",
    )


def test_photo_keeps_its_hash_time_and_position(street_officer, lead_officer):
    case = register(street_officer)
    content = jpeg_with_exif()
    response = upload(lead_officer, case["id"], "现场.jpg", content, stage="before", description="整改前")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["content_type"] == "image/jpeg" and body["stage"] == "before"
    assert body["taken_at"].startswith("2026-11-20T10:30:00+08:00")
    assert body["latitude"] == "39.140000" and body["longitude"] == "117.160000"
    # the street sees it too, and the file comes back intact
    listed = Api(street_officer).get(f"cases/{case['id']}/evidence").json()
    assert [e["id"] for e in listed] == [body["id"]]
    download = Api(street_officer).client.get(body["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert CaseHistory.objects.filter(case_id=case["id"], action="evidence").count() == 1


def test_png_and_pdf_are_accepted(street_officer, lead_officer):
    case = register(street_officer)
    assert upload(lead_officer, case["id"], "after.PNG", png(), stage="after").status_code == 201
    assert upload(lead_officer, case["id"], "报告.pdf", b"%PDF-1.7\n%...\n").status_code == 201


@pytest.mark.parametrize(
    "name, content",
    [("photo.jpg", b"%PDF-1.4 not a photo"), ("doc.pdf", b"\xff\xd8\xff\xe0 jpeg"), ("run.exe", b"MZ\x90\x00"),
     ("photo.png", b"GIF89a"), ("noext", b"%PDF-1.4")],
)
def test_content_must_match_the_name(street_officer, lead_officer, name, content):
    case = register(street_officer)
    response = upload(lead_officer, case["id"], name, content)
    assert response.status_code == 400 and "file" in response.json()["error"]["fields"]
    assert not Evidence.objects.exists()


def test_oversized_upload_is_413(settings, street_officer, lead_officer):
    settings.UPLOAD_MAX_BYTES = 1000
    case = register(street_officer)
    response = upload(lead_officer, case["id"], "big.pdf", b"%PDF-" + b"0" * 2000)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    big = b"%PDF-" + b"0" * (settings.UPLOAD_MAX_BYTES + 70 * 1024)
    assert upload(lead_officer, case["id"], "bigger.pdf", big).status_code == 413
    assert not Evidence.objects.exists()


def test_missing_file_and_bad_stage(street_officer, lead_officer):
    case = register(street_officer)
    response = Api(lead_officer).client.post(f"/api/v1/cases/{case['id']}/evidence", {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["error"]["fields"]
    response = upload(lead_officer, case["id"], "a.png", png(), stage="during")
    assert response.status_code == 400 and "stage" in response.json()["error"]["fields"]


def test_evidence_on_an_invisible_case_is_404(street_officer, other_officer, lead_officer):
    case = register(street_officer)
    assert upload(other_officer, case["id"], "a.png", png()).status_code == 404
    evidence = upload(lead_officer, case["id"], "a.png", png()).json()
    assert Api(other_officer).get(f"cases/{case['id']}/evidence").status_code == 404
    assert Api(other_officer).client.get(evidence["url"]).status_code == 404
    assert Api(lead_officer).client.get(f"/api/v1/cases/{case['id']}/evidence/9999/file").status_code == 404


def test_a_tampered_file_is_refused_on_download(street_officer, lead_officer):
    case = register(street_officer)
    body = upload(lead_officer, case["id"], "a.png", png()).json()
    stored = Evidence.objects.get(pk=body["id"])
    with open(stored.file.path, "ab") as handle:
        handle.write(b"tampered")
    response = Api(lead_officer).client.get(body["url"])
    assert response.status_code == 500 and response.json()["error"]["code"] == "integrity_error"


def test_comments_are_visible_to_every_agency_that_sees_the_case(street_officer, lead_officer, other_officer):
    case = register(street_officer)
    response = Api(lead_officer).post(f"cases/{case['id']}/comments", {"text": "请街道协助封控"})
    assert response.status_code == 201
    comments = Api(street_officer).get(f"cases/{case['id']}/comments").json()
    assert [(c["author"], c["agency"], c["text"]) for c in comments] == [(lead_officer.username, "emergency", "请街道协助封控")]
    assert Api(lead_officer).post(f"cases/{case['id']}/comments", {"text": "  "}).status_code == 400
    assert Api(other_officer).post(f"cases/{case['id']}/comments", {"text": "x"}).status_code == 404
    assert Api(other_officer).get(f"cases/{case['id']}/comments").status_code == 404
