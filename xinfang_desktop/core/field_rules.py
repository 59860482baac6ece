"""Checks of single intake fields. Each returns a list of FieldProblem (empty when the value is fine).

Every problem carries the field's key, its Chinese label and a Chinese reason, so ``str(problem)`` reads
e.g. "信访人姓名：不能为空". The caps are constants here and nowhere else. Pure functions; `today` is passed in.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from xinfang_desktop.core.credit_codes import validate_credit_code
from xinfang_desktop.core.errors import FieldProblem
from xinfang_desktop.core.id_numbers import validate_id_number
from xinfang_desktop.core.phone_numbers import validate_phone

__all__ = [
    "ADDRESS_MAX",
    "EARLIEST_DATE",
    "HEADCOUNT_MAX",
    "NAME_MAX",
    "REPRESENTATIVES_MAX",
    "SUMMARY_MAX",
    "check_address",
    "check_credit_code",
    "check_date",
    "check_headcount",
    "check_id_number",
    "check_name",
    "check_phone",
    "check_representatives",
    "check_summary",
    "check_text",
    "parse_date",
]

# --- caps (characters, counted as Unicode code points) ---
NAME_MAX = 50
ADDRESS_MAX = 200
SUMMARY_MAX = 5000
HEADCOUNT_MAX = 100_000
REPRESENTATIVES_MAX = 5  # R-CL-02: a group elects at most 5 representatives (信访工作条例 art. 20)
EARLIEST_DATE = date(1949, 10, 1)

# Unicode category Cc is exactly U+0000–U+001F and U+007F–U+009F.
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _describe(char: str) -> str:
    names = {"\x00": "空字符", "\t": "制表符", "\n": "换行", "\r": "回车", "\u2028": "行分隔符", "\u2029": "段分隔符"}
    code = f"U+{ord(char):04X}"
    return f"{names[char]}（{code}）" if char in names else code


def check_text(
    field: str,
    label: str,
    value: object,
    *,
    max_length: int,
    required: bool = True,
    multiline: bool = False,
) -> list[FieldProblem]:
    """A text field: type, non-empty (after trimming) when required, length cap, no control characters.

    One-line fields allow no control characters at all (nor U+2028/U+2029); multi-line text allows \\n, \\r, \\t.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return [FieldProblem(field, label, "不能为空")] if required else []
    if not isinstance(value, str):
        return [FieldProblem(field, label, "应为文本")]
    problems: list[FieldProblem] = []
    length = len(value.strip())
    if length > max_length:
        problems.append(FieldProblem(field, label, f"不能超过{max_length}字（现为{length}字）"))
    control = (_CONTROL_MULTI_LINE if multiline else _CONTROL_ONE_LINE).search(value)
    if control:
        problems.append(FieldProblem(field, label, f"含有控制字符 {_describe(control.group())}"))
    if _SURROGATE.search(value):
        problems.append(FieldProblem(field, label, "含有无效的字符编码（孤立代理项）"))
    return problems


def check_name(value: object, field: str = "petitioner.name", label: str = "信访人姓名") -> list[FieldProblem]:
    return check_text(field, label, value, max_length=NAME_MAX)


def check_address(
    value: object, field: str = "petitioner.address", label: str = "住址", *, required: bool = False
) -> list[FieldProblem]:
    return check_text(field, label, value, max_length=ADDRESS_MAX, required=required)


def check_summary(value: object, field: str = "summary", label: str = "信访事项内容") -> list[FieldProblem]:
    return check_text(field, label, value, max_length=SUMMARY_MAX, multiline=True)


def parse_date(
    field: str, label: str, value: object, *, today: date, required: bool = True
) -> tuple[date | None, list[FieldProblem]]:
    """A YYYY-MM-DD date, not after `today` and not before 1949-10-01; (date or None, problems)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ([FieldProblem(field, label, "不能为空")] if required else [])
    if isinstance(value, date):
        parsed: date = value
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip(), re.ASCII):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            return None, [FieldProblem(field, label, f"“{value.strip()}”不是有效日期")]
    else:
        shown = value if isinstance(value, str) and len(value) <= 40 else type(value).__name__
        return None, [FieldProblem(field, label, f"格式应为 YYYY-MM-DD（收到“{shown}”）")]
    if parsed > today:
        return None, [FieldProblem(field, label, f"不能晚于今天（{today.isoformat()}）")]
    if parsed < EARLIEST_DATE:
        return None, [FieldProblem(field, label, "不能早于1949年10月1日")]
    return parsed, []


def check_date(field: str, label: str, value: object, *, today: date, required: bool = True) -> list[FieldProblem]:
    return parse_date(field, label, value, today=today, required=required)[1]


def check_headcount(value: object, field: str = "headcount", label: str = "人数") -> list[FieldProblem]:
    """An integer from 1 to HEADCOUNT_MAX (a bool is not a number here)."""
    if value is None:
        return [FieldProblem(field, label, "不能为空")]
    if isinstance(value, bool) or not isinstance(value, int):
        return [FieldProblem(field, label, "应为整数")]
    if value < 1:
        return [FieldProblem(field, label, "至少为1人")]
    if value > HEADCOUNT_MAX:
        return [FieldProblem(field, label, f"不能超过{HEADCOUNT_MAX}人")]
    return []


def check_representatives(value: object, field: str = "representatives", label: str = "代表人") -> list[FieldProblem]:
    """A list (possibly empty or absent) of at most REPRESENTATIVES_MAX representatives (R-CL-02)."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        return [FieldProblem(field, label, "应为列表")]
    if len(value) > REPRESENTATIVES_MAX:
        return [FieldProblem(field, label, f"最多{REPRESENTATIVES_MAX}人（信访工作条例第二十条），现为{len(value)}人")]
    return []


def check_id_number(
    value: object,
    field: str = "petitioner.id_number",
    label: str = "身份证号码",
    *,
    today: date,
    known_region_codes: Collection[str] | None = None,
    required: bool = False,
) -> list[FieldProblem]:
    """Errors of validate_id_number as problems (its warnings are not problems: show them separately)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return [FieldProblem(field, label, "不能为空")] if required else []
    if not isinstance(value, str):
        return [FieldProblem(field, label, "应为文本")]
    result = validate_id_number(value, today=today, known_region_codes=known_region_codes)
    return [FieldProblem(field, label, reason) for reason in result.errors]


def check_phone(
    value: object, field: str = "petitioner.phone", label: str = "联系电话", *, required: bool = False
) -> list[FieldProblem]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return [FieldProblem(field, label, "不能为空")] if required else []
    if not isinstance(value, str):
        return [FieldProblem(field, label, "应为文本")]
    return [FieldProblem(field, label, reason) for reason in validate_phone(value).errors]


def check_credit_code(
    value: object, field: str = "credit_code", label: str = "统一社会信用代码", *, required: bool = False
) -> list[FieldProblem]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return [FieldProblem(field, label, "不能为空")] if required else []
    if not isinstance(value, str):
        return [FieldProblem(field, label, "应为文本")]
    return [FieldProblem(field, label, reason) for reason in validate_credit_code(value).errors]
