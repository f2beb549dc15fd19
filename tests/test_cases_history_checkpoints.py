"""Signed checkpoints of the history chains, kept outside the database, and
what they let verify_history see that the chains alone cannot: a truncated
history, a tail dropped with the case's head moved back, a case deleted with
its history. The tampering is done as the database's administrator would, a
superuser bypassing the triggers (tests/tampering.py)."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError
from django.core.management import call_command as django_call_command
from django.utils import translation

from cases import checkpoints, history
from cases.models import Case, CaseHistory

from .scenarios import complete, register
from .tampering import tamper

tampering = pytest.mark.django_db(transaction=True)



def call_command(*args, **kwargs):
    """The commands speak the operator's language (Chinese by default); these tests read the English."""
    with translation.override("en"):
        return django_call_command(*args, **kwargs)


def _walk(street_officer, lead_officer, **payload):
    case = register(street_officer, **payload)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    return case


def _two_cases(street_officer, lead_officer):
    from .factories import make_uscc

    return (_walk(street_officer, lead_officer),
            _walk(street_officer, lead_officer, enterprise={"name": "天津另一化工有限公司", "uscc": make_uscc(2)}))


def _checkpoint() -> str:
    out = StringIO()
    call_command("history_checkpoint", stdout=out, stderr=StringIO())
    return out.getvalue()


def _verify(*args) -> str:
    out = StringIO()
    call_command("verify_history", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _pins_of_the_database():
    return [checkpoints.Pin(pk, number, length, head) for pk, number, length, head in
            Case.objects.order_by("pk").values_list("pk", "number", "history_length", "history_head")]


# --- writing and reading --------------------------------------------------------------
def test_a_checkpoint_pins_every_chain_and_is_signed(street_officer, lead_officer, history_checkpoints):
    _two_cases(street_officer, lead_officer)
    out = _checkpoint()
    (path,) = history_checkpoints.glob("history-*.jsonl")
    assert f"checkpoint written: {path}" in out
    checkpoint = checkpoints.read(path)
    assert list(checkpoint.pins()) == _pins_of_the_database()
    assert (checkpoint.cases, checkpoint.rows) == (2, CaseHistory.objects.count())
    lines = path.read_bytes().splitlines()
    header, trailer = json.loads(lines[0]), json.loads(lines[-1])
    assert header["key"] == checkpoints.key_id(history.settings.HISTORY_KEY) and len(trailer["signature"]) == 64
    assert trailer["heads_digest"] == checkpoint.heads_digest and trailer["rows"] == checkpoint.rows
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    assert f"compared with checkpoint {path.name} (2 cases" in _verify()


def test_without_a_checkpoint_the_chains_are_checked_alone(street_officer, lead_officer, history_checkpoints,
                                                            settings):
    _walk(street_officer, lead_officer)
    assert "no checkpoint to compare with" in _verify()
    assert not history_checkpoints.exists()  # reading creates nothing
    settings.HISTORY_CHECKPOINT_DIR = ""
    assert "HISTORY_CHECKPOINT_DIR is not set" in _verify()
    with pytest.raises(CommandError, match="HISTORY_CHECKPOINT_DIR is not set"):
        _checkpoint()


def test_the_beat_task_writes_a_checkpoint(street_officer, lead_officer, history_checkpoints, settings):
    from cases.tasks import history_checkpoint

    _walk(street_officer, lead_officer)
    assert settings.CELERY_BEAT_SCHEDULE["history-checkpoint"]["task"] == "cases.tasks.history_checkpoint"
    result = history_checkpoint()
    assert result["cases"] == 1 and result["broken"] == 0
    assert (history_checkpoints / result["checkpoint"]).is_file()


def test_history_grown_since_the_checkpoint_is_intact(street_officer, lead_officer, police_officer):
    case = _walk(street_officer, lead_officer)
    _checkpoint()
    first = checkpoints.files()[0].name
    complete(police_officer, case["id"], "consult", "agree", queue="police", opinion="同意")
    assert "every chain is intact" in _verify()
    assert f"compared with checkpoint {first}" in _verify("--checkpoint", first)
    _checkpoint()
    assert len(checkpoints.files()) == 2 and checkpoints.find().rows == CaseHistory.objects.count()


def test_verify_history_says_when_the_latest_checkpoint_is_stale(street_officer, lead_officer):
    import datetime as dt

    from django.utils import timezone

    _walk(street_officer, lead_officer)
    writer = checkpoints.Writer(now=timezone.now() - dt.timedelta(days=3))
    for pin in _pins_of_the_database():
        writer.add(pin)
    writer.finish()
    err = StringIO()
    call_command("verify_history", stdout=StringIO(), stderr=err)
    assert "the latest checkpoint is 3 days 0 hours old" in err.getvalue()


def test_older_checkpoints_are_pruned(street_officer, lead_officer, settings):
    _walk(street_officer, lead_officer)
    settings.HISTORY_CHECKPOINT_KEEP = 2
    for _ in range(3):
        _checkpoint()
    assert len(checkpoints.files()) == 2


@pytest.mark.parametrize("forgery", ["a pin changed", "signed with another key", "cut short"])
def test_a_checkpoint_that_cannot_be_trusted_fails_verification(street_officer, lead_officer, settings, forgery):
    _walk(street_officer, lead_officer)
    _checkpoint()
    path = checkpoints.files()[-1]
    lines = path.read_bytes().splitlines(keepends=True)
    if forgery == "a pin changed":
        pk, number, length, head = json.loads(lines[1])
        lines[1] = json.dumps([pk, number, length + 5, head], ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    elif forgery == "signed with another key":
        path.unlink()
        settings.HISTORY_KEY, key = "another key", settings.HISTORY_KEY
        writer = checkpoints.Writer()
        for pin in _pins_of_the_database():
            writer.add(pin)
        path = writer.finish()
        settings.HISTORY_KEY = key
        lines = path.read_bytes().splitlines(keepends=True)
    else:
        lines = lines[:-1]
    path.write_bytes(b"".join(lines))
    with pytest.raises(CommandError, match=f"checkpoint {path.name} cannot be trusted"):
        _verify()
    with pytest.raises(CommandError, match="cannot be trusted"):  # and nothing is written over it
        _checkpoint()
    assert checkpoints.files() == [path]


def test_a_named_checkpoint_that_does_not_exist_is_an_error():
    with pytest.raises(CommandError, match="checkpoint history-20000101T000000000000Z.jsonl does not exist"):
        _verify("--checkpoint", "history-20000101T000000000000Z.jsonl")
    with translation.override("zh-hans"), pytest.raises(CommandError, match="检查点 history-2000.* 不存在"):
        django_call_command("verify_history", "--checkpoint", "history-20000101T000000000000Z.jsonl")


# --- the four tamper kinds, as a superuser, triggers bypassed -------------------------
@tampering
def test_truncation_of_the_history_is_seen(street_officer, lead_officer):
    """TRUNCATE (no row trigger sees it) with every case's head and length reset:
    the chains alone look intact; the checkpoint names every case."""
    first, second = _two_cases(street_officer, lead_officer)
    _checkpoint()
    tamper("TRUNCATE cases_casehistory", "UPDATE cases_case SET history_head = '', history_length = 0")
    assert CaseHistory.objects.count() == 0
    assert "every chain is intact" in _verify("--no-checkpoint")  # why checkpoints are needed
    err = StringIO()
    with pytest.raises(CommandError, match="problem"):
        call_command("verify_history", stdout=StringIO(), stderr=err)
    assert f"case {first['number']}: checkpoint history-" in err.getvalue()
    assert f"case {second['number']}: checkpoint history-" in err.getvalue()
    assert "the history holds 0 rows, fewer than" in err.getvalue()


@tampering
def test_truncation_alone_is_seen_without_a_checkpoint(street_officer, lead_officer):
    case = _walk(street_officer, lead_officer)
    tamper("TRUNCATE cases_casehistory")
    with pytest.raises(CommandError, match=f"case {case['number']}: the case records .* 0 are stored"):
        _verify()


@tampering
@pytest.mark.parametrize("how", ["replica", "disable"])
def test_a_tail_deleted_with_the_head_moved_back_is_seen(street_officer, lead_officer, how):
    case = _walk(street_officer, lead_officer)
    _checkpoint()
    rows = list(CaseHistory.objects.filter(case_id=case["id"]).order_by("seq"))
    tamper(("DELETE FROM cases_casehistory WHERE case_id = %s AND seq > 1", [case["id"]]),
           ("UPDATE cases_case SET history_head = %s, history_length = 1 WHERE id = %s", [rows[0].hash, case["id"]]),
           how=how)
    assert "every chain is intact" in _verify("--no-checkpoint")
    with pytest.raises(CommandError, match=f"case {case['number']}: checkpoint history-.* records {len(rows)} "
                                           "history rows, 1 are stored"):
        _verify()


@tampering
def test_a_case_deleted_with_its_whole_history_is_seen(street_officer, lead_officer):
    first, second = _two_cases(street_officer, lead_officer)
    _checkpoint()
    tamper(("DELETE FROM cases_casehistory WHERE case_id = %s", [first["id"]]),
           ("DELETE FROM cases_case WHERE id = %s", [first["id"]]))
    assert "every chain is intact" in _verify("--no-checkpoint")
    with pytest.raises(CommandError, match=f"case {first['number']}: checkpoint history-.* the case is gone"):
        _verify()


@tampering
def test_the_next_checkpoint_keeps_the_evidence(street_officer, lead_officer):
    """A checkpoint written after the tampering pins the broken case as the one
    before did, so every later verification still names it."""
    case = _walk(street_officer, lead_officer)
    _checkpoint()
    length = Case.objects.get(pk=case["id"]).history_length
    first = CaseHistory.objects.get(case_id=case["id"], seq=1)
    tamper(("DELETE FROM cases_casehistory WHERE case_id = %s AND seq > 1", [case["id"]]),
           ("UPDATE cases_case SET history_head = %s, history_length = 1 WHERE id = %s", [first.hash, case["id"]]))
    with pytest.raises(CommandError, match=f"case {case['number']}"):
        _checkpoint()
    latest = checkpoints.find()
    assert len(checkpoints.files()) == 2 and [p.length for p in latest.pins()] == [length]
    with pytest.raises(CommandError, match=f"case {case['number']}: checkpoint {latest.name} records {length}"):
        _verify()
