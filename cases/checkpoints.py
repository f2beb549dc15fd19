"""Signed checkpoints of the history chains, kept outside the database.

A checkpoint is a file in ``HISTORY_CHECKPOINT_DIR`` (on the application
servers, never on the database's host or in its backups) that pins every
case's chain: its number, length and head. ``verify_history`` compares the
database with the latest (or a named) checkpoint, so whoever holds the
database but not the key cannot delete a case with its history, truncate the
history or drop a chain's tail and move the case's head back unseen
(docs/history.md).

The file is JSON Lines: a header, one ``[case id, number, length, head]`` per
case in case order, and a trailer with the number of cases, the rows they
hold, a SHA-256 over the pins and an HMAC-SHA256 over every byte before it,
keyed with a key derived from ``HISTORY_KEY``. A file is written under a
temporary name and renamed, so a reader never sees half of one.
"""
import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from common.exceptions import DomainError

FORMAT = "nankai-history-checkpoint"
VERSION = 1
PREFIX, SUFFIX = "history-", ".jsonl"


class CheckpointError(DomainError):
    """A checkpoint that cannot be written, found or trusted."""


@dataclass(frozen=True)
class Pin:
    """One case as a checkpoint holds it."""

    pk: int
    number: str
    length: int
    head: str


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint file whose signature was checked."""

    path: Path
    written_at: str
    cases: int
    rows: int
    heads_digest: str

    @property
    def name(self) -> str:
        return self.path.name

    def pins(self) -> Iterator[Pin]:
        """The pins in case order, read again from the file."""
        with self.path.open("rb") as file:
            next(file)  # the header
            for line in file:
                item = json.loads(line)
                if isinstance(item, dict):  # the trailer
                    return
                yield Pin(*item)


# --- the key -------------------------------------------------------------------------
def signing_key(history_key: str) -> bytes:
    """The checkpoints' key: derived from the history key, so that a checkpoint's
    signature can never pass for a history row's hash or the other way round."""
    return hmac.new(history_key.encode("utf-8"), b"nankai history checkpoint v1", hashlib.sha256).digest()


def key_id(history_key: str) -> str:
    """A fingerprint naming the key that signed a checkpoint (not the key)."""
    return hashlib.sha256(signing_key(history_key)).hexdigest()[:16]


def _keys() -> list[str]:
    return [settings.HISTORY_KEY, *settings.HISTORY_RETIRED_KEYS]


def _canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


# --- where -----------------------------------------------------------------------------
def directory(*, create: bool = False) -> Path:
    """``HISTORY_CHECKPOINT_DIR`` (created, readable by its owner only, when ``create``)."""
    configured = settings.HISTORY_CHECKPOINT_DIR
    if not configured:
        raise CheckpointError(_("HISTORY_CHECKPOINT_DIR is not set: checkpoints cannot be written or read"))
    path = Path(configured)
    if create:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def files() -> list[Path]:
    """Every checkpoint in the directory, oldest first (names sort by time)."""
    folder = directory()
    return sorted(folder.glob(f"{PREFIX}*{SUFFIX}")) if folder.is_dir() else []


def find(name: str | None = None) -> Checkpoint | None:
    """The named checkpoint (a file name in the directory, or a path), else the
    latest; None when there is none. Its signature is checked."""
    if name:
        path = Path(name) if os.sep in name else directory() / name
        if not path.is_file():
            raise CheckpointError(_("checkpoint %(name)s does not exist") % {"name": name})
        return read(path)
    existing = files()
    return read(existing[-1]) if existing else None


# --- reading -------------------------------------------------------------------------
def read(path: Path) -> Checkpoint:
    """Check the file's signature with the current key (or a retired one) and
    its pins against the trailer; CheckpointError names what is wrong."""
    macs = [hmac.new(signing_key(key), digestmod=hashlib.sha256) for key in _keys()]
    heads = hashlib.sha256()
    header = trailer = None
    count = rows = 0
    last_pk = 0
    with path.open("rb") as file:
        for line in file:
            if trailer is not None:
                raise _untrusted(path, _("it goes on after its trailer"))
            item = _parse(path, line)
            if header is None:
                header = item
                if not isinstance(item, dict) or item.get("format") != FORMAT or item.get("version") != VERSION:
                    raise _untrusted(path, _("it is not a history checkpoint"))
            elif isinstance(item, dict):
                trailer = item
                continue
            else:
                if not (isinstance(item, list) and len(item) == 4 and isinstance(item[0], int) and item[0] > last_pk):
                    raise _untrusted(path, _("a pin is malformed or out of order"))
                last_pk = item[0]
                count += 1
                rows += item[2]
                heads.update(line)
            for mac in macs:
                mac.update(line)
    if trailer is None:
        raise _untrusted(path, _("it has no trailer (cut short)"))
    signature = trailer.pop("signature", "")
    for mac in macs:
        mac.update(_canonical(trailer))
    if not any(hmac.compare_digest(mac.hexdigest(), str(signature)) for mac in macs):
        raise _untrusted(path, _("its signature does not match (changed, or signed with an unknown key)"))
    if (trailer.get("cases"), trailer.get("rows"), trailer.get("heads_digest")) != (count, rows, heads.hexdigest()):
        raise _untrusted(path, _("its totals do not match its pins"))
    return Checkpoint(path=path, written_at=header.get("written_at", ""), cases=count, rows=rows,
                      heads_digest=heads.hexdigest())


def _parse(path: Path, line: bytes):
    try:
        return json.loads(line)
    except ValueError:
        raise _untrusted(path, _("a line is not JSON")) from None


def _untrusted(path: Path, why: str) -> CheckpointError:
    return CheckpointError(_("checkpoint %(name)s cannot be trusted: %(why)s") % {"name": path.name, "why": why})


# --- writing -------------------------------------------------------------------------
class Writer:
    """Writes one checkpoint: ``add`` the pins in case order, then ``finish``."""

    def __init__(self, *, now: dt.datetime | None = None):
        now = (now or timezone.now()).astimezone(dt.timezone.utc)
        folder = directory(create=True)
        self.path = folder / f"{PREFIX}{now:%Y%m%dT%H%M%S%fZ}{SUFFIX}"
        self.temporary = folder / f".{self.path.name}.tmp"
        self.file = self.temporary.open("wb")
        os.chmod(self.temporary, 0o600)
        self.mac = hmac.new(signing_key(settings.HISTORY_KEY), digestmod=hashlib.sha256)
        self.heads = hashlib.sha256()
        self.cases = self.rows = 0
        self._write(_canonical({"format": FORMAT, "version": VERSION, "written_at": now.isoformat(),
                                "key": key_id(settings.HISTORY_KEY)}))

    def add(self, pin: Pin) -> None:
        line = json.dumps([pin.pk, pin.number, pin.length, pin.head], ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8") + b"\n"
        self.heads.update(line)
        self.cases += 1
        self.rows += pin.length
        self._write(line)

    def finish(self) -> Path:
        trailer = {"cases": self.cases, "rows": self.rows, "heads_digest": self.heads.hexdigest()}
        self.mac.update(_canonical(trailer))
        self.file.write(_canonical({**trailer, "signature": self.mac.hexdigest()}))
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.replace(self.temporary, self.path)
        return self.path

    def abort(self) -> None:
        self.file.close()
        self.temporary.unlink(missing_ok=True)

    def _write(self, line: bytes) -> None:
        self.mac.update(line)
        self.file.write(line)


def prune(*, keep: int) -> list[Path]:
    """Remove all but the ``keep`` latest checkpoints; the removed paths."""
    existing = files()
    removed = existing[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
