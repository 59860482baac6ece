"""The column mapping of an import: which column fills which field, one value for a field without a column, and how
each value of a code-table column is normalised. Proposed from the headers and the content; confirmed by the clerk;
saved as a named profile for the next file of the same shape; read from and written to JSON (`--mapping`)."""

from __future__ import annotations

from collections.abc import Mapping as AnyMapping
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from xinfang_desktop.core.errors import FieldProblem, ValidationError
from xinfang_desktop.core.importing.fields import (
    DEFAULTABLE_KEYS,
    FIELD_BY_KEY,
    IGNORE,
    REQUIRED_KEYS,
    field_for_header_loose,
)
from xinfang_desktop.core.importing.layout import guess_by_content
from xinfang_desktop.core.importing.rows import MappedRow

MAPPING_KEYS = frozenset({"header_row", "columns", "defaults", "values", "sheet"})


@dataclass
class ImportMapping:
    columns: dict[str, str] = field(default_factory=dict)  # header → field key (or "ignore")
    defaults: dict[str, str] = field(default_factory=dict)  # field key → one value for every row
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field → {value in the file: code or label}
    header_row: int | None = None  # Excel row number of the (last) header row; None = detected

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"columns": self.columns, "defaults": self.defaults, "values": self.values}
        if self.header_row is not None:
            data["header_row"] = self.header_row
        return data

    @classmethod
    def from_json(cls, data: object) -> ImportMapping:
        """A mapping from JSON; every problem is listed (unknown keys, unknown fields, a field mapped twice)."""
        problems: list[FieldProblem] = []
        if not isinstance(data, AnyMapping):
            raise ValidationError([FieldProblem("mapping", "映射", '应为 JSON 对象 {"columns": {列名: 字段}, …}')])
        for key in sorted(set(data) - MAPPING_KEYS):
            problems.append(FieldProblem(f"mapping.{key}", key, "不认识的键"))
        columns = data.get("columns", {})
        defaults = data.get("defaults", {})
        values = data.get("values", {})
        header_row = data.get("header_row")
        if not isinstance(columns, AnyMapping) or not all(isinstance(v, str) for v in columns.values()):
            problems.append(FieldProblem("mapping.columns", "columns", "应为 {列名: 字段} 对象"))
            columns = {}
        for header, key in columns.items():
            if key != IGNORE and key not in FIELD_BY_KEY:
                choices = "、".join([*FIELD_BY_KEY, IGNORE])
                problems.append(
                    FieldProblem(f"mapping.columns.{header}", str(header), f"未知字段“{key}”，可选：{choices}")
                )
        used = [k for k in columns.values() if k != IGNORE]
        for key in sorted({k for k in used if used.count(k) > 1}):
            problems.append(FieldProblem("mapping.columns", key, f"字段“{FIELD_BY_KEY[key].label}”对应了多列"))
        if not isinstance(defaults, AnyMapping) or not all(isinstance(v, str) for v in defaults.values()):
            problems.append(FieldProblem("mapping.defaults", "defaults", "应为 {字段: 值} 对象"))
            defaults = {}
        for key in defaults:
            if key not in DEFAULTABLE_KEYS:
                problems.append(
                    FieldProblem(f"mapping.defaults.{key}", key, f"只有 {'、'.join(DEFAULTABLE_KEYS)} 可设统一值")
                )
        if not isinstance(values, AnyMapping) or not all(
            isinstance(m, AnyMapping) and all(isinstance(v, str) for v in m.values()) for m in values.values()
        ):
            problems.append(FieldProblem("mapping.values", "values", "应为 {字段: {文件中的值: 代码}} 对象"))
            values = {}
        if header_row is not None and (
            not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1
        ):
            problems.append(FieldProblem("mapping.header_row", "header_row", "应为正整数（Excel 中的行号）"))
            header_row = None
        if problems:
            raise ValidationError(problems)
        return cls(
            {str(k): str(v) for k, v in columns.items()},
            {str(k): str(v) for k, v in defaults.items()},
            {str(f): {str(k): str(v) for k, v in m.items()} for f, m in values.items()},
            header_row,
        )

    def missing(self, headers: Sequence[str]) -> list[str]:
        """Required fields neither mapped to a column of these headers nor given one value."""
        mapped = {self.columns[h] for h in headers if h in self.columns}
        return [k for k in REQUIRED_KEYS if k not in mapped and not self.defaults.get(k)]

    def field_columns(self, headers: Sequence[str]) -> dict[str, int]:
        """field key → column index in these headers."""
        return {key: i for i, h in enumerate(headers) if (key := self.columns.get(h)) and key != IGNORE}


def propose_columns(headers: Sequence[str], samples: Sequence[Sequence[object]]) -> dict[str, str]:
    """header → field: by the header's name and synonyms first, then by the content of the unknown columns (an
    ID-number column, a phone column, dates); a field is proposed once (the first column wins)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for h in headers:
        key = field_for_header_loose(h)
        if key is not None and (key == IGNORE or key not in taken):
            out[h] = key
            if key != IGNORE:
                taken.add(key)
    if "received_on" not in taken and "registered_on" in taken:
        # A ledger with only a 登记日期 registers on the day received: it is the 信访日期 (the synonyms).
        header = next(h for h, k in out.items() if k == "registered_on")
        out[header] = "received_on"
        taken.add("received_on")
    for i, h in enumerate(headers):
        if h in out:
            continue
        column = [row[i] if i < len(row) else None for row in samples]
        key = guess_by_content(column)
        if key is not None and key not in taken:
            out[h] = key
            taken.add(key)
        else:
            out[h] = IGNORE
    return out


def map_row(number: int, row: Sequence[object], headers: Sequence[str], columns: dict[str, int]) -> MappedRow:
    cells = {key: (row[i] if i < len(row) else None) for key, i in columns.items()}
    return MappedRow(number, cells, {key: headers[i] for key, i in columns.items()}, tuple(row))
