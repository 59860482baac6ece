"""One data row of an imported sheet → an intake object (the `case add` JSON) and what the sheet adds to it, or the
row's errors, each naming its column."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from xinfang_desktop.core.cases import IntakeRequest
from xinfang_desktop.core.codes import CaseStatus
from xinfang_desktop.core.errors import ValidationError
from xinfang_desktop.core.importing.cells import (
    CellError,
    cell_text,
    check_length,
    id_number_text,
    is_blank,
    lost_digits_hint,
    parse_count,
    parse_date_cell,
    parse_flag,
    phone_text,
)
from xinfang_desktop.core.importing.fields import FIELD_BY_KEY, LEAVE_BLANK
from xinfang_desktop.core.importing.values import category_levels
from xinfang_desktop.core.intake_input import parse_intake

MAX_EXTERNAL_NUMBER = 64  # submissions.external_number is String(64)

# intake problem field → the import field whose column is named in the error
_PROBLEM_FIELD = {
    "petitioner.name": "name", "petitioner.id_number": "id_number", "petitioner.phone": "phone",
    "petitioner.address": "address", "petitioner.id_type": "id_number", "channel": "channel",
    "received_on": "received_on", "purpose": "purpose", "summary": "summary", "headcount": "headcount",
    "category": "category", "locality": "locality", "responsible_unit": "responsible_unit",
}  # fmt: skip


@dataclass(frozen=True)
class RowError:
    row: int  # the sheet's own row number (1-based, as Excel shows it)
    column: str  # the column's header as in the file ('' for the row as a whole)
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass(frozen=True)
class SheetExtras:
    """What the sheet knows beyond the intake: kept in the audit trail and used for the lifecycle."""

    external_number: str | None = None
    status: CaseStatus | None = None
    closed: bool | None = None
    registered_on: date | None = None
    due_on: date | None = None
    registering_unit: str | None = None
    registrar: str | None = None
    collective: bool | None = None


@dataclass
class MappedRow:
    """A row's cells by field (`cells`), the header of each field's column (`columns`)."""

    row: int
    cells: dict[str, object]
    columns: dict[str, str]
    raw: tuple[object, ...] = ()


@dataclass
class BuiltRow:
    row: int
    request: IntakeRequest | None
    intake: dict[str, object] | None
    extras: SheetExtras
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fingerprint: str = ""


def fingerprint(cells: Mapping[str, object]) -> str:
    """SHA-256 of the row's mapped content (field → text): the same row imported again is recognised."""
    content = json.dumps({k: cell_text(v) for k, v in sorted(cells.items())}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def build_row(
    mapped: MappedRow,
    *,
    defaults: Mapping[str, object],
    values: Mapping[str, Mapping[str, str]],
    today: date,
    known_region_codes: Collection[str] | None = None,
) -> BuiltRow:
    """The intake object of a row, with every problem found (a cell that cannot be read, a value without a code, a
    check of `case add` that fails) — never raises."""
    errors: list[RowError] = []
    cells = mapped.cells

    def col(key: str) -> str:
        return mapped.columns.get(key, FIELD_BY_KEY[key].label if key in FIELD_BY_KEY else key)

    def err(key: str, reason: str) -> None:
        errors.append(RowError(mapped.row, col(key), reason))

    def get(key: str) -> object:
        value = cells.get(key)
        return defaults.get(key) if is_blank(value) else value

    for key, value in cells.items():
        try:
            check_length(value)
        except CellError as exc:
            err(key, str(exc))
            cells[key] = None  # the long text is not carried further

    def read(key: str, fn: object) -> object:
        try:
            return fn(get(key))  # type: ignore[operator]
        except CellError as exc:
            err(key, str(exc))
            return None

    def coded(key: str) -> str | None:
        raw = get(key)
        if is_blank(raw):
            return None
        text = cell_text(raw)
        table = values.get(key, {})
        code = table.get(text, "")
        if not code and key == "category":  # the national system joins the levels with “_”: a mapped level counts
            code = next((table[lv] for lv in reversed(category_levels(text)) if table.get(lv)), "")
        if code == LEAVE_BLANK:
            return None
        return code or text  # an undecided value goes on as written: the checks name it

    received = read("received_on", parse_date_cell)
    registered = read("registered_on", parse_date_cell)
    due = read("due_on", parse_date_cell)
    headcount = read("headcount", parse_count)
    id_number = read("id_number", id_number_text)
    phone = read("phone", phone_text)
    closed = read("closed", parse_flag)
    first = read("first_submission", parse_flag)
    collective = read("collective", parse_flag)
    status: CaseStatus | None = None
    status_text = coded("status")
    if status_text:
        try:
            status = CaseStatus.parse(status_text)
        except Exception:
            err("status", f"无法识别的信访件状态“{status_text[:30]}”，可选：{'、'.join(CaseStatus.labels())}")
    intake: dict[str, object] = {
        "petitioner": {
            k: v
            for k, v in (
                ("name", cell_text(get("name"))),
                ("id_number", id_number),
                ("phone", phone),
                ("address", cell_text(get("address")) or None),
            )
            if v is not None
        },
        "channel": coded("channel"),
        "received_on": received.isoformat() if isinstance(received, date) else None,
        "purpose": coded("purpose"),
        "summary": cell_text(get("summary")),
        "headcount": headcount if isinstance(headcount, int) else 1,
    }
    for key in ("category", "locality", "responsible_unit"):
        code = coded(key)
        if code:
            intake[key] = code
    if isinstance(first, bool):
        intake["first_submission"] = first
    external_number = cell_text(cells.get("external_number")).strip() or None
    if external_number is not None and len(external_number) > MAX_EXTERNAL_NUMBER:
        err("external_number", f"信访件编号超过 {MAX_EXTERNAL_NUMBER} 个字符：请核对该列是否为编号")
        external_number = None
    extras = SheetExtras(
        external_number=external_number,
        status=status,
        closed=closed if isinstance(closed, bool) else None,
        registered_on=registered if isinstance(registered, date) else None,
        due_on=due if isinstance(due, date) else None,
        registering_unit=cell_text(cells.get("registering_unit")) or None,
        registrar=cell_text(cells.get("registrar")) or None,
        collective=collective if isinstance(collective, bool) else None,
    )
    built = BuiltRow(mapped.row, None, intake, extras, errors, fingerprint=fingerprint(cells))
    _validate(built, mapped, today, known_region_codes, col)
    return built


def _validate(built: BuiltRow, mapped: MappedRow, today: date, regions: Collection[str] | None, col: object) -> None:
    failed = {e.column for e in built.errors}
    try:
        request, warnings = parse_intake(built.intake, today=today, known_region_codes=regions)
    except ValidationError as exc:
        for p in exc.errors:
            key = _PROBLEM_FIELD.get(p.field, p.field)
            column = col(key)  # type: ignore[operator]
            if column in failed:
                continue  # the cell's own error says it better
            reason = p.reason
            if key == "id_number":
                number = str(mapped.cells.get("id_number") or "")
                if lost_digits_hint(number):
                    reason += "（疑似存为数字后丢失了末尾数字）"
            built.errors.append(RowError(mapped.row, column, reason))
        return
    if built.errors:
        return
    built.request = request
    built.warnings = warnings
