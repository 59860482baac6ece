"""Mobile and fixed-line number validator."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinfang_desktop.core.phone_numbers import LANDLINE, MOBILE, validate_phone


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("13800138000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("008613800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("14712345678", "14712345678"),
        ("16612345678", "16612345678"),
        ("19912345678", "19912345678"),
    ],
)
def test_valid_mobile_numbers(raw: str, normalized: str) -> None:
    result = validate_phone(raw)
    assert result.valid, result.errors
    assert result.kind == MOBILE
    assert result.normalized == normalized
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("12012345678", "第二位"),
        ("10012345678", "第二位"),
        ("1380013800", "11位"),
        ("138001380001", "11位"),
        ("13800138000转12", "分机"),
    ],
)
def test_invalid_mobile_numbers(raw: str, fragment: str) -> None:
    result = validate_phone(raw)
    assert not result.valid
    assert result.kind == MOBILE
    assert any(fragment in e for e in result.errors), result.errors


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("(010)12345678", "010-12345678"),
        ("（010）12345678", "010-12345678"),
        ("020 8765 4321", "020-87654321"),
        ("0755-1234567", "0755-1234567"),
        ("075512345678", "0755-12345678"),
        ("+86 10 12345678", "010-12345678"),
        ("+86-755-12345678", "0755-12345678"),
        ("010-12345678-123", "010-12345678-123"),
        ("010-12345678转123", "010-12345678-123"),
        ("0755-1234567 ext. 8", "0755-1234567-8"),
    ],
)
def test_valid_landlines(raw: str, normalized: str) -> None:
    result = validate_phone(raw)
    assert result.valid, result.errors
    assert result.kind == LANDLINE
    assert result.normalized == normalized
    assert result.warnings == ()


@pytest.mark.parametrize("raw", ["12345678", "8765432", "8765-4321"])
def test_bare_local_number_is_accepted_with_a_warning(raw: str) -> None:
    result = validate_phone(raw)
    assert result.valid
    assert result.kind == LANDLINE
    assert any("区号" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "不能为空"),
        ("  ", "不能为空"),
        ("abc", "数字"),
        ("138OO138000", "数字"),
        ("010-1234", "7–8位"),
        ("010-123456789", "7–8位"),
        ("010-0123456", "不能以 0 开头"),
        ("00-12345678", "区号"),
        ("234567", "有效"),
        ("123456", "11位"),
        ("1" * 10_000_000, "过长"),
        ("138\x0000138000", "数字"),
    ],
)
def test_invalid_numbers(raw: str, fragment: str) -> None:
    result = validate_phone(raw)
    assert not result.valid
    assert any(fragment in e for e in result.errors), result.errors


@given(st.integers(min_value=3, max_value=9), st.integers(min_value=0, max_value=10**9 - 1))
def test_any_mobile_segment_13_to_19_is_valid(second: int, rest: int) -> None:
    number = f"1{second}{rest:09d}"
    for raw in (number, f"+86 {number[:3]} {number[3:7]} {number[7:]}", f"0086-{number}"):
        result = validate_phone(raw)
        assert result.valid and result.kind == MOBILE and result.normalized == number


@given(st.text(max_size=40))
def test_never_raises(text: str) -> None:
    result = validate_phone(text)
    assert result.valid == (not result.errors)
