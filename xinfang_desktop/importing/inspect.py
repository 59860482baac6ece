"""`import inspect`: what a file holds before anything is imported — sheets, encoding, the detected header, the
proposed mapping with sample values of each column, and the distinct values of the code-table columns with the code
proposed for each."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xinfang_desktop.core.importing.cells import cell_text, is_blank
from xinfang_desktop.core.importing.fields import FIELD_BY_KEY, FIELDS, IGNORE
from xinfang_desktop.core.importing.values import Choice, propose
from xinfang_desktop.importing.mapping import ImportMapping, propose_columns
from xinfang_desktop.importing.readers import read_sheet
from xinfang_desktop.importing.table import open_table

SAMPLE_ROWS = 200  # the rows whose content proposes a column's field
SAMPLES_SHOWN = 5
MAX_DISTINCT = 300  # distinct values listed per code-table column


@dataclass
class ColumnInfo:
    header: str
    field: str
    samples: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"header": self.header, "field": self.field, "samples": self.samples}


@dataclass
class Inspection:
    file: str
    kind: str
    encoding: str | None
    sheets: tuple[str, ...]
    sheet: str
    header_row: int
    header_rows: int
    columns: list[ColumnInfo]
    mapping: ImportMapping
    missing: list[str]
    distinct: dict[str, dict[str, int]] = field(default_factory=dict)  # field → {value: rows}
    data_rows: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "encoding": self.encoding,
            "sheets": list(self.sheets),
            "sheet": self.sheet,
            "header_row": self.header_row,
            "header_rows": self.header_rows,
            "columns": [c.to_json() for c in self.columns],
            "mapping": self.mapping.to_json(),
            "missing": [{"field": k, "label": FIELD_BY_KEY[k].label} for k in self.missing],
            "values": {k: [{"value": v, "rows": n, "code": self.mapping.values.get(k, {}).get(v)} for v, n in d.items()]
                       for k, d in self.distinct.items()},
            "data_rows": self.data_rows,
            "fields": [{"key": f.key, "label": f.label, "required": f.required} for f in FIELDS],
        }  # fmt: skip


def inspect_file(
    path: str | Path,
    sheet: str | None = None,
    *,
    tables: dict[str, list[Choice]] | None = None,
    base: ImportMapping | None = None,
) -> Inspection:
    """Read the whole sheet once (the code-table values of every row); `base`: a profile's or a file's mapping to
    start from (its choices win over the proposals)."""
    info, name, rows = read_sheet(path, sheet)
    table = open_table(rows, base.header_row if base else None)
    head = list(itertools.islice(table.rows, SAMPLE_ROWS))
    proposed = propose_columns(table.headers, [r for _, r in head])
    mapping = ImportMapping(dict(proposed), {}, {}, base.header_row if base else None)
    if base is not None:
        mapping.columns.update({h: k for h, k in base.columns.items() if h in table.headers})
        mapping.defaults.update(base.defaults)
    columns = [
        ColumnInfo(h, mapping.columns.get(h, IGNORE), _samples(i, [r for _, r in head]))
        for i, h in enumerate(table.headers)
    ]
    by_field = mapping.field_columns(table.headers)
    coded = {k: i for k, i in by_field.items() if FIELD_BY_KEY[k].code_table}
    distinct: dict[str, dict[str, int]] = {k: {} for k in coded}
    count = 0
    for _, row in itertools.chain(head, table.rows):
        count += 1
        for key, i in coded.items():
            value = row[i] if i < len(row) else None
            if is_blank(value):
                continue
            text = cell_text(value)[:200]
            seen = distinct[key]
            if text in seen:
                seen[text] += 1
            elif len(seen) < MAX_DISTINCT:
                seen[text] = 1
    tables = tables or {}
    for key, seen in distinct.items():
        known = base.values.get(key, {}) if base else {}
        choices = tables.get(FIELD_BY_KEY[key].code_table or key, [])
        mapping.values[key] = {
            v: known[v] if v in known else (propose(FIELD_BY_KEY[key].code_table or key, v, choices) or "")
            for v in seen
        }
    return Inspection(
        info.path,
        info.kind,
        info.encoding,
        info.sheets,
        name,
        table.header_row,
        table.header_rows,
        columns,
        mapping,
        mapping.missing(table.headers),
        distinct,
        count,
    )


def _samples(i: int, rows: list[list[object]]) -> list[str]:
    out: list[str] = []
    for row in rows:
        if i < len(row) and not is_blank(row[i]):
            text = cell_text(row[i])
            out.append(text if len(text) <= 60 else text[:59] + "…")
            if len(out) >= SAMPLES_SHOWN:
                break
    return out
