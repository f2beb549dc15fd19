"""Known answers from outside the code: identifiers whose check digits were not
computed by the function under test, and fine ranges read in the law's text.

tests/factories.py builds every "valid" code with ``uscc_check_char``; if that
formula were wrong, the factories and the validator would agree with each
other and nothing would notice. These vectors break that circle. The working
days across the Spring Festival and the 调休 days of the 2026 notice are pinned
day by day in tests/test_calendar_years.py.
"""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import casrn
from stdnum.cn import uscc as stdnum_uscc

from cases.validators import USCC_ALPHABET, is_valid_cas, is_valid_uscc, uscc_check_char
from enforcement.models import Provision
from enforcement.penalties import check_amount

# Codes of well-known enterprises, as printed on their business licences (recalled,
# then each confirmed by python-stdnum's own implementation of GB 32100-2015, which a
# wrong code passes with a chance of 1 in 31), and the example of stdnum's documentation.
KNOWN_USCC = [
    "91110000600037341L",  # python-stdnum's documented example
    "914403001922038216",  # 华为技术有限公司
    "91110108551385082Q",  # 北京小米科技有限责任公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
]

# CAS registry numbers of common hazardous chemicals (GB 30000 / 危险化学品目录 list them).
KNOWN_CAS = {
    "7664-41-7": "氨", "7732-18-5": "水", "64-17-5": "乙醇", "67-56-1": "甲醇", "7647-01-0": "氯化氢",
    "7664-93-9": "硫酸", "1333-74-0": "氢", "74-82-8": "甲烷", "7782-50-5": "氯", "50-00-0": "甲醛",
    "71-43-2": "苯", "108-88-3": "甲苯", "7697-37-2": "硝酸", "1310-73-2": "氢氧化钠", "74-86-2": "乙炔",
    "7783-06-4": "硫化氢",
}


@pytest.mark.parametrize("code", KNOWN_USCC)
def test_a_known_credit_code_is_valid_and_its_check_character_is_the_one_printed(code):
    assert stdnum_uscc.is_valid(code), "the vector itself is wrong"
    assert is_valid_uscc(code)
    assert uscc_check_char(code[:17]) == code[17]


@pytest.mark.parametrize("code", KNOWN_USCC)
def test_a_known_credit_code_with_any_other_check_character_is_refused(code):
    for other in USCC_ALPHABET.replace(code[17], ""):
        assert not is_valid_uscc(code[:17] + other), other


def test_a_credit_code_in_lower_case_or_with_letters_outside_the_alphabet_is_refused():
    assert not is_valid_uscc("9144030071526726xg")  # as written on a form, not normalised here
    assert not is_valid_uscc("9144030071526726IG")  # I, O, S, V, Z are not in the code's alphabet
    assert not is_valid_uscc("91440300192203821")  # 17 characters


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17).filter(lambda body: body[:8].isdigit()))
def test_the_factories_check_character_agrees_with_an_independent_implementation(body):
    assert uscc_check_char(body) == stdnum_uscc.calc_check_digit(body)


@pytest.mark.parametrize("number", sorted(KNOWN_CAS))
def test_a_known_cas_number_is_valid_and_one_digit_off_is_not(number):
    assert casrn.is_valid(number), "the vector itself is wrong"
    assert is_valid_cas(number)
    body, check = number.rsplit("-", 1)
    assert not is_valid_cas(f"{body}-{(int(check) + 1) % 10}")


# 危险化学品安全管理条例（2013年修订）, read in its published text: article, lowest and highest fine (元).
LAW_RANGES = {
    "hcsr-75": (200_000, 500_000),  # 第七十五条 二十万元以上五十万元以下
    "hcsr-76": (500_000, 1_000_000),  # 第七十六条 五十万元以上一百万元以下
    "hcsr-77-2": (100_000, 200_000),  # 第七十七条第二款 十万元以上二十万元以下
    "hcsr-78": (0, 50_000),  # 第七十八条 五万元以下
    "hcsr-80": (50_000, 100_000),  # 第八十条 五万元以上十万元以下
}


@pytest.mark.parametrize("code", sorted(LAW_RANGES))
def test_a_fine_is_accepted_on_the_laws_bounds_and_refused_one_yuan_outside(code):
    low, high = LAW_RANGES[code]
    provision = Provision.objects.get(code=code)
    assert (provision.fine_min, provision.fine_max) == (low, high)
    assert check_amount(provision, Decimal(low)) is None
    assert check_amount(provision, Decimal(high)) is None
    assert check_amount(provision, Decimal(high + 1)) is not None
    if low:
        assert check_amount(provision, Decimal(low - 1)) is not None
    assert check_amount(provision, Decimal(-1)) is not None
