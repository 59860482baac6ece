"""Masking of personal data (PIPL; issue 17): ID numbers and phones shown or exported masked unless revealed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: The petitioner fields masked wherever a case is shown or exported; the full value needs personal.reveal.
MASKED_FIELDS = {"id_number": "身份证号码", "phone": "联系电话"}


def mask_id_number(value: str | None) -> str | None:
    """Region code and the last four kept, the birth date hidden.

    11010519491231002X → 110105********002X; a 15-digit number keeps 6 + 4 as well; other documents (passports …)
    keep their first and last two characters.
    """
    if not value:
        return None
    v = value.strip()
    if len(v) >= 12:
        return v[:6] + "*" * (len(v) - 10) + v[-4:]
    if len(v) > 4:
        return v[:2] + "*" * (len(v) - 4) + v[-2:]
    return "*" * len(v)


def mask_phone(value: str | None) -> str | None:
    """13800138000 → 138****8000; landlines keep the area code and the last four."""
    if not value:
        return None
    digits = value.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    keep_head = 3 if len(digits) >= 11 else max(len(digits) - 8, 1)
    return digits[:keep_head] + "*" * (len(digits) - keep_head - 4) + digits[-4:]


# An 18-digit ID number (last character a digit or X) or a mainland mobile number, not inside a longer run of digits
# (a case number's digits, a SHA-256 in hex are left alone).
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[0-9Xx](?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def scrub_text(text: str) -> str:
    """Free text written where no one reveals anything — a crash report, the log file — with every ID number and
    mobile number in it masked (an error message may quote the value typed)."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)) or "", text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)) or "", text)


def masked_person(person: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a person's fields with the ID number and the phone masked (other fields as they are)."""
    out = dict(person)
    if "id_number" in out:
        out["id_number"] = mask_id_number(out["id_number"])
    if "phone" in out:
        out["phone"] = mask_phone(out["phone"])
    return out


def check_reveal_reason(reason: str | None) -> str:
    """The stated reason for a full view: required, at least four characters, at most 200 (kept in the audit)."""
    text = " ".join((reason or "").split())
    if len(text) < 4:
        raise ValueError("查看完整身份证号和电话须说明理由（至少4个字）")
    if len(text) > 200:
        raise ValueError("理由不超过200字")
    return text
