"""Rotating the history key (``manage.py rotate_history_key``, docs/history.md).

With the new key in ``HISTORY_KEY`` and the old one in ``HISTORY_RETIRED_KEYS``,
every chain is verified, then a ``key_rotated`` row, under the new key, is
appended to every case: it seals the rows before it, so that whoever learns the
retired key can neither rewrite them (the sealing row's ``prev_hash`` pins
them) nor append under it (rows after the last seal must be under the current
key). Then a checkpoint is written, signed with the new key.
"""
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from common.exceptions import DomainError

from . import checkpoints
from .checkpoints import key_id
from .history import KEY_ROTATED, Entry, append
from .integrity import ChainReport, snapshot, verify_chains, write_checkpoint
from .models import Case, CaseHistory

BATCH = 1000


class RotationRefused(DomainError):
    """The chains are not intact, or no key was retired: nothing was appended."""

    def __init__(self, message, *, report: ChainReport | None = None):
        super().__init__(message)
        self.report = report


@dataclass
class Rotated:
    sealed: int
    checkpoint: Path


def rotate_history_key() -> Rotated:
    """Seal every chain under the current key and write a checkpoint."""
    if not settings.HISTORY_RETIRED_KEYS:
        raise RotationRefused(_("HISTORY_RETIRED_KEYS is empty: put the old key there and the new one in "
                                "HISTORY_KEY, then rotate"))
    with snapshot():
        report = verify_chains(checkpoint=checkpoints.find(), to_seal=True)
    if report.broken:
        raise RotationRefused(_("%(count)d chain(s) are broken; first: %(first)s. Nothing was sealed: a seal "
                                "would vouch for them") % {"count": len(report.broken), "first": report.broken[0]},
                              report=report)
    current = key_id(settings.HISTORY_KEY)
    done = CaseHistory.objects.filter(action=KEY_ROTATED, data__key=current).values("case_id")
    pending = list(Case.objects.exclude(pk__in=done).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pending), BATCH):
        append([Entry(case_id=pk, action=KEY_ROTATED, data={"key": current}) for pk in pending[start:start + BATCH]])
    written = write_checkpoint()
    return Rotated(sealed=len(pending), checkpoint=written.path)
