"""统一社会信用代码 (GB 32100-2015): 18 characters, check character by weighted sum mod 31.

Position 1 is the registration authority (1–9, and A, N, Y — e.g. N for 农业农村 village collective organisations,
which some libraries wrongly reject), position 2 the category, positions 3–8 the GB/T 2260 region code (digits),
9–17 the organisation identifier, 18 the check character. Pure function.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

__all__ = ["CHARSET", "CreditCodeResult", "credit_code_check_char", "normalize_credit_code", "validate_credit_code"]

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 code characters; the index of a character is its value (I, O, Z, S, V are not used)."""
_VALUES = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
AUTHORITIES = frozenset("123456789ANY")
_DIGITS = frozenset("0123456789")
_MAX_INPUT = 64


@dataclass(frozen=True, slots=True)
class CreditCodeResult:
    """Outcome of validating one credit code; `errors` and `warnings` are Chinese sentences."""

    valid: bool
    normalized: str
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    region_code: str | None = None


def normalize_credit_code(value: str) -> str:
    """NFKC (full-width → ASCII), drop whitespace, upper-case."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def credit_code_check_char(first17: str) -> str:
    """The check character for the first 17 characters: (31 − Σ cᵢ·wᵢ mod 31) mod 31."""
    if len(first17) != 17 or any(c not in _VALUES for c in first17):
        raise ValueError("credit_code_check_char needs 17 characters from CHARSET")
    total = sum(_VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str, *, known_region_codes: Collection[str] | None = None) -> CreditCodeResult:
    """Validate a 统一社会信用代码. An unknown region code (positions 3–8) is a warning. Never raises on `str` input."""
    if not isinstance(value, str):
        return CreditCodeResult(False, "", ("应为文本",))
    if len(value) > _MAX_INPUT:
        return CreditCodeResult(False, "", (f"长度应为18位，实际为{len(value)}个字符",))
    text = normalize_credit_code(value)
    if not text:
        return CreditCodeResult(False, "", ("不能为空",))
    if len(text) != 18:
        return CreditCodeResult(False, text, (f"长度应为18位，实际为{len(text)}位",))
    bad = sorted({c for c in text if c not in _VALUES})
    if bad:
        shown = "、".join(bad)
        return CreditCodeResult(False, text, (f"含有不允许的字符：{shown}（不使用 I、O、Z、S、V）",))

    errors: list[str] = []
    warnings: list[str] = []
    if text[0] not in AUTHORITIES:
        errors.append(f"第1位登记管理部门代码 {text[0]} 无效（应为 1–9、A、N 或 Y）")
    if text[1] not in _DIGITS or text[1] == "0":
        warnings.append(f"第2位机构类别代码 {text[1]} 不常见，请核对")
    region = text[2:8]
    if not set(region) <= _DIGITS:
        errors.append("第3–8位登记管理机关行政区划码应为数字")
        region_code: str | None = None
    else:
        region_code = region
        if known_region_codes is not None and region not in known_region_codes:
            warnings.append(f"行政区划码 {region} 不在行政区划代码表中，请核对")
    if credit_code_check_char(text[:17]) != text[17]:
        errors.append("校验位不符，请逐位核对代码")
    return CreditCodeResult(not errors, text, tuple(errors), tuple(warnings), region_code)
