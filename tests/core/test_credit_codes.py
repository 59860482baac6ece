"""统一社会信用代码 validator (GB 32100): vectors from research/reliability.md §2.4 and a generator round-trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinfang_desktop.core.credit_codes import (
    CHARSET,
    credit_code_check_char,
    validate_credit_code,
)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",
        # Codes starting with N (农业农村 organisations) and Y (other authorities): python-stdnum rejects these.
        "N2110105MA0000001H",
        "Y1110105MA0000001C",
    ],
)
def test_known_valid_vectors(code: str) -> None:
    result = validate_credit_code(code)
    assert result.valid, result.errors
    assert result.normalized == code
    assert result.region_code == code[2:8]
    assert credit_code_check_char(code[:17]) == code[17]


def test_check_char_computed_by_the_formula() -> None:
    # (31 − Σ cᵢ·wᵢ mod 31) mod 31, worked by hand for the vectors above.
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    for code in ("91350100M000100Y43", "N2110105MA0000001H", "Y1110105MA0000001C"):
        total = sum(CHARSET.index(c) * w for c, w in zip(code[:17], weights, strict=True))
        assert CHARSET[(31 - total % 31) % 31] == code[17]


def test_lower_case_and_full_width_are_normalised() -> None:
    for raw in ("91350100m000100y43", "９１３５０１００Ｍ０００１００Ｙ４３", " 9135 0100 M000 100Y 43 "):
        result = validate_credit_code(raw)
        assert result.valid, (raw, result.errors)
        assert result.normalized == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("", "不能为空"),
        ("91350100M000100Y4", "长度"),
        ("91350100M000100Y4Z", "不允许的字符"),  # Z is not in the charset (reliability.md: …Y4Z invalid)
        ("91350100M000100Y42", "校验位"),
        ("913501OOM000100Y43", "不允许的字符"),
        ("9135010IM000100Y43", "不允许的字符"),
        ("91350100M000100Y4\x00", "不允许的字符"),
        ("X" * 10_000_000, "长度"),
    ],
)
def test_invalid_codes(code: str, fragment: str) -> None:
    result = validate_credit_code(code)
    assert not result.valid
    assert any(fragment in e for e in result.errors), result.errors


def test_authority_and_region_positions() -> None:
    first17 = "B1350100M000100Y4"  # B is not a registration authority
    bad_authority = first17 + credit_code_check_char(first17)
    result = validate_credit_code(bad_authority)
    assert not result.valid and any("第1位" in e for e in result.errors)

    first17 = "9135A100M000100Y4"  # positions 3–8 must be digits
    bad_region = first17 + credit_code_check_char(first17)
    result = validate_credit_code(bad_region)
    assert not result.valid and any("第3–8位" in e for e in result.errors)


def test_unknown_region_is_a_warning() -> None:
    result = validate_credit_code("91350100M000100Y43", known_region_codes={"110105"})
    assert result.valid
    assert any("350100" in w for w in result.warnings)
    assert validate_credit_code("91350100M000100Y43", known_region_codes={"350100"}).warnings == ()


# --- properties ---

body_chars = st.sampled_from(CHARSET)


@st.composite
def valid_codes(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from("123456789ANY"))
    second = draw(st.sampled_from("123456789"))
    region = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=6, max_size=6)))
    body = "".join(draw(st.lists(body_chars, min_size=9, max_size=9)))
    first17 = first + second + region + body
    return first17 + credit_code_check_char(first17)


@given(valid_codes())
def test_generated_codes_round_trip(code: str) -> None:
    result = validate_credit_code(code)
    assert result.valid, result.errors
    assert result.normalized == code
    assert validate_credit_code(code.lower()).normalized == code


@given(valid_codes(), st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=30))
def test_changing_one_character_fails(code: str, position: int, shift: int) -> None:
    new = CHARSET[(CHARSET.index(code[position]) + shift) % 31]
    mutated = code[:position] + new + code[position + 1 :]
    assert not validate_credit_code(mutated).valid


@given(st.text(max_size=40))
def test_never_raises(text: str) -> None:
    result = validate_credit_code(text)
    assert result.valid == (not result.errors)
