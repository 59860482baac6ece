"""`xinfang validate id|phone|uscc VALUE` — check one identifier; needs no database.

Output (``--json``): ``{"valid": bool, "errors": [...], "warnings": [...], "normalized": ...}`` plus, for ID numbers,
``birth_date`` (ISO), ``sex``, ``region_code`` and ``region_name`` (when the code is in the GB/T 2260 table);
for phone numbers ``kind`` (mobile/landline); for credit codes ``region_code``.
Exit code 0 whether or not the value is valid (it is a query); 2 only for malformed usage.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from xinfang_desktop.commands.base import Context, Result
from xinfang_desktop.core.credit_codes import validate_credit_code
from xinfang_desktop.core.id_numbers import validate_id_number
from xinfang_desktop.core.phone_numbers import LANDLINE, MOBILE, validate_phone
from xinfang_desktop.persistence.region_codes import known_region_codes, region_full_name

_KIND_LABELS = {MOBILE: "手机", LANDLINE: "固定电话"}


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "validate", help="校验身份证号码、电话号码或统一社会信用代码", description="校验一个号码（不需要数据库）"
    )
    kinds = parser.add_subparsers(dest="validate_kind", metavar="KIND", required=True)
    for name, help_text, handler in (
        ("id", "居民身份证号码（18位，或15位旧号码）", _validate_id),
        ("phone", "手机或固定电话号码", _validate_phone),
        ("uscc", "统一社会信用代码（18位）", _validate_uscc),
    ):
        leaf = kinds.add_parser(name, help=help_text, description=help_text, parents=[common])
        leaf.add_argument("value", metavar="VALUE", help="要校验的号码")
        leaf.set_defaults(handler=handler)


def _text(title: str, value: str, data: dict[str, Any], extra: list[str]) -> str:
    lines = [f"{title}：{value}", "结果：" + ("有效" if data["valid"] else "无效")]
    if data.get("normalized") and data["normalized"] != value:
        lines.append(f"规范写法：{data['normalized']}")
    lines += extra
    lines += [f"错误：{e}" for e in data["errors"]]
    lines += [f"提示：{w}" for w in data["warnings"]]
    return "\n".join(lines)


def _validate_id(ctx: Context) -> Result:
    value: str = ctx.args.value
    result = validate_id_number(value, today=date.today(), known_region_codes=known_region_codes())
    data: dict[str, Any] = {
        "valid": result.valid,
        "errors": list(result.errors),
        "warnings": list(result.warnings),
        "normalized": result.normalized,
        "birth_date": result.birth_date.isoformat() if result.birth_date else None,
        "sex": result.sex,
        "region_code": result.region_code,
    }
    name = region_full_name(result.region_code) if result.region_code else None
    if name:
        data["region_name"] = name
    extra: list[str] = []
    if data["birth_date"]:
        extra.append(f"出生日期：{data['birth_date']}")
    if result.sex:
        extra.append(f"性别：{result.sex}")
    if result.region_code:
        extra.append(f"地址码：{result.region_code}" + (f"（{name}）" if name else ""))
    return Result(data, _text("身份证号码", value, data, extra))


def _validate_phone(ctx: Context) -> Result:
    value: str = ctx.args.value
    result = validate_phone(value)
    data: dict[str, Any] = {
        "valid": result.valid,
        "errors": list(result.errors),
        "warnings": list(result.warnings),
        "normalized": result.normalized,
        "kind": result.kind,
    }
    extra = [f"类型：{_KIND_LABELS[result.kind]}"] if result.kind else []
    return Result(data, _text("电话号码", value, data, extra))


def _validate_uscc(ctx: Context) -> Result:
    value: str = ctx.args.value
    result = validate_credit_code(value, known_region_codes=known_region_codes())
    data: dict[str, Any] = {
        "valid": result.valid,
        "errors": list(result.errors),
        "warnings": list(result.warnings),
        "normalized": result.normalized,
        "region_code": result.region_code,
    }
    name = region_full_name(result.region_code) if result.region_code else None
    if name:
        data["region_name"] = name
    extra = (
        [f"登记管理机关行政区划码：{result.region_code}" + (f"（{name}）" if name else "")]
        if result.region_code
        else []
    )
    return Result(data, _text("统一社会信用代码", value, data, extra))
