"""The rules broken on purpose by ``make breaks`` (tests/breaks.py) still name
text that is in the code: a refactoring that moves a rule updates its break."""
from .breaks import BREAKS, missing


def test_every_break_still_applies():
    assert len(BREAKS) >= 9 and missing() == []
