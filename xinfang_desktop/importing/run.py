"""`import run`: read the sheet, map every row, and import it in one transaction — or, as a dry run, do exactly the
same and roll back, so the counts (cases, submissions, skipped) and every row error are those of the real import."""

from __future__ import annotations

import hashlib
import itertools
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from xinfang_desktop.core.errors import DomainError, ValidationError
from xinfang_desktop.core.importing.fields import FIELD_BY_KEY
from xinfang_desktop.core.importing.history import implied_steps
from xinfang_desktop.core.importing.repeats import KnownCase, repeat_of
from xinfang_desktop.core.importing.rows import BuiltRow, RowError, build_row
from xinfang_desktop.core.importing.values import Choice, propose
from xinfang_desktop.importing.error_sheet import BadRow, write_error_rows
from xinfang_desktop.importing.mapping import ImportMapping, map_row, propose_columns
from xinfang_desktop.importing.readers import read_sheet
from xinfang_desktop.importing.table import Table, open_table
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.importing.codes import code_tables
from xinfang_desktop.persistence.importing.store import NewRow, SourceRef, import_transaction
from xinfang_desktop.persistence.region_codes import known_region_codes

CHUNK_ROWS = 500
Progress = Callable[[int, int], None]


class MappingIncomplete(DomainError):
    """Required fields have neither a column nor one value (exit code 2)."""


class ImportCancelled(DomainError):
    """The clerk cancelled: the transaction was rolled back, nothing was written."""


@dataclass
class ImportReport:
    file: str
    sheet: str
    encoding: str | None
    header_row: int
    dry_run: bool
    committed: bool = False
    rows: int = 0
    cases: int = 0
    submissions: int = 0
    skipped: list[dict[str, object]] = field(default_factory=list)  # {"row", "reason"}
    errors: list[RowError] = field(default_factory=list)
    warnings: int = 0
    errors_xlsx: str | None = None
    numbers: list[str] = field(default_factory=list)  # the new cases (first 50)
    mapping: dict[str, Any] = field(default_factory=dict)
    headers: tuple[str, ...] = ()
    bad: list[BadRow] = field(default_factory=list)  # the bad rows as read, for the errors .xlsx

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "encoding": self.encoding,
            "header_row": self.header_row,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "rows": self.rows,
            "cases": self.cases,
            "submissions": self.submissions,
            "skipped": len(self.skipped),
            "skipped_rows": self.skipped,
            "bad_rows": self.bad_rows,
            "errors": [e.to_json() for e in self.errors],
            "warnings": self.warnings,
            "errors_xlsx": self.errors_xlsx,
            "numbers": self.numbers,
            "mapping": self.mapping,
        }


def _sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class _Proposing(dict[str, str]):
    """A field's value mapping where a value the clerk has not decided gets the proposed code (as `inspect` shows)."""

    def __init__(self, table: str, given: dict[str, str], choices: list[Choice]) -> None:
        super().__init__(given)
        self._table, self._choices = table, choices

    def get(self, key: str, default: Any = None) -> Any:
        found = super().get(key)
        if found:
            return found
        proposed = propose(self._table, key, self._choices) or ""
        self[key] = proposed
        return proposed or default


def _known(tables: dict[str, list[Choice]]) -> dict[str, set[str]]:
    return {k: {c.code for c in v} for k, v in tables.items()}


class _Runner:
    def __init__(
        self, db: Database, table: Table, mapping: ImportMapping, report: ImportReport, *, today: date,
        tables: dict[str, list[Choice]], skip_bad_rows: bool,
    ) -> None:  # fmt: skip
        self.db, self.table, self.mapping, self.report, self.today = db, table, mapping, report, today
        self.columns = mapping.field_columns(table.headers)
        self.values = {
            key: _Proposing(FIELD_BY_KEY[key].code_table or key, mapping.values.get(key, {}),
                            tables.get(FIELD_BY_KEY[key].code_table or key, []))
            for key in self.columns if FIELD_BY_KEY[key].code_table
        }  # fmt: skip
        self.known = _known(tables)
        self.regions = known_region_codes()
        self.skip_bad_rows = skip_bad_rows
        self.batch = uuid.uuid4().hex
        self.bad: list[BadRow] = []
        self.seen_fp: dict[str, int] = {}
        # petitioner key (ID number, or name|phone) → cases of this import: repeats among the file's own rows
        self.local: dict[str, list[KnownCase]] = {}
        self.numbers: dict[str, str] = {}  # "row:N" → case number once stored

    def build(self, number: int, raw: list[object]) -> BuiltRow:
        mapped = map_row(number, raw, self.table.headers, self.columns)
        built = build_row(
            mapped, defaults=self.mapping.defaults, values=self.values, today=self.today,
            known_region_codes=self.regions,
        )  # fmt: skip
        for cell in self.table.formulas.get(number, []):
            col = _column_index(cell)
            header = self.table.headers[col] if col < len(self.table.headers) else cell
            if col in self.columns.values():
                built.errors.append(RowError(number, header, f"{cell} 是公式：请在 Excel 中把它“粘贴为数值”后再导入"))
                built.request = None
        if built.request is not None:
            self._check_codes(built)
        return built

    def _check_codes(self, built: BuiltRow) -> None:
        assert built.intake is not None
        for key, table in (
            ("category", "category"),
            ("locality", "locality"),
            ("responsible_unit", "responsible_unit"),
        ):
            value = built.intake.get(key)
            if isinstance(value, str) and value not in self.known.get(table, set()):
                label = FIELD_BY_KEY[key].label
                column = self.table.headers[self.columns[key]] if key in self.columns else label
                built.errors.append(
                    RowError(built.row, column, f"未对应的{label}“{value[:40]}”：请在映射中选择对应项或留空")
                )
                built.request = None

    def fail(self, built: BuiltRow, raw: list[object]) -> None:
        self.report.errors.extend(built.errors)
        self.bad.append(BadRow(built.row, tuple(raw), tuple(f"{e.column}：{e.reason}" for e in built.errors)))

    def _seen_before(self, detail: str) -> str:
        import json

        try:
            d = json.loads(detail)
        except (ValueError, TypeError):
            return "已导入过"
        if d.get("batch") == self.batch:
            return f"与第 {d.get('row')} 行完全相同"
        return f"已导入过（{Path(str(d.get('file', ''))).name} 第 {d.get('row')} 行）"

    def chunk(self, tx: Any, items: list[tuple[int, list[object]]]) -> None:
        """One chunk of rows. What is kept between chunks is in the database (the transaction's own writes): the cases
        of earlier chunks are found by `known_cases`, their fingerprints by `imported_before`; so memory does not grow
        with the rows."""
        self.seen_fp.clear()
        self.local.clear()
        self.numbers.clear()
        built = [(self.build(n, raw), raw) for n, raw in items]
        before = tx.imported_before([b.fingerprint for b, _ in built if b.request is not None])
        good: list[BuiltRow] = []
        for b, raw in built:
            if b.request is None:
                self.fail(b, raw)
            elif b.fingerprint in before:
                self.report.skipped.append({"row": b.row, "reason": self._seen_before(before[b.fingerprint])})
            elif b.fingerprint in self.seen_fp:
                self.report.skipped.append({"row": b.row, "reason": f"与第 {self.seen_fp[b.fingerprint]} 行完全相同"})
            else:
                self.seen_fp[b.fingerprint] = b.row
                good.append(b)
        self.report.warnings += sum(len(b.warnings) for b in good)
        stored: dict[str, list[KnownCase]] = {}
        ids = [b.request.petitioner.id_number for b in good if b.request and b.request.petitioner.id_number]
        pairs = [(b.request.petitioner.name, b.request.petitioner.phone) for b in good
                 if b.request and b.request.petitioner.phone]  # fmt: skip
        for key, case, _ in tx.known_cases(ids, [(n, p) for n, p in pairs if p]):
            stored.setdefault(key, []).append(case)
        pending: list[NewRow] = []
        repeats: list[tuple[str, NewRow]] = []
        for b in good:
            assert b.request is not None
            p = b.request.petitioner
            keys = [k for k in (p.id_number, f"{p.name}|{p.phone}" if p.phone else None) if k]
            candidates = [c for k in keys for c in (*stored.get(k, ()), *self.local.get(k, ()))]
            verdict = repeat_of(b.request.summary, b.request.submission.received_on, candidates)
            row = self._new_row(b)
            if verdict is None:
                pending.append(row)
                case = KnownCase(f"row:{b.row}", b.request.summary, b.request.submission.received_on, "id_number")
                for k in keys:
                    self.local.setdefault(k, []).append(
                        KnownCase(
                            case.key,
                            case.summary,
                            case.first_received_on,
                            "id_number" if k == p.id_number else "name_phone",
                        )
                    )
                continue
            repeats.append((verdict.case.key, row))
        # The chunk's new cases in one go, then the repeats (of stored cases or of rows just registered) in order.
        self._flush(tx, pending)
        for target, row in repeats:
            tx.add_submission(self.numbers.get(target, target), row)
            self.report.submissions += 1
        tx.flush()

    def _new_row(self, b: BuiltRow) -> NewRow:
        assert b.request is not None
        ex = b.extras
        steps = implied_steps(
            ex.status, ex.closed, received_on=b.request.submission.received_on, registered_on=ex.registered_on,
            today=self.today,
        )  # fmt: skip
        detail = {
            k: v
            for k, v in (
                ("external_number", ex.external_number),
                ("sheet_status", ex.status.label if ex.status else None),
                ("registered_on", ex.registered_on.isoformat() if ex.registered_on else None),
                ("due_on_in_sheet", ex.due_on.isoformat() if ex.due_on else None),
                ("registering_unit", ex.registering_unit),
                ("registrar", ex.registrar),
            )
            if v is not None
        }
        return NewRow(b.row, b.request, b.fingerprint, steps, detail)

    def _flush(self, tx: Any, pending: list[NewRow]) -> None:
        if not pending:
            return
        try:
            registered = tx.add_cases(pending)
        except ValidationError as exc:  # a check of the intake use case the row checks did not foresee
            raise DomainError("导入中止：" + exc.message) from exc
        for row, reg in zip(pending, registered, strict=True):
            self.numbers[f"row:{row.row}"] = reg.number
            if len(self.report.numbers) < 50:
                self.report.numbers.append(reg.number)
        self.report.cases += len(pending)


def _column_index(cell: str) -> int:
    n = 0
    for ch in cell:
        if ch.isalpha():
            n = n * 26 + ord(ch) - 64
    return n - 1


def run_import(
    db: Database,
    path: str | Path,
    *,
    today: date,
    sheet: str | None = None,
    mapping: ImportMapping | None = None,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    errors_xlsx: str | Path | None = None,
    user: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportReport:
    """Import one sheet. Committed only when it is not a dry run and every row is good (or `skip_bad_rows`); the bad
    rows go to `errors_xlsx` when given. Raises MappingIncomplete, ImportFileError or ImportCancelled (nothing
    written)."""
    info, name, rows = read_sheet(path, sheet)
    table = open_table(rows, mapping.header_row if mapping else None)
    # The columns the mapping does not name are proposed from their headers and content, as `inspect` shows them.
    head = list(itertools.islice(table.rows, 200))
    table.rows = itertools.chain(head, table.rows)
    given = mapping or ImportMapping()
    columns = propose_columns(table.headers, [r for _, r in head])
    columns.update({h: k for h, k in given.columns.items() if h in table.headers})
    mapping = ImportMapping(columns, dict(given.defaults), given.values, given.header_row)
    missing = mapping.missing(table.headers)
    if missing:
        labels = "、".join(FIELD_BY_KEY[k].label for k in missing)
        raise MappingIncomplete(
            f"映射不完整：必填字段“{labels}”既没有对应的列，也没有统一值", field="mapping", details={"missing": missing}
        )
    report = ImportReport(str(path), name, info.encoding, table.header_row, dry_run, mapping=mapping.to_json())
    runner = _Runner(db, table, mapping, report, today=today, tables=code_tables(db), skip_bad_rows=skip_bad_rows)
    source = SourceRef(Path(path).name, name, _sha256(path), runner.batch)
    total = rows.total or 0
    with import_transaction(db, today=today, source=source, user=user) as tx:
        batch: list[tuple[int, list[object]]] = []
        for number, raw in table.rows:
            batch.append((number, raw))
            if len(batch) >= CHUNK_ROWS:
                _step(runner, tx, batch, report, progress, total, cancel)
                batch = []
        _step(runner, tx, batch, report, progress, total, cancel)
        report.skipped = [{"row": n, "reason": "合计行"} for n in table.stats.total_rows] + report.skipped
        report.skipped.sort(key=lambda s: int(str(s["row"])))
        report.errors.sort(key=lambda e: e.row)
        if not dry_run and (not report.errors or skip_bad_rows):
            tx.commit()
            report.committed = True
    runner.bad.sort(key=lambda b: b.row)
    report.headers, report.bad = table.headers, runner.bad
    if errors_xlsx is not None and runner.bad:
        write_error_rows(errors_xlsx, table.headers, runner.bad)
        report.errors_xlsx = str(errors_xlsx)
    if progress:
        progress(total or report.rows, total or report.rows)
    return report


def _step(
    runner: _Runner, tx: Any, batch: list[tuple[int, list[object]]], report: ImportReport,
    progress: Progress | None, total: int, cancel: threading.Event | None,
) -> None:  # fmt: skip
    if cancel is not None and cancel.is_set():
        raise ImportCancelled("已取消导入，数据库未作任何改动")
    if not batch:
        return
    runner.chunk(tx, batch)
    report.rows += len(batch)
    if progress:
        progress(batch[-1][0], max(total, batch[-1][0]))
