"""Step 2 of 导入台账: each column with sample values and the field it fills, one value for a field the file lacks,
and each value of a code-table column with the code it becomes (pickers with search); saved as a named profile."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from xinfang_desktop.core.codes import Channel, Purpose
from xinfang_desktop.core.importing.fields import FIELD_BY_KEY, FIELDS, IGNORE, LEAVE_BLANK
from xinfang_desktop.ui.searchable_combo import make_searchable

if TYPE_CHECKING:
    from xinfang_desktop.ui.import_wizard import ImportWizard

NOT_IMPORTED = "（不导入）"
UNDECIDED = "（未对应）"
BLANK = "（留空）"
NO_DEFAULT = "（无）"


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("第二步：核对各列")
        self.setSubTitle(
            "每一列对应到哪一项，文件中的取值对应到哪个代码。确认一次后可保存为导入方案，下次同样格式的文件直接使用。"
        )
        self.inspection: Any = None
        self.tables: dict[str, list[Any]] = {}
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, 30)
        self.header_spin.setToolTip("表头所在的行（两行表头时为下面一行）")
        reread = QPushButton("按此表头重新读取")
        reread.clicked.connect(lambda: self._inspect(header_row=self.header_spin.value()))
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("表头在第"))
        top.addWidget(self.header_spin)
        top.addWidget(QLabel("行"))
        top.addWidget(reread)
        top.addWidget(self.summary, 1)

        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(["文件中的列", "示例值", "导入为"])
        self.columns.verticalHeader().setVisible(False)
        h = self.columns.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.columns.setColumnWidth(2, 170)

        self.channel_default = QComboBox()
        self.channel_default.addItems([NO_DEFAULT, *Channel.labels()])
        self.purpose_default = QComboBox()
        self.purpose_default.addItems([NO_DEFAULT, *Purpose.labels()])
        for combo in (self.channel_default, self.purpose_default):
            combo.currentIndexChanged.connect(self._refresh_state)
        defaults = QGroupBox("统一值（文件没有该列，或该格为空时使用）")
        form = QFormLayout(defaults)
        form.addRow("信访形式", self.channel_default)
        form.addRow("信访目的", self.purpose_default)

        self.values = QTableWidget(0, 4)
        self.values.setHorizontalHeaderLabels(["项目", "文件中的取值", "行数", "对应为"])
        self.values.verticalHeader().setVisible(False)
        vh = self.values.horizontalHeader()
        vh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        vh.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        self.values.setColumnWidth(3, 320)
        values_box = QGroupBox("取值对应（代码表）")
        vl = QVBoxLayout(values_box)
        vl.addWidget(self.values)

        self.save_button = QPushButton("保存为导入方案…")
        self.save_button.clicked.connect(self._save_profile)
        lower = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(defaults)
        left.addWidget(self.save_button)
        left.addStretch(1)
        lower.addLayout(left)
        lower.addWidget(values_box, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.columns, 3)
        layout.addLayout(lower, 2)

    # -- reading -----------------------------------------------------------------------------------------------

    def initializePage(self) -> None:
        self._inspect(base=self._wizard.file_page.profile)

    def _inspect(self, *, base: dict[str, Any] | None = None, header_row: int | None = None) -> None:
        from xinfang_desktop.importing.inspect import inspect_file
        from xinfang_desktop.importing.mapping import ImportMapping
        from xinfang_desktop.persistence.importing.codes import code_tables

        path, sheet = self._wizard.path, self._wizard.sheet
        start = ImportMapping.from_json(base) if base else (self.mapping() if self.inspection else None)
        if header_row is not None:
            start = start or ImportMapping()
            start.header_row = header_row

        def job(db: Any) -> tuple[Any, dict[str, list[Any]]]:
            tables = code_tables(db)
            return inspect_file(path, sheet, tables=tables, base=start), tables

        def failed(exc: BaseException) -> None:
            self.summary.setText("无法读取：" + str(getattr(exc, "message", None) or exc))
            self.summary.setStyleSheet("color: #c62828;")

        self.summary.setText("正在读取…")
        self._wizard.run(job, self._show, failed)

    def _show(self, result: tuple[Any, dict[str, list[Any]]]) -> None:
        found, self.tables = result
        self.inspection = found
        self.summary.setStyleSheet("")
        self.header_spin.blockSignals(True)
        self.header_spin.setValue(max(1, min(30, found.header_row)))
        self.header_spin.blockSignals(False)
        self.columns.setRowCount(len(found.columns))
        for r, col in enumerate(found.columns):
            self.columns.setItem(r, 0, QTableWidgetItem(col.header))
            self.columns.setItem(r, 1, QTableWidgetItem("　|　".join(col.samples)))
            combo = QComboBox()
            combo.addItem(NOT_IMPORTED, IGNORE)
            for f in FIELDS:
                combo.addItem(f.label + ("（必填）" if f.required else ""), f.key)
            combo.setCurrentIndex(max(0, combo.findData(col.field)))
            combo.currentIndexChanged.connect(self._column_changed)
            self.columns.setCellWidget(r, 2, combo)
        for key, combo in (("channel", self.channel_default), ("purpose", self.purpose_default)):
            value = found.mapping.defaults.get(key)
            combo.setCurrentIndex(max(0, combo.findText(value)) if value else 0)
        self._fill_values(found)
        self._refresh_state()

    def _fill_values(self, found: Any) -> None:
        rows = [(k, v, n) for k, d in found.distinct.items() for v, n in d.items()]
        self.values.setRowCount(len(rows))
        for r, (key, value, count) in enumerate(rows):
            self.values.setItem(r, 0, QTableWidgetItem(FIELD_BY_KEY[key].label))
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.values.setItem(r, 1, item)
            self.values.setItem(r, 2, QTableWidgetItem(str(count)))
            combo = QComboBox()
            combo.addItem(UNDECIDED, "")
            if key not in ("channel", "purpose", "status"):
                combo.addItem(BLANK, LEAVE_BLANK)
            table = self.tables.get(FIELD_BY_KEY[key].code_table or key, [])
            for choice in table:
                shown = choice.name if choice.name == choice.code else f"{choice.name}（{choice.code}）"
                combo.addItem(shown, choice.code)
            make_searchable(combo)
            code = found.mapping.values.get(key, {}).get(value, "")
            combo.setCurrentIndex(max(0, combo.findData(code)))
            line = combo.lineEdit()
            if line is not None:
                line.setCursorPosition(0)  # the start of a long category path shows, not its end
            combo.setToolTip(combo.currentText())
            combo.currentIndexChanged.connect(self._refresh_state)
            self.values.setCellWidget(r, 3, combo)

    def _column_changed(self) -> None:
        """A code-table column mapped or unmapped: read its values again (on the task runner)."""
        coded = {k for k in self.mapping().columns.values() if k in FIELD_BY_KEY and FIELD_BY_KEY[k].code_table}
        if self.inspection is not None and coded != set(self.inspection.distinct):
            self._inspect()
        else:
            self._refresh_state()

    # -- the mapping -------------------------------------------------------------------------------------------

    def mapping(self) -> Any:
        from xinfang_desktop.importing.mapping import ImportMapping

        columns: dict[str, str] = {}
        for r in range(self.columns.rowCount()):
            header = self.columns.item(r, 0)
            combo = self.columns.cellWidget(r, 2)
            if header is not None and isinstance(combo, QComboBox):
                columns[header.text()] = str(combo.currentData())
        defaults = {
            key: combo.currentText()
            for key, combo in (("channel", self.channel_default), ("purpose", self.purpose_default))
            if combo.currentIndex() > 0
        }
        values: dict[str, dict[str, str]] = {}
        for r in range(self.values.rowCount()):
            item = self.values.item(r, 1)
            combo = self.values.cellWidget(r, 3)
            if item is not None and isinstance(combo, QComboBox):
                index = combo.findText(combo.currentText())
                code = str(combo.itemData(index) or "") if index >= 0 else ""
                values.setdefault(str(item.data(Qt.ItemDataRole.UserRole)), {})[item.text()] = code
        header_row = self.inspection.header_row if self.inspection else None
        return ImportMapping(columns, defaults, values, header_row)

    def problems(self) -> list[str]:
        if self.inspection is None:
            return ["文件尚未读取"]
        mapping = self.mapping()
        used = [k for k in mapping.columns.values() if k != IGNORE]
        twice = sorted({FIELD_BY_KEY[k].label for k in used if used.count(k) > 1})
        out = [f"“{label}”对应了多列" for label in twice]
        headers = [c.header for c in self.inspection.columns]
        out += [f"缺少必填项“{FIELD_BY_KEY[k].label}”" for k in mapping.missing(headers)]
        return out

    def _refresh_state(self) -> None:
        problems = self.problems()
        found = self.inspection
        if found is None:
            return
        undecided = sum(1 for m in self.mapping().values.values() for code in m.values() if not code)
        text = f"工作表“{found.sheet}”，数据 {found.data_rows:,} 行。"
        if problems:
            text += "请先处理：" + "；".join(problems)
            self.summary.setStyleSheet("color: #c62828;")
        else:
            self.summary.setStyleSheet("")
            if undecided:
                text += f"有 {undecided} 个取值未对应（试导入时这些行会列为错误）。"
        self.summary.setText(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.problems()

    def _save_profile(self) -> None:
        from xinfang_desktop.persistence.importing.profiles import save_profile

        name, ok = QInputDialog.getText(self, "保存导入方案", "方案名称（如“乡镇来访台账”）：")
        if not ok or not name.strip():
            return
        data = self.mapping().to_json()

        def done(_profiles: Any) -> None:
            self.summary.setText(f"已保存导入方案“{name.strip()}”")

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, "保存导入方案", str(getattr(exc, "message", None) or exc))

        self._wizard.run(lambda db: save_profile(db, name, data, user=self._wizard.ctx.user), done, failed)
