"""Checks on evidence files: the type by content, the size, the SHA-256, and
the photo's own time and GPS position from its EXIF."""
import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from common.exceptions import InvalidInput, TooLarge
from org.calendar import local_tz

TYPES_BY_EXTENSION = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}
SIGNATURES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n", "application/pdf": b"%PDF-"}

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL = 36867


def sniff(head: bytes) -> str | None:
    for content_type, signature in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def check_upload(upload) -> tuple[str, str]:
    """The content type and SHA-256 of an upload, or a refusal."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise TooLarge(_("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)})
    declared = TYPES_BY_EXTENSION.get(Path(upload.name or "").suffix.lower())
    if declared is None:
        raise InvalidInput(fields={"file": [_("Only JPEG, PNG and PDF files are accepted.")]})
    upload.seek(0)
    actual = sniff(upload.read(16))
    if actual != declared:
        raise InvalidInput(fields={"file": [_("The file's content is not what its name says.")]})
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return declared, digest.hexdigest()


def file_sha256(fieldfile) -> str:
    digest = hashlib.sha256()
    with fieldfile.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def photo_metadata(upload) -> dict:
    """``taken_at``, ``latitude`` and ``longitude`` from a JPEG's EXIF, where present."""
    from PIL import Image, UnidentifiedImageError

    found = {}
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            exif = image.getexif()
            taken = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)
            if taken:
                naive = dt.datetime.strptime(str(taken).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
                found["taken_at"] = timezone.make_aware(naive, local_tz())
            gps = exif.get_ifd(GPS_IFD)
            if gps.get(2) and gps.get(4):
                found["latitude"] = _degrees(gps[2], gps.get(1, "N"), "S")
                found["longitude"] = _degrees(gps[4], gps.get(3, "E"), "W")
    except (UnidentifiedImageError, OSError, ValueError, TypeError, ZeroDivisionError):
        pass  # no usable EXIF: the evidence is kept without it
    finally:
        upload.seek(0)
    return found


def _degrees(dms, ref, negative_ref) -> Decimal:
    degrees, minutes, seconds = (float(part) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    if str(ref).upper().startswith(negative_ref):
        value = -value
    return Decimal(f"{value:.6f}")
