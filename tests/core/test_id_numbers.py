"""居民身份证号码 validator (GB 11643): vectors from research/reliability.md §2.4 and hypothesis properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinfang_desktop.core.id_numbers import (
    EARLIEST_BIRTH_DATE,
    convert_15_to_18,
    id_check_char,
    normalize_id_number,
    validate_id_number,
)

TODAY = date(2026, 11, 22)
KNOWN = frozenset({"110105", "110111", "440524"})


@pytest.mark.parametrize(
    ("number", "born", "sex", "region"),
    [
        ("11010519491231002X", date(1949, 12, 31), "女", "110105"),
        ("440524188001010014", date(1880, 1, 1), "男", "440524"),
        # 房山区 (110111) was created in 1986, after this holder was born: still valid (python-stdnum rejects it).
        ("110111195001011231", date(1950, 1, 1), "男", "110111"),
    ],
)
def test_known_valid_vectors(number: str, born: date, sex: str, region: str) -> None:
    result = validate_id_number(number, today=TODAY, known_region_codes=KNOWN)
    assert result.valid, result.errors
    assert result.errors == ()
    assert result.normalized == number
    assert result.birth_date == born
    assert result.sex == sex
    assert result.region_code == region


def test_lower_case_x_and_full_width_digits_are_normalised() -> None:
    for raw in ("11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ", " 110105 19491231 002x "):
        result = validate_id_number(raw, today=TODAY)
        assert result.valid, (raw, result.errors)
        assert result.normalized == "11010519491231002X"
    assert normalize_id_number("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"


def test_wrong_check_digit_is_an_error() -> None:
    result = validate_id_number("110105194912310021", today=TODAY)
    assert not result.valid
    assert any("校验位" in e for e in result.errors)
    assert result.birth_date == date(1949, 12, 31)  # still read out for the clerk


def test_unknown_region_code_is_only_a_warning() -> None:
    first17 = "99999919800101001"
    number = first17 + id_check_char(first17)
    result = validate_id_number(number, today=TODAY, known_region_codes=KNOWN)
    assert result.valid
    assert result.errors == ()
    assert any("999999" in w for w in result.warnings)
    # Without a table, no region check at all.
    assert validate_id_number(number, today=TODAY).warnings == ()


def _with_check(first17: str) -> str:
    return first17 + id_check_char(first17)


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("", "不能为空"),
        ("   ", "不能为空"),
        ("1101051949123100", "长度"),
        ("1101051949123100211", "长度"),
        ("11010519491231002Y", "数字"),
        ("1101051949123100X2", "数字"),
        ("11010519491231٠٠2X", "数字"),  # Arabic-Indic digits are not ASCII digits
        (_with_check("11010519490230001"), "不是有效日期"),  # 30 February
        (_with_check("11010519491301001"), "不是有效日期"),
        (_with_check("11010518000101001"), "早于"),
        (_with_check("11010520261123001"), "晚于今天"),  # tomorrow
        ("1" * 10_000_000, "长度"),
        ("11010519491231002\x00", "数字"),
        ("1101051949123100\ud8002", "数字"),
    ],
)
def test_invalid_numbers(number: str, fragment: str) -> None:
    result = validate_id_number(number, today=TODAY)
    assert not result.valid
    assert any(fragment in e for e in result.errors), result.errors


def test_birth_today_is_fine_and_very_old_warns() -> None:
    assert validate_id_number(_with_check("11010520261122001"), today=TODAY).valid
    old = validate_id_number("440524188001010014", today=TODAY)
    assert old.valid and any("请核对" in w for w in old.warnings)


def test_fifteen_digit_number_is_converted() -> None:
    result = validate_id_number("110105491231002", today=TODAY)
    assert result.valid
    assert result.converted_from_15
    assert result.normalized == "11010519491231002X" == convert_15_to_18("110105491231002")
    assert result.birth_date == date(1949, 12, 31)
    assert result.sex == "女"
    assert any("11010519491231002X" in w for w in result.warnings)


def test_fifteen_digit_number_with_bad_date_or_letters() -> None:
    assert not validate_id_number("110105491331002", today=TODAY).valid
    assert not validate_id_number("11010549123100X", today=TODAY).valid


@pytest.mark.parametrize("bad", ["", "123", "1234567890123456X", "１２３"])
def test_helpers_refuse_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        id_check_char(bad)
    with pytest.raises(ValueError):
        convert_15_to_18(bad)


# --- properties ---

regions = st.sampled_from(sorted(KNOWN))
birth_dates = st.dates(min_value=EARLIEST_BIRTH_DATE, max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    first17 = draw(regions) + draw(birth_dates).strftime("%Y%m%d") + draw(sequences)
    return first17 + id_check_char(first17)


@given(valid_ids())
def test_generated_valid_id_always_validates(number: str) -> None:
    result = validate_id_number(number, today=TODAY, known_region_codes=KNOWN)
    assert result.valid, result.errors
    assert result.normalized == number
    assert result.sex == ("男" if int(number[16]) % 2 else "女")


@given(valid_ids(), st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_changing_one_character_always_fails_the_checksum(number: str, position: int, shift: int) -> None:
    alphabet = "0123456789X" if position == 17 else "0123456789"
    old = number[position]
    new = alphabet[(alphabet.index(old) + shift) % len(alphabet)]
    if new == old:
        return
    mutated = number[:position] + new + number[position + 1 :]
    result = validate_id_number(mutated, today=TODAY)
    assert not result.valid
    assert any("校验位" in e for e in result.errors)


@given(st.text(max_size=40))
def test_never_raises(text: str) -> None:
    result = validate_id_number(text, today=TODAY, known_region_codes=KNOWN)
    assert result.valid == (not result.errors)


@given(birth_dates.filter(lambda d: d.year >= 1900 and d.year <= 1999), regions, sequences)
def test_fifteen_and_eighteen_agree(born: date, region: str, seq: str) -> None:
    old = region + born.strftime("%y%m%d") + seq
    result = validate_id_number(old, today=TODAY)
    assert result.valid
    assert validate_id_number(result.normalized, today=TODAY).birth_date == born


def test_future_relative_to_today() -> None:
    tomorrow = TODAY + timedelta(days=1)
    number = _with_check("110105" + tomorrow.strftime("%Y%m%d") + "001")
    assert not validate_id_number(number, today=TODAY).valid
    assert validate_id_number(number, today=tomorrow).valid
