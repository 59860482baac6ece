"""JSON typed or read as input, with the limits of issue 17: a number of thousands of digits or a document nested
100,000 deep is bad input with a Chinese reason, never a crash (the CLI's files, the window's 文书 JSON box)."""

from __future__ import annotations

import json
from typing import Any

MAX_JSON_DIGITS = 30  # no field of an input holds a longer number; thousands of digits are an attack, not data


class JsonInputError(ValueError):
    """The text is not acceptable JSON; `str()` is the Chinese reason (with the line and column when known)."""


def _number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_JSON_DIGITS:
        raise ValueError(f"数字过长（{len(text)} 位，最多 {MAX_JSON_DIGITS} 位）")
    return int(text)


def hostile_reason(exc: BaseException) -> str:
    return "嵌套层数过多" if isinstance(exc, RecursionError) else str(exc)


def decode_json(text: str) -> Any:
    """json.loads with the limits; JsonInputError (Chinese) for malformed or hostile text."""
    try:
        return json.loads(text, parse_int=_number)
    except json.JSONDecodeError as exc:
        raise JsonInputError(f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}") from None
    except (RecursionError, ValueError) as exc:
        raise JsonInputError(f"JSON 内容无法接受：{hostile_reason(exc)}") from None
