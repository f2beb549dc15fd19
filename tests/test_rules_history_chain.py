"""The history's hash chain, row by row: each row's position follows the
case's length, its ``prev_hash`` is the head before it, its hash is the HMAC
of its canonical content under HISTORY_KEY, and the case's head and length
move with it, whether one row is appended, a few for several cases at once, or
thousands in bulk. Any change to a hashed field, the key or the instant
changes the hash; the same instant written in another time zone does not."""
import datetime as dt
import hashlib
import hmac
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases import history
from cases.history import Entry, append, digest, row_digest, verification_keys
from cases.models import Case, CaseHistory

from .scenarios import register

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 10, 9, 10, 0, tzinfo=SH)


def row(**changes) -> dict:
    base = {"case_id": 7, "seq": 3, "at": NOW, "actor_id": 11, "agency_id": 2, "action": "comment",
            "step": "verify", "task_id": 40, "transition": "", "from_state": "registered", "to_state": "registered",
            "note": "现场核查：储罐区", "data": {"level": 1, "agency": "emergency"}, "prev_hash": "ab" * 32}
    base.update(changes)
    return base


def expected_digest(content: dict, key: bytes) -> str:
    """The chain's canonical form, written out independently of cases.history."""
    canonical = dict(content)
    canonical.pop("hash", None)
    canonical["at"] = content["at"].astimezone(dt.timezone.utc).isoformat()
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def test_a_rows_hash_is_the_hmac_of_its_canonical_content_under_the_key(settings):
    settings.HISTORY_KEY = "rules-test-key-1"
    assert digest(row()) == expected_digest(row(), b"rules-test-key-1")
    assert digest(row(), key=b"retired") == expected_digest(row(), b"retired")
    assert digest(row(), key=b"retired") != digest(row())
    assert history.history_key() == b"rules-test-key-1"


CHANGES = [
    ("case_id", 8), ("seq", 4), ("at", NOW + dt.timedelta(microseconds=1)), ("actor_id", None), ("agency_id", 3),
    ("action", "claim"), ("step", "review"), ("task_id", 41), ("transition", "confirm"), ("from_state", "verified"),
    ("to_state", "verified"), ("note", "改写"), ("data", {"level": 2, "agency": "emergency"}), ("prev_hash", ""),
]


def test_every_column_of_a_history_row_but_its_id_and_hash_is_changed_below():
    """A column added to the model is added here, and so to the hash (or the hash leaves it out on purpose)."""
    columns = {field.attname for field in CaseHistory._meta.concrete_fields} - {"id", "hash"}
    assert {field for field, _value in CHANGES} == columns


@pytest.mark.parametrize("field,value", CHANGES)
def test_changing_any_hashed_field_changes_the_hash(field, value):
    assert digest(row(**{field: value})) != digest(row())


def test_data_that_json_cannot_write_is_hashed_as_its_text():
    """A penalty's amount (Decimal) or an ordered deadline (date) in a row's data."""
    from decimal import Decimal

    content = row(data={"amount": Decimal("20000.00"), "deadline": dt.date(2026, 10, 20)})
    assert digest(content) == expected_digest(content, history.history_key())
    assert digest(content) == digest(row(data={"amount": "20000.00", "deadline": "2026-10-20"}))


def test_the_instant_not_its_time_zone_is_hashed_and_the_id_and_hash_are_not():
    same_instant = NOW.astimezone(dt.timezone.utc)
    assert digest(row(at=same_instant)) == digest(row())
    assert digest({**row(), "id": 99, "hash": "x"}) == digest(row())


def test_a_stored_row_is_checked_under_the_key_it_is_given(two_cases):
    stored = CaseHistory.objects.filter(case=two_cases[0]).first()
    content = {name: getattr(stored, name) for name in history.HASHED}
    assert row_digest(stored) == stored.hash
    assert row_digest(stored, key=b"retired") == expected_digest(content, b"retired") != stored.hash


def test_retired_keys_verify_after_the_current_one(settings):
    settings.HISTORY_KEY = "current"
    settings.HISTORY_RETIRED_KEYS = ["old-1", "old-2"]
    assert verification_keys() == [b"current", b"old-1", b"old-2"]
    settings.HISTORY_RETIRED_KEYS = []
    assert verification_keys() == [b"current"]


# --- appending -----------------------------------------------------------------------------------
@pytest.fixture
def two_cases(street_officer):
    return [Case.objects.get(pk=register(street_officer)["id"]), Case.objects.get(pk=register(street_officer)["id"])]


def chain(case: Case) -> list[CaseHistory]:
    return list(CaseHistory.objects.filter(case=case).order_by("seq"))


def assert_intact(case: Case) -> None:
    rows, stored = chain(case), Case.objects.get(pk=case.pk)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == ""
    for previous, current in zip(rows, rows[1:]):
        assert current.prev_hash == previous.hash
    for current in rows:
        assert current.hash == row_digest(current) == expected_digest(
            {name: getattr(current, name) for name in history.HASHED}, history.history_key())
    assert (stored.history_head, stored.history_length) == (rows[-1].hash, len(rows))


def test_one_row_follows_the_head_and_moves_it(two_cases, lead_officer):
    case = two_cases[0]
    before = Case.objects.get(pk=case.pk)
    with time_machine.travel(NOW, tick=False):
        append([Entry(case_id=case.pk, action="comment", actor_id=lead_officer.pk, agency_id=lead_officer.agency_id,
                      note="第一条")], cases=[case])
    assert CaseHistory.objects.filter(case=case).count() == before.history_length + 1
    new = CaseHistory.objects.get(case=case, seq=before.history_length + 1)
    assert new.prev_hash == before.history_head and new.at == NOW
    assert (new.actor_id, new.agency_id, new.action, new.note) == (lead_officer.pk, lead_officer.agency_id,
                                                                     "comment", "第一条")
    assert (case.history_head, case.history_length) == (new.hash, before.history_length + 1)  # the copy in memory
    assert_intact(case)


def test_rows_for_several_cases_in_one_call_chain_per_case_in_order(two_cases):
    first, second = two_cases
    lengths = {c.pk: Case.objects.get(pk=c.pk).history_length for c in two_cases}
    entries = [Entry(case_id=first.pk, action="comment", note="a"), Entry(case_id=second.pk, action="comment", note="b"),
               Entry(case_id=first.pk, action="escalate", note="c", at=NOW, data={"level": 1}),
               Entry(case_id=second.pk, action="comment", note="d")]
    append(entries, cases=two_cases)
    assert [r.note for r in chain(first)[-2:]] == ["a", "c"] and [r.note for r in chain(second)[-2:]] == ["b", "d"]
    assert chain(first)[-1].at == NOW and chain(first)[-1].data == {"level": 1}
    for case in two_cases:
        assert Case.objects.get(pk=case.pk).history_length == lengths[case.pk] + 2
        assert (case.history_head, case.history_length) == (chain(case)[-1].hash, lengths[case.pk] + 2)
        assert_intact(case)


@pytest.mark.parametrize("count", [1, 50, 1001])  # one row, a batch, more than one statement's rows
def test_a_batch_of_any_length_chains_the_same(two_cases, count):
    first, second = two_cases
    length = Case.objects.get(pk=first.pk).history_length
    entries = [Entry(case_id=(first if n % 2 else second).pk, action="escalate", step="verify", note=f"n{n}",
                     data={"level": 1}, at=NOW) for n in range(count)]
    append(entries)
    assert [r.note for r in chain(first)][length:] == [f"n{n}" for n in range(count) if n % 2]
    assert Case.objects.get(pk=first.pk).history_length == length + count // 2
    assert_intact(first)
    assert_intact(second)


def test_nothing_to_append_writes_nothing(two_cases):
    before = CaseHistory.objects.count()
    append([])
    assert CaseHistory.objects.count() == before
