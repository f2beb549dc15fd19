"""The case history (案件记录): the one writer of its hash chain.

Every row of a case's history carries its position (``seq``, from 1) and an
HMAC-SHA256 over its content and the previous row's hash, keyed with
``HISTORY_KEY``, which is kept outside the database. The case row keeps the
chain's head (the last hash) and its length. So whoever can write to the
database but does not hold the key cannot edit a row, recompute the chain
after an edit, drop its tail or drop it whole without ``verify_history``
seeing it (docs/history.md has the threat model).

``append`` is the only writer: ``Case.record`` appends one row, the
escalation scan appends thousands in one call. It runs in the caller's
transaction and takes the cases' row locks (a no-op where the caller holds
them), so two writers never read the same head. A caller that already holds
a case's row lock and has read its head with it (a step, ``flows.services``)
says so with ``chain_held``: its appends then start from the head in memory
and the head is written once, with the case's own save, not after each row.
"""
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.bulk import insert_rows

from .models import Case, CaseHistory

# The words of the history's actions written outside a step: by the case's
# own services, the documents, the listings and the system (a step's actions
# are labelled by the step that declares them, flows/kinds/).
ACTION_LABELS = {
    "register": _("Registered"),
    "claim": _("Claimed"),
    "unclaim": _("Returned to the queue"),
    "assign": _("Assigned"),
    "comment": _("Commented"),
    "evidence": _("Evidence added"),
    "escalate": _("Escalated"),
    "pause": _("Clock paused"),
    "resume": _("Clock resumed"),
    "supervision_ended": _("Supervision ended with the case"),
    "document_issued": _("Document issued"),
    "document_rendered": _("Document drawn as PDF"),
    "document_corrected": _("Document corrected"),
    "document_served": _("Document served"),
    "listed": _("Listed for supervision (挂牌督办)"),
    "listing_published": _("Listing published"),
    "extension_requested": _("Extension asked for"),
    "extension_granted": _("Extension granted"),
    "extension_refused": _("Extension refused"),
    "removal_requested": _("Removal asked for (摘牌)"),
    "removed": _("Removed from the list (摘牌)"),
    "removal_published": _("Removal published"),
    "linked": _("Linked case opened"),
    "key_rotated": _("History key changed"),
}


@dataclass
class Entry:
    """One row to append: who, which agency, what, from which state to which."""

    case_id: int
    action: str
    actor_id: int | None = None
    agency_id: int | None = None
    step: str = ""
    task_id: int | None = None
    from_state: str = ""
    to_state: str = ""
    transition: str = ""
    note: str = ""
    data: dict = field(default_factory=dict)
    at: dt.datetime | None = None


COLUMNS = ("case_id", "seq", "at", "actor_id", "agency_id", "action", "step", "task_id", "transition", "from_state",
           "to_state", "note", "data", "prev_hash", "hash")


# cases whose row lock the current step holds, read with their head (``chain_held``)
_held: ContextVar[dict[int, Case] | None] = ContextVar("held_chains", default=None)


@contextmanager
def chain_held(case: Case) -> Iterator[Case]:
    """Inside the block, ``case`` is the one copy of its chain's head: the
    caller has locked its row (SELECT ... FOR UPDATE) in this transaction and
    read the head with it, so appends read no head and move none; on leaving,
    the head is written unless the case was saved with it (``Case.save``)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("chain_held needs the transaction that locked the case's row")
    held = dict(_held.get() or {})
    held[case.pk] = case
    token = _held.set(held)
    try:
        yield case
    finally:
        _held.reset(token)
    if (case.history_head, case.history_length) != getattr(case, "saved_head", None):
        _move_heads({case.pk: [case.history_head, case.history_length]})
        case.saved_head = (case.history_head, case.history_length)


def append(entries: list[Entry], *, cases: list[Case] = ()) -> None:
    """Append ``entries`` (in order; several may belong to one case) to their
    cases' chains. ``cases`` are in-memory copies whose head and length are
    brought up to date too (a later ``save()`` of them writes the same values).
    The rows are written as plain tuples (``common.bulk``), one row or
    thousands alike: a model instance per row cost a step more than its
    INSERT's round trip (docs/performance.md)."""
    if not entries:
        return
    held = _held.get() or {}
    with transaction.atomic(savepoint=False):
        ids = sorted({entry.case_id for entry in entries})
        heads = {pk: [held[pk].history_head, held[pk].history_length] for pk in ids if pk in held}
        if missing := [pk for pk in ids if pk not in heads]:
            heads.update({pk: [head, length] for pk, head, length in
                          Case.objects.select_for_update(of=("self",)).filter(pk__in=missing).order_by("pk")
                          .values_list("pk", "history_head", "history_length")})
        now = timezone.now()
        rows = []
        for entry in entries:
            head = heads[entry.case_id]
            row = {
                "case_id": entry.case_id, "seq": head[1] + 1, "at": entry.at or now, "actor_id": entry.actor_id,
                "agency_id": entry.agency_id, "action": entry.action, "step": entry.step, "task_id": entry.task_id,
                "transition": entry.transition, "from_state": entry.from_state, "to_state": entry.to_state,
                "note": entry.note, "data": entry.data, "prev_hash": head[0],
            }
            row["hash"] = digest(row)
            head[0], head[1] = row["hash"], row["seq"]
            rows.append(row)
        insert_rows(CaseHistory, COLUMNS, [tuple(row[c] for c in COLUMNS) for row in rows])
        if unheld := {pk: head for pk, head in heads.items() if pk not in held}:
            _move_heads(unheld)
    for case in [*cases, *(held[pk] for pk in ids if pk in held)]:
        case.history_head, case.history_length = heads[case.pk]


def _move_heads(heads: dict[int, list]) -> None:
    if len(heads) == 1:
        ((pk, (head, length)),) = heads.items()
        Case.objects.filter(pk=pk).update(history_head=head, history_length=length)
        return
    Case.objects.filter(pk__in=heads).update(
        history_head=SqlCase(*[When(pk=pk, then=Value(head)) for pk, (head, _n) in heads.items()]),
        history_length=SqlCase(*[When(pk=pk, then=Value(length)) for pk, (_h, length) in heads.items()]),
    )


# --- the hash ------------------------------------------------------------------------
HASHED = ("case_id", "seq", "at", "actor_id", "agency_id", "action", "step", "task_id", "transition", "from_state",
          "to_state", "note", "data", "prev_hash")


def digest(row: dict, *, key: bytes | None = None) -> str:
    """HMAC-SHA256 of the row's canonical content (every column but id and hash),
    keyed with ``HISTORY_KEY`` (or ``key``: a retired one, when verifying)."""
    content = {name: row[name] for name in HASHED}
    content["at"] = row["at"].astimezone(dt.timezone.utc).isoformat()
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hmac.new(key or history_key(), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def row_digest(row: CaseHistory, *, key: bytes | None = None) -> str:
    return digest({name: getattr(row, name) for name in HASHED}, key=key)


def history_key() -> bytes:
    return settings.HISTORY_KEY.encode("utf-8")


def verification_keys() -> list[bytes]:
    """The current key, then the retired ones (``HISTORY_RETIRED_KEYS``): rows
    written before a key rotation are checked with the key they were written
    with (docs/history.md, "Rotating the key")."""
    return [history_key(), *(key.encode("utf-8") for key in settings.HISTORY_RETIRED_KEYS)]


# The row a key rotation appends to every chain, under the new key: it seals the
# rows before it, whatever key they were written with (cases.rotation).
KEY_ROTATED = "key_rotated"
