"""The ledger's 导出 Excel… button: the current query to .xlsx on the database thread, with progress and cancel."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from xinfang_desktop.core.ledger import LedgerFilter, SortKey
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.ledger.case_table_model import Column
from xinfang_desktop.ui.ledger.section_part import SectionPart
from xinfang_desktop.ui.progress import DelayedProgress

EXPORT_POLL_MS = 100

#: The exporter's column of each table column (reports/ledger_export.COLUMNS).
EXPORT_KEYS = {
    Column.NUMBER: "number",
    Column.RECEIVED: "received",
    Column.CHANNEL: "channel",
    Column.PETITIONER: "petitioner",
    Column.SUMMARY: "summary",
    Column.LOCALITY: "locality",
    Column.UNIT: "unit",
    Column.STATUS: "status",
    Column.DUE: "due",
}

Query = tuple[LedgerFilter, SortKey, bool]


class ExcelExport(SectionPart):
    """Owns the export button; `finished(message, is_error)` when an export ends (done, cancelled or failed)."""

    finished = Signal(str, bool)

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget,
        query: Callable[[], Query],
        visible_columns: Callable[[], list[Column]],
        describe: Callable[[], str] = lambda: "",
    ) -> None:
        super().__init__(ctx, parent)
        self._query = query
        self._visible_columns = visible_columns
        self._describe = describe  # the filters in words, printed under the sheet's title
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.setToolTip("把当前查询结果（当前的筛选、排序和显示的列）导出为 .xlsx")
        self.export_button.clicked.connect(self._choose_export_path)
        self.export_dialog: DelayedProgress | None = None
        self.last_export: Any = None

    def _choose_export_path(self) -> None:
        today = self._ctx.today().isoformat()
        target, _f = QFileDialog.getSaveFileName(
            self._section, "导出台账", f"信访台账-{today}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if target:
            self.export(Path(target if target.endswith(".xlsx") else target + ".xlsx"))

    def export(self, target: Path) -> None:
        """Export the current view on the database thread; a progress dialog after 600 ms that can cancel."""
        from xinfang_desktop.reports.ledger_export import export_ledger

        flt, sort, descending = self._query()
        filter_text, today = self._describe(), self._ctx.today()
        columns = [EXPORT_KEYS[c] for c in self._visible_columns()]
        cancel = threading.Event()
        state = {"done": 0, "total": 0}

        def progress(done: int, total: int) -> None:  # the worker thread: plain Python only
            state["done"], state["total"] = done, total

        progress_dialog = DelayedProgress(self._section, "正在导出台账…", title="导出 Excel", cancel=cancel)
        self.export_dialog = progress_dialog
        self.export_button.setEnabled(False)
        poll = QTimer(self._section)  # the worker only writes `state`; the GUI thread reads it
        poll.setInterval(EXPORT_POLL_MS)
        poll.timeout.connect(
            lambda: progress_dialog.set_progress(
                state["done"], state["total"], f"正在导出台账：{state['done']:,} / {state['total']:,} 件"
            )
        )
        poll.start()
        progress_dialog.start()

        def finish(text: str, error: bool = False) -> None:
            poll.stop()
            poll.deleteLater()
            progress_dialog.finish()
            self.export_button.setEnabled(True)
            self.export_dialog = None
            self.finished.emit(text, error)

        def done(result: Any) -> None:
            self.last_export = result
            if result.cancelled:
                finish("已取消导出，未生成文件")
            else:
                finish(f"已导出 {result.rows:,} 件到 {result.path}")

        def job(db: Database) -> Any:
            return export_ledger(
                db,
                target,
                flt,
                sort,
                descending,
                columns,
                progress=progress,
                cancel=cancel,
                filter_text=filter_text,
                exported_on=today,
            )

        self._ctx.tasks.run_db(job, done, lambda exc: finish("导出失败：" + str(getattr(exc, "message", exc)), True))
