"""Identifiers with check digits, both ways: the unified social credit code
(GB 32100-2015), the CAS registry number and the UN number are accepted as
written and refused when a character, the length or the check digit is wrong;
the register cleans what an officer types (spaces, lower case) before checking."""
import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import uscc as stdnum_uscc

from cases.validators import (
    is_valid_cas,
    is_valid_uscc,
    normalize_un,
    uscc_check_char,
    validate_cas,
    validate_un,
    validate_uscc,
)
from register.inputs import clean_uscc

# What the officer is told beside the field (the messages are in Chinese by default).
USCC_REFUSED = "不是有效的统一社会信用代码（应为18位，且校验码须符合 GB 32100-2015）。"
CAS_REFUSED = "CAS号无效（格式如 7664-41-7，校验位须正确）。"
UN_REFUSED = "UN编号无效（四位数字，如 1005）。"

# Real codes as printed on business licences (the check character is the last one).
VALID_USCC = ["91120104MA05K1XX8E", "91110000600037341L", "911201047803024569", "12100000400010398P"]


@pytest.mark.parametrize("body", [code[:17] for code in VALID_USCC] + ["91120104MA0000001", "Y1HJKLMNPQRTUWXY0",
                                                                        "00000000000000000", "91YYYYYYYYYYYYYYY"])
def test_the_check_character_is_the_standards(body):
    assert uscc_check_char(body) == stdnum_uscc.calc_check_digit(body)


def test_a_code_with_its_check_character_is_valid_and_any_other_is_not():
    body = "91120104MA0000001"
    right = uscc_check_char(body)
    assert is_valid_uscc(body + right)
    for wrong in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if wrong != right:
            assert not is_valid_uscc(body + wrong)


@pytest.mark.parametrize("code", [code for code in VALID_USCC if stdnum_uscc.is_valid(code)])
def test_licence_codes_are_accepted(code):
    assert is_valid_uscc(code)
    validate_uscc(code)  # no error


@pytest.mark.parametrize("code", [
    "91120104MA0000001",            # 17 characters
    "91120104MA00000012X",          # 19 characters
    "",
    " 91110000600037341L",          # as typed, not as written: the register strips it first
    "91110000600037341l",           # lower case
    "9111000060003734IL",           # I is not in the code's alphabet
    "91110000600037341O",
    None,
    911100006000373410,
])
def test_a_code_of_the_wrong_length_alphabet_or_type_is_refused(code):
    assert not is_valid_uscc(code)
    with pytest.raises(ValidationError) as refused:
        validate_uscc(code)
    assert refused.value.code == "invalid_uscc"
    assert refused.value.messages == [USCC_REFUSED]


@pytest.mark.parametrize("letter", "IOSVZ")
def test_the_letters_the_standard_leaves_out_are_refused_even_where_the_checksum_would_pass(letter):
    # stdnum alone maps unknown letters leniently in places; the code's own alphabet check refuses them
    code = "91120104MA000000" + letter
    assert not is_valid_uscc(code + "0") and not is_valid_uscc(code + uscc_check_char("91120104MA0000001"))


def test_the_register_cleans_a_typed_code_and_reports_a_wrong_one_under_its_field():
    errors = {}
    assert clean_uscc("  91110000600037341l ", errors) == "91110000600037341L"
    assert errors == {}
    assert clean_uscc("91110000600037341X", errors) == ""
    assert errors == {"uscc": [USCC_REFUSED]}
    assert clean_uscc(12345, errors, field="enterprise.uscc") == ""
    assert set(errors) == {"uscc", "enterprise.uscc"}


def test_cas_numbers_as_written_with_their_check_digit():
    assert is_valid_cas("7664-41-7")      # ammonia
    assert is_valid_cas("64-17-5")        # ethanol
    validate_cas("7732-18-5")             # water
    for wrong in ["7664-41-8", "7664417", "07664-41-7", "7664-41-7 ", "7664-4-17", "", None, 7664417]:
        assert not is_valid_cas(wrong), wrong
        with pytest.raises(ValidationError) as refused:
            validate_cas(wrong)
        assert refused.value.code == "invalid_cas" and refused.value.messages == [CAS_REFUSED]


@pytest.mark.parametrize("typed", ["1005", "UN1005", "un1005", "UN 1005", " un 1005 ", "Un1005"])
def test_a_un_number_is_its_four_digits_however_typed(typed):
    assert normalize_un(typed) == "1005"
    validate_un(typed)


@pytest.mark.parametrize("typed", ["0000", "UN0000", "100", "10055", "UNX005", "", "1O05", None, 1005])
def test_a_un_number_not_of_four_digits_or_all_zero_is_refused(typed):
    with pytest.raises(ValidationError) as refused:
        validate_un(typed)
    assert refused.value.code == "invalid_un" and refused.value.messages == [UN_REFUSED]


def test_normalize_un_gives_nothing_for_what_is_not_text():
    assert normalize_un(None) == "" and normalize_un(1005) == ""
    assert normalize_un("UN  ") == ""
