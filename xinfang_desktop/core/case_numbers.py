"""Case numbers: readable, per-year, with the office prefix; the format is a setting."""

from __future__ import annotations

import string

from xinfang_desktop.core.errors import DomainError

DEFAULT_PREFIX = "XF"
DEFAULT_FORMAT = "{prefix}{year}-{seq:06d}"
_ALLOWED_FIELDS = {"prefix", "year", "seq"}


def check_format(fmt: str) -> None:
    """Refuse a number format that names unknown fields or lacks the year or the sequence."""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(fmt) if name is not None}
    except ValueError as exc:
        raise DomainError(f"编号格式无效：{exc}", field="case_number_format") from None
    unknown = fields - _ALLOWED_FIELDS
    if unknown:
        raise DomainError(f"编号格式含未知字段：{'、'.join(sorted(unknown))}", field="case_number_format")
    if not {"year", "seq"} <= fields:
        raise DomainError("编号格式必须包含 {year} 和 {seq}，否则编号可能重复", field="case_number_format")


def format_case_number(seq: int, year: int, prefix: str = DEFAULT_PREFIX, fmt: str = DEFAULT_FORMAT) -> str:
    check_format(fmt)
    return fmt.format(prefix=prefix, year=year, seq=seq)
