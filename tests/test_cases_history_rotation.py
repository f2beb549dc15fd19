"""Rotating the history key: every chain sealed under the new key by a row of
its own, the rows before it checked with the retired key; whoever learns the
retired key can neither rewrite the sealed rows nor append under it, nor drop
the seal."""
from io import StringIO

import pytest
from django.core.management import CommandError
from django.core.management import call_command as django_call_command
from django.utils import translation

from cases import checkpoints, history
from cases.models import Case, CaseHistory

from .scenarios import complete, register
from .tampering import tamper

OLD, NEW = "the old history key", "the new history key"


@pytest.fixture
def old_key(settings):
    settings.HISTORY_KEY, settings.HISTORY_RETIRED_KEYS = OLD, []
    return settings



def call_command(*args, **kwargs):
    """The commands speak the operator's language (Chinese by default); these tests read the English."""
    with translation.override("en"):
        return django_call_command(*args, **kwargs)


def _rotate(settings):
    settings.HISTORY_KEY, settings.HISTORY_RETIRED_KEYS = NEW, [OLD]
    out = StringIO()
    call_command("rotate_history_key", stdout=out)
    return out.getvalue()


def _verify():
    call_command("verify_history", stdout=StringIO(), stderr=StringIO())


def test_a_rotation_seals_every_chain_under_the_new_key(old_key, street_officer, lead_officer, police_officer):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    call_command("history_checkpoint", stdout=StringIO())
    old_length = Case.objects.get(pk=case["id"]).history_length
    old_key.HISTORY_KEY = NEW  # the new key deployed, the old one forgotten: nothing verifies
    with pytest.raises(CommandError, match=f"case {case['number']}: history row .*its content does not match"):
        call_command("verify_history", "--no-checkpoint", stdout=StringIO(), stderr=StringIO())
    out = _rotate(old_key)
    assert "1 chains sealed under the new key" in out
    seal = CaseHistory.objects.get(case_id=case["id"], action=history.KEY_ROTATED)
    assert seal.seq == old_length + 1 and seal.data == {"key": checkpoints.key_id(NEW)}
    assert seal.hash == history.row_digest(seal)  # under the new key
    _verify()
    complete(police_officer, case["id"], "consult", "agree", queue="police", opinion="同意")
    _verify()
    assert "0 chains sealed" in _rotate(old_key)  # once per key
    assert checkpoints.find().rows == CaseHistory.objects.count()


def test_a_rotation_refuses_broken_chains(old_key, street_officer):
    """Rows under neither key: a seal would vouch for rows nobody can verify."""
    register(street_officer)
    old_key.HISTORY_KEY, old_key.HISTORY_RETIRED_KEYS = NEW, ["not the old key"]
    with pytest.raises(CommandError, match="chain\\(s\\) are broken.*Nothing was sealed"):
        call_command("rotate_history_key", stdout=StringIO())
    assert not CaseHistory.objects.filter(action=history.KEY_ROTATED).exists()


def test_a_rotation_needs_the_retired_key(street_officer):
    register(street_officer)
    with pytest.raises(CommandError, match="HISTORY_RETIRED_KEYS is empty"):
        call_command("rotate_history_key", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attack", ["append under the retired key", "drop the seal"])
def test_the_retired_key_forges_nothing_after_the_rotation(old_key, street_officer, lead_officer, attack):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    _rotate(old_key)
    rows = list(CaseHistory.objects.filter(case_id=case["id"]).order_by("seq"))
    if attack == "append under the retired key":
        forged = CaseHistory(case_id=case["id"], seq=rows[-1].seq + 1, at=rows[-1].at, action="comment",
                             note="伪造", data={}, prev_hash=rows[-1].hash)
        forged.hash = history.row_digest(forged, key=OLD.encode())
        tamper(("INSERT INTO cases_casehistory (case_id, seq, at, action, step, transition, from_state, to_state, "
                "note, data, prev_hash, hash) VALUES (%s, %s, %s, 'comment', '', '', '', '', %s, '{}', %s, %s)",
                [case["id"], forged.seq, forged.at, forged.note, forged.prev_hash, forged.hash]),
               ("UPDATE cases_case SET history_head = %s, history_length = %s WHERE id = %s",
                [forged.hash, forged.seq, case["id"]]))
    else:
        tamper(("DELETE FROM cases_casehistory WHERE id = %s", [rows[-1].pk]),
               ("UPDATE cases_case SET history_head = %s, history_length = %s WHERE id = %s",
                [rows[-2].hash, rows[-2].seq, case["id"]]))
    with pytest.raises(CommandError, match=f"case {case['number']}: history row .*its content does not match"):
        call_command("verify_history", "--no-checkpoint", stdout=StringIO(), stderr=StringIO())
