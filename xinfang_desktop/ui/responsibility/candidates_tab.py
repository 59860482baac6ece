"""追责线索 (R-AC-01): the candidates found in the ledger, never decided automatically — 检测新线索 runs the
detectors, 排除 records a reason, 立追责事项 opens an accountability case citing grounds of the profile."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from xinfang_desktop.core.accountability_candidates import CandidateKind
from xinfang_desktop.persistence.accountability.detection import detect_candidates
from xinfang_desktop.persistence.accountability.store import list_candidates
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.empty_hint import EmptyHint
from xinfang_desktop.ui.responsibility.accountability_dialogs import DismissDialog, OpenDialog
from xinfang_desktop.ui.rows_table import RowsTable
from xinfang_desktop.ui.store_dialog import StoreDialog

MAX_ROWS = 500
ALL = ""


def load_job(kind: str | None) -> Any:
    def job(db: Database) -> dict[str, Any]:
        return {"all": list_candidates(db, limit=1), "list": list_candidates(db, kind=kind or None, limit=MAX_ROWS)}

    return job


def catalogue_job(db: Database) -> Any:
    from xinfang_desktop.persistence.accountability.catalogue import grounds_of
    from xinfang_desktop.persistence.rule_profile_store import selected_profile

    return grounds_of(selected_profile(db))


def error_text(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc)


class CandidatesTab(QWidget):
    """`refresh()` reloads; `opened(number)` once an accountability case was opened from a candidate."""

    opened = Signal(str)
    loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.rows: list[dict[str, Any]] = []
        self.message_box: QMessageBox | None = None
        self.dialog: StoreDialog | None = None
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("全部", ALL)
        for kind in CandidateKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.kind_combo.currentIndexChanged.connect(self.refresh)
        self.detect_button = QPushButton("检测新线索")
        self.detect_button.setToolTip("按今天的日期从台账中检测新的追责线索（不会自动追责）")
        self.detect_button.clicked.connect(self.detect)
        self.dismiss_button = QPushButton("排除…")
        self.dismiss_button.clicked.connect(lambda: self.open_dialog("dismiss"))
        self.open_button = QPushButton("立追责事项…")
        self.open_button.clicked.connect(lambda: self.open_dialog("open"))
        self.summary_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        self.table = RowsTable(["类型", "信访事项", "单位", "证据", "发现日期"])
        self.table.row_activated.connect(lambda _row: self.open_dialog("open"))
        self.empty_hint = EmptyHint(self.table, "没有待研判的追责线索。点击“检测新线索”从台账中查找。")
        top = QHBoxLayout()
        top.addWidget(QLabel("类型"))
        top.addWidget(self.kind_combo)
        top.addWidget(self.detect_button)
        top.addStretch(1)
        top.addWidget(self.dismiss_button)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)

    def refresh(self) -> None:
        self._ctx.tasks.run_db(load_job(self.kind_combo.currentData()), self._show, self._show_error)

    def detect(self) -> None:
        self.detect_button.setEnabled(False)
        today, user, kind = self._ctx.today(), self._ctx.user, self.kind_combo.currentData()

        def job(db: Database) -> dict[str, Any]:
            return {"detected": detect_candidates(db, today=today, user=user), **load_job(kind)(db)}

        self._ctx.tasks.run_db(job, self._show, self._show_error)

    def _show(self, data: dict[str, Any]) -> None:
        self.detect_button.setEnabled(True)
        self.error_label.clear()
        counts = {k["kind"]: k["count"] for k in data["all"]["by_kind"]}
        self.kind_combo.setItemText(0, f"全部（{data['all']['total']}）")
        for i in range(1, self.kind_combo.count()):
            kind = CandidateKind(self.kind_combo.itemData(i))
            self.kind_combo.setItemText(i, f"{kind.label}（{counts.get(kind.value, 0)}）")
        self.rows = data["list"]["rows"]
        self.table.set_rows(
            [
                ([c["kind_label"], c["case_number"] or "", c["unit"] or "", c["summary"], c["found_on"]], False)
                for c in self.rows
            ]
        )
        text = f"待研判的追责线索 {data['list']['total']} 条"
        if data["list"]["total"] > MAX_ROWS:
            text += f"（显示最近 {MAX_ROWS} 条）"
        if (detected := data.get("detected")) is not None:
            text += f"；本次新发现 {detected['added']} 条"
        self.summary_label.setText(text)
        self.loaded.emit(data)

    def _show_error(self, exc: BaseException) -> None:
        self.detect_button.setEnabled(True)
        self.error_label.setText("无法读取追责线索：" + error_text(exc))

    def selected(self) -> dict[str, Any] | None:
        row = self.table.currentIndex().row()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def open_dialog(self, kind: str) -> None:
        """排除 or 立追责事项 for the selected candidate (the grounds are read first, off the GUI thread)."""
        candidate = self.selected()
        if candidate is None:
            self.error_label.setText("请先选择一条追责线索")
            return
        self.error_label.clear()
        if kind == "dismiss":
            self._show_dialog(DismissDialog(self._ctx, candidate, self), lambda _r: self.refresh())
            return

        def with_catalogue(catalogue: Any) -> None:
            self._show_dialog(OpenDialog(self._ctx, candidate, catalogue, self), self._opened)

        self._ctx.tasks.run_db(catalogue_job, with_catalogue, self._message)

    def _show_dialog(self, dialog: StoreDialog, on_saved: Any) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(on_saved)
        self.dialog = dialog
        dialog.open()

    def _opened(self, detail: dict[str, Any]) -> None:
        self.refresh()
        self.opened.emit(detail["number"])

    def _message(self, exc: BaseException) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "责任落实", error_text(exc), QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.open()


__all__ = ["CandidatesTab", "error_text"]
