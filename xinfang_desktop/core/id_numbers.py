"""居民身份证号码 (GB 11643-1999): 18-digit numbers and the old 15-digit ones.

Hard errors: length, characters, birth date (real, not after `today`, not before EARLIEST_BIRTH_DATE) and the
ISO 7064 MOD 11-2 check character. The region code is only checked against an optional set of known GB/T 2260
codes, and an unknown one is a warning: codes are historical, and a number keeps the code of the county that
issued it even after the county was renamed or merged. Pure function; `today` is passed in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

__all__ = [
    "EARLIEST_BIRTH_DATE",
    "OLD_AGE_WARNING_YEARS",
    "IdNumberResult",
    "convert_15_to_18",
    "id_check_char",
    "normalize_id_number",
    "validate_id_number",
]

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # index: weighted sum mod 11
EARLIEST_BIRTH_DATE = date(1850, 1, 1)
"""Older birth dates are refused: nobody alive when IDs were first issued (1984) was born before this."""
OLD_AGE_WARNING_YEARS = 120
"""A holder older than this (at `today`) is accepted with a warning to double-check the birth date."""
_DIGITS = frozenset("0123456789")
_MAX_INPUT = 64  # longer input is refused before normalising (a 10 MB paste must stay cheap)


@dataclass(frozen=True, slots=True)
class IdNumberResult:
    """Outcome of validating one ID number; `errors` and `warnings` are Chinese sentences.

    `normalized` is the 18-digit form (a valid 15-digit number is converted); `birth_date`, `sex` and
    `region_code` are filled whenever they can be read from the number, even when it is invalid — consult `valid`.
    """

    valid: bool
    normalized: str
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    birth_date: date | None = None
    sex: str | None = None  # "男" / "女"
    region_code: str | None = None
    converted_from_15: bool = False


def normalize_id_number(value: str) -> str:
    """NFKC (full-width digits → ASCII), drop all whitespace, lower-case x → X."""
    text = unicodedata.normalize("NFKC", value)
    return "".join(text.split()).upper()


def id_check_char(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not set(first17) <= _DIGITS:
        raise ValueError("id_check_char needs exactly 17 ASCII digits")
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def convert_15_to_18(id15: str) -> str:
    """Old 15-digit number → 18 digits: insert the century 19 before YYMMDD and append the check character."""
    if len(id15) != 15 or not set(id15) <= _DIGITS:
        raise ValueError("convert_15_to_18 needs exactly 15 ASCII digits")
    first17 = id15[:6] + "19" + id15[6:]
    return first17 + id_check_char(first17)


def _parse_birth_date(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _check_birth_date(born: date | None, raw: str, today: date, errors: list[str], warnings: list[str]) -> None:
    if born is None:
        errors.append(f"出生日期 {raw} 不是有效日期")
    elif born > today:
        errors.append(f"出生日期 {born.isoformat()} 晚于今天")
    elif born < EARLIEST_BIRTH_DATE:
        errors.append(f"出生日期 {born.isoformat()} 早于 {EARLIEST_BIRTH_DATE.year} 年，不可能")
    else:
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age > OLD_AGE_WARNING_YEARS:
            warnings.append(f"出生日期 {born.isoformat()}（{age} 岁），请核对")


def _check_region(code: str, known: Collection[str] | None, warnings: list[str]) -> None:
    if known is not None and code not in known:
        warnings.append(f"地址码 {code} 不在行政区划代码表中（可能是撤销或更名前的旧代码），请核对")


def validate_id_number(
    value: str,
    *,
    today: date,
    known_region_codes: Collection[str] | None = None,
) -> IdNumberResult:
    """Validate an 18-digit or old 15-digit 居民身份证号码. Never raises on any `str` input."""
    if not isinstance(value, str):
        return IdNumberResult(valid=False, normalized="", errors=("应为文本",))
    if len(value) > _MAX_INPUT:
        return IdNumberResult(valid=False, normalized="", errors=(f"长度应为18位，实际为{len(value)}个字符",))
    text = normalize_id_number(value)
    errors: list[str] = []
    warnings: list[str] = []
    if not text:
        return IdNumberResult(valid=False, normalized="", errors=("不能为空",))

    if len(text) == 15:
        if not set(text) <= _DIGITS:
            errors.append("15位旧号码只能由数字组成")
            return IdNumberResult(valid=False, normalized=text, errors=tuple(errors))
        region, raw_date, seq = text[:6], "19" + text[6:12], text[12:15]
        born = _parse_birth_date(raw_date)
        _check_birth_date(born, raw_date, today, errors, warnings)
        _check_region(region, known_region_codes, warnings)
        sex = "男" if int(seq[2]) % 2 else "女"
        if errors:
            return IdNumberResult(False, text, tuple(errors), tuple(warnings), born, sex, region)
        converted = convert_15_to_18(text)
        warnings.insert(0, f"15位旧号码，已转换为18位：{converted}")
        return IdNumberResult(True, converted, (), tuple(warnings), born, sex, region, converted_from_15=True)

    if len(text) != 18:
        errors.append(f"长度应为18位（旧号码15位），实际为{len(text)}位")
        return IdNumberResult(valid=False, normalized=text, errors=tuple(errors))
    if not set(text[:17]) <= _DIGITS or not (text[17] in _DIGITS or text[17] == "X"):
        errors.append("只能由数字组成，最后一位可以是 X")
        return IdNumberResult(valid=False, normalized=text, errors=tuple(errors))

    region, raw_date, seq = text[:6], text[6:14], text[14:17]
    born = _parse_birth_date(raw_date)
    _check_birth_date(born, raw_date, today, errors, warnings)
    if id_check_char(text[:17]) != text[17]:
        errors.append("校验位不符，请逐位核对号码")
    _check_region(region, known_region_codes, warnings)
    sex = "男" if int(seq[2]) % 2 else "女"
    return IdNumberResult(not errors, text, tuple(errors), tuple(warnings), born, sex, region)
