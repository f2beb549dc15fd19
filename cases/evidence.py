"""Checks on evidence files: the type by content, the size, the SHA-256, and
the photo's own time and GPS position from its EXIF."""
import datetime as dt
import hashlib
import math
import warnings
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
    if declared.startswith("image/"):
        check_image(upload)
    return declared, digest.hexdigest()


def file_sha256(fieldfile) -> str:
    digest = hashlib.sha256()
    with fieldfile.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


# A photo's own time is kept only when it can be a real inspection photo's.
TAKEN_EARLIEST = dt.datetime(1990, 1, 1)


def check_image(upload) -> None:
    """Refuse an image that is not one, or that claims more than
    ``IMAGE_MAX_PIXELS`` pixels, from its header alone (no pixel is decoded):
    a few kilobytes can claim 65000x65000 pixels and take every browser that
    shows them, or a server that decodes them, down."""
    from PIL import Image

    limit = settings.IMAGE_MAX_PIXELS
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit is checked below
            with Image.open(upload) as image:
                width, height = image.size
                if width < 1 or height < 1 or width * height > limit:
                    raise InvalidInput(fields={"file": [
                        _("The image is %(w)d x %(h)d pixels; at most %(mp)d megapixels are accepted.")
                        % {"w": width, "h": height, "mp": limit // 1_000_000}]})
                image.verify()
    except InvalidInput:
        raise
    except Image.DecompressionBombError:
        raise InvalidInput(fields={"file": [_("The image claims far more pixels than are accepted.")]})
    except Exception:  # noqa: BLE001 - a broken file can make the decoder raise anything
        raise InvalidInput(fields={"file": [_("The file is not a readable image.")]})
    finally:
        upload.seek(0)


def photo_metadata(upload) -> tuple[dict, list[str]]:
    """``taken_at``, ``latitude`` and ``longitude`` from a JPEG's EXIF where
    they make sense, and a note for each value that does not (dropped, not stored)."""
    from PIL import Image

    found, notes = {}, []
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                exif = image.getexif()
                taken = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)
                gps = exif.get_ifd(GPS_IFD)
    except Exception:  # noqa: BLE001 - unreadable EXIF: the photo is kept without it, and that is said
        return {}, [_("The photo's metadata (EXIF) could not be read.")]
    finally:
        upload.seek(0)
    if taken:
        taken_at = _taken_at(taken)
        if taken_at is None:
            notes.append(_("The photo's own time makes no sense and was not kept."))
        else:
            found["taken_at"] = taken_at
    if gps.get(2) is not None or gps.get(4) is not None:
        latitude = _coordinate(gps.get(2), gps.get(1, "N"), "N", "S", 90)
        longitude = _coordinate(gps.get(4), gps.get(3, "E"), "E", "W", 180)
        if latitude is None or longitude is None:
            notes.append(_("The photo's GPS position makes no sense and was not kept."))
        else:
            found["latitude"], found["longitude"] = latitude, longitude
    return found, notes


def _taken_at(raw) -> dt.datetime | None:
    """DateTimeOriginal as an aware time from 1990 to a day from now, else None."""
    try:
        text = raw.decode("ascii", "replace") if isinstance(raw, bytes) else str(raw)
        naive = dt.datetime.strptime(text.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (ValueError, TypeError):
        return None
    latest = timezone.localtime().replace(tzinfo=None) + dt.timedelta(days=1)
    if not TAKEN_EARLIEST <= naive <= latest:
        return None
    return timezone.make_aware(naive, local_tz())


def _coordinate(dms, ref, positive_ref: str, negative_ref: str, limit: int) -> Decimal | None:
    """Degrees, minutes and seconds as signed decimal degrees, or None when any
    part is missing, not a finite number, out of its range, or the reference is unknown."""
    try:
        degrees, minutes, seconds = (float(part) for part in dms)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if not all(math.isfinite(part) for part in (degrees, minutes, seconds)):
        return None
    if not (0 <= degrees <= limit and 0 <= minutes < 60 and 0 <= seconds < 60):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    reference = ref.decode("ascii", "replace") if isinstance(ref, bytes) else str(ref)
    reference = reference.strip("\x00 ").upper()
    if reference not in (positive_ref, negative_ref) or value > limit:
        return None
    return Decimal(f"{-value if reference == negative_ref else value:.6f}")


def sane_position(latitude, longitude) -> tuple[Decimal, Decimal] | None:
    """A stored position when it is one (rows stored before these checks may hold anything)."""
    try:
        if latitude is None or longitude is None or not (latitude.is_finite() and longitude.is_finite()):
            return None
        return (latitude, longitude) if abs(latitude) <= 90 and abs(longitude) <= 180 else None
    except (AttributeError, ArithmeticError):
        return None
