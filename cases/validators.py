"""Identifiers with check digits: the unified social credit code (统一社会信用代码,
GB 32100-2015, checked with python-stdnum's ``cn.uscc``), the CAS registry
number of a chemical (checked with ``casrn``) and the UN number."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import casrn
from stdnum.cn import uscc as stdnum_uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CAS_PATTERN = re.compile(r"[1-9][0-9]{1,6}-[0-9]{2}-[0-9]")
UN_PATTERN = re.compile(r"[0-9]{4}")


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """18 characters of the code's alphabet, as written (no spaces, upper case), with a valid check character."""
    if not isinstance(code, str) or len(code) != 18 or any(char not in USCC_ALPHABET for char in code):
        return False
    return stdnum_uscc.is_valid(code)


def validate_uscc(code: str) -> None:
    if not is_valid_uscc(code):
        raise ValidationError(
            _("Not a valid unified social credit code (18 characters, GB 32100-2015 check digit)."),
            code="invalid_uscc",
        )


def is_valid_cas(number: str) -> bool:
    """A CAS registry number as written (``7664-41-7``), its check digit right."""
    return isinstance(number, str) and bool(CAS_PATTERN.fullmatch(number)) and casrn.is_valid(number)


def validate_cas(number: str) -> None:
    if not is_valid_cas(number):
        raise ValidationError(_("Not a valid CAS number (such as 7664-41-7, with its check digit)."),
                              code="invalid_cas")


def normalize_un(number: str) -> str:
    """``UN1005``, ``un 1005`` and ``1005`` are all ``1005``."""
    text = number.strip().upper().removeprefix("UN").strip() if isinstance(number, str) else ""
    return text


def validate_un(number: str) -> None:
    if not UN_PATTERN.fullmatch(normalize_un(number)) or normalize_un(number) == "0000":
        raise ValidationError(_("Not a valid UN number (four digits, such as 1005)."), code="invalid_un")
