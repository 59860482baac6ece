"""Telephone numbers of mainland China: mobile (1[3-9] + 9 digits) and fixed lines (area code + local number).

No carrier segment list: segments change, so any 11-digit number starting 13–19 is accepted as a mobile number.
Fixed lines: area code 0 + 2 digits (010, 020–029) or 0 + 3 digits (all others), a 7–8 digit local number and an
optional extension of 1–6 digits. A bare 7–8 digit local number is accepted with a warning (the area code is missing).
Pure function.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["LANDLINE", "MOBILE", "PhoneResult", "validate_phone"]

MOBILE = "mobile"
LANDLINE = "landline"

_MAX_INPUT = 64
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_EXT_KEYWORD_RE = re.compile(r"^(?P<main>.*?)\s*(?:转|分机|ext\.?|x|#|,)\s*(?P<ext>\d{1,6})$", re.IGNORECASE)
_SEPARATORS_RE = re.compile(r"[\s\-‐‑‒–—―.·]+")  # spaces, hyphens and dashes, dots
_PAREN_AREA_RE = re.compile(r"^\((?P<area>0?\d{2,3})\)")
_ASCII_DIGITS = re.compile(r"\d+", re.ASCII)


@dataclass(frozen=True, slots=True)
class PhoneResult:
    """Outcome of validating one phone number; `errors` and `warnings` are Chinese sentences.

    `normalized`: mobile ``13800138000``; fixed line ``010-12345678`` or ``0755-1234567-123`` (with extension);
    bare local number ``12345678``.
    """

    valid: bool
    kind: str | None  # MOBILE / LANDLINE / None when it cannot be told
    normalized: str
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _area_code_length(digits: str) -> int:
    """Length of the area code at the start of `digits` (which starts with 0): 3 for 010 and 02x, else 4."""
    return 3 if digits[1] in "12" else 4


def _landline(area: str, local: str, ext: str) -> PhoneResult:
    normalized = f"{area}-{local}" + (f"-{ext}" if ext else "")
    errors: list[str] = []
    if not 3 <= len(area) <= 4 or area[1] == "0":
        errors.append(f"区号 {area} 无效（应为 0 加 2–3 位数字）")
    if not 7 <= len(local) <= 8:
        errors.append(f"固定电话号码应为7–8位，实际为{len(local)}位")
    elif local[0] == "0":
        errors.append("固定电话号码（区号之后）不能以 0 开头")
    return PhoneResult(not errors, LANDLINE, normalized, tuple(errors))


def validate_phone(value: str) -> PhoneResult:
    """Validate a mobile or fixed-line number. Never raises on any `str` input."""
    if not isinstance(value, str):
        return PhoneResult(False, None, "", ("应为文本",))
    if len(value) > _MAX_INPUT:
        return PhoneResult(False, None, "", (f"过长（{len(value)}个字符），不是电话号码",))
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return PhoneResult(False, None, "", ("不能为空",))

    ext = ""
    match = _EXT_KEYWORD_RE.match(text)
    if match:
        text, ext = match.group("main"), match.group("ext")

    country = False
    compact = _SEPARATORS_RE.sub(" ", text).strip()
    for prefix in ("+86", "0086", "(+86)", "(86)"):
        if compact.startswith(prefix):
            compact, country = compact[len(prefix) :].strip(), True
            break

    paren = _PAREN_AREA_RE.match(compact.replace(" ", ""))
    groups = compact.split(" ") if compact else []
    if paren:  # (010)12345678
        area = paren.group("area")
        rest = compact.replace(" ", "")[paren.end() :]
        groups = [area if area.startswith("0") else "0" + area, rest]
    digits = "".join(groups)
    if not digits or _ASCII_DIGITS.fullmatch(digits) is None:
        return PhoneResult(False, None, digits, ("只能包含数字（可带空格、短横线、+86 前缀或分机号）",))

    # "010 1234 5678 123" style: a trailing short group after a complete fixed-line number is the extension.
    if not ext and len(groups) >= 3 and groups[0].startswith("0") and 1 <= len(groups[-1]) <= 6:
        head = "".join(groups[:-1])
        if head.startswith("0") and len(head) - _area_code_length(head) in (7, 8):
            digits, ext = head, groups[-1]

    if not country and len(digits) == 13 and digits.startswith("86") and _MOBILE_RE.fullmatch(digits[2:]):
        digits = digits[2:]  # 8613800138000: country code without + or 00
    if _MOBILE_RE.fullmatch(digits):
        if ext:
            return PhoneResult(False, MOBILE, digits, ("手机号码不能带分机号",))
        return PhoneResult(True, MOBILE, digits)
    if digits.startswith("1") and len(digits) not in (7, 8) and not (country and len(digits) in (9, 10)):
        if len(digits) != 11:
            return PhoneResult(False, MOBILE, digits, (f"手机号码应为11位，实际为{len(digits)}位",))
        return PhoneResult(False, MOBILE, digits, ("手机号码第二位应为 3–9",))

    if country and not digits.startswith("0"):  # +86 10 12345678: the trunk prefix 0 is dropped abroad
        digits = "0" + digits
    if digits.startswith("0"):
        if len(digits) < 3:
            return PhoneResult(False, LANDLINE, digits, ("号码过短",))
        cut = _area_code_length(digits)
        return _landline(digits[:cut], digits[cut:], ext)
    if len(digits) in (7, 8):
        normalized = digits + (f"-{ext}" if ext else "")
        return PhoneResult(True, LANDLINE, normalized, (), ("固定电话缺少区号，请补充区号",))
    return PhoneResult(
        False, None, digits, (f"不是有效的电话号码（手机11位，固定电话为区号加7–8位号码），实际为{len(digits)}位数字",)
    )
