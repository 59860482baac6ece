"""A form for a document type's content, built from the fields its parser reads (documents.input_schema).

Texts are line or paragraph editors, lists of texts and lists of records are tables with 添加行 / 删除行, dates are
date pickers (“不填” below the earliest date), choices are lists. `value()` gives the input as the parser reads it,
leaving out what was not filled, so the content drawn from the case fills the rest (issue 18: no JSON for a clerk).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.documents.types._schema import FieldSpec

NOT_FILLED = QDate(1999, 12, 31)  # one day below the earliest date a document accepts (2000-01-01)
Index = QModelIndex | QPersistentModelIndex


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy年M月d日")
    edit.setMinimumDate(NOT_FILLED)
    edit.setMaximumDate(QDate(2199, 12, 31))
    edit.setSpecialValueText("（不填）")
    edit.setDate(NOT_FILLED)
    return edit


def _iso(edit: QDateEdit) -> str | None:
    d = edit.date()
    return None if d == NOT_FILLED else d.toString("yyyy-MM-dd")


def _set_iso(edit: QDateEdit, value: object) -> None:
    try:
        d = date.fromisoformat(str(value)) if value else None
    except ValueError:
        d = None
    edit.setDate(QDate(d.year, d.month, d.day) if d else NOT_FILLED)


class _CellEditors(QStyledItemDelegate):
    """Date pickers and choice lists in the cells of a record table (text cells edit as text)."""

    def __init__(self, columns: list[FieldSpec], parent: QWidget) -> None:
        super().__init__(parent)
        self._columns = columns

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        spec = self._columns[index.column()]
        if spec.kind == "date":
            edit = _date_edit()
            edit.setParent(parent)
            return edit
        if spec.kind in ("choice", "flag"):
            combo = QComboBox(parent)
            combo.addItems(["", *spec.options] if spec.kind == "choice" else ["", "是"])
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if isinstance(editor, QDateEdit):
            _set_iso(editor, text)
        elif isinstance(editor, QComboBox):
            editor.setCurrentText(text)
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QDateEdit):
            model.setData(index, _iso(editor) or "")
        elif isinstance(editor, QComboBox):
            model.setData(index, editor.currentText())
        else:
            super().setModelData(editor, model, index)


def _typed(column: FieldSpec, cell: str) -> Any:
    """A table cell's text as the parser reads the column: numbers as integers, 是/否 as true/false."""
    if column.kind == "integer":
        return int(cell) if cell.lstrip("-").isdigit() else cell  # not a number: the parser says so
    if column.kind == "flag":
        return True if cell == "是" else None
    return cell


def _shown(value: object) -> str:
    if value is True:
        return "是"
    if value is None or value is False:
        return ""
    return str(value)


class RowsEditor(QWidget):
    """A table of rows with 添加行 / 删除行: one text per row (a list of texts) or one record per row."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.columns = spec.fields if spec.kind == "objects" else [FieldSpec("", spec.label, "text", multiline=True)]
        self.table = QTableWidget(0, len(self.columns))
        self.table.setHorizontalHeaderLabels([c.label for c in self.columns])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (a form, not a spreadsheet)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setItemDelegate(_CellEditors(self.columns, self.table))
        self.table.setMinimumHeight(96)
        self.add_button = QPushButton("添加行")
        self.remove_button = QPushButton("删除行")
        self.add_button.clicked.connect(lambda _checked=False: self.add_row())
        self.remove_button.clicked.connect(self.remove_row)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def add_row(self, values: list[str] | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for c in range(len(self.columns)):
            self.table.setItem(row, c, QTableWidgetItem((values or [])[c] if values and c < len(values) else ""))
        self.table.setCurrentCell(row, 0)

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def value(self) -> list[Any]:
        out: list[Any] = []
        for r in range(self.table.rowCount()):
            cells = [self._cell(r, c) for c in range(len(self.columns))]
            if not any(cells):
                continue
            if self.spec.kind == "texts":
                out.append(cells[0])
            else:
                row = {col.key: _typed(col, cell) for col, cell in zip(self.columns, cells, strict=True) if cell}
                out.append({k: v for k, v in row.items() if v is not None})
        return out

    def set_value(self, value: object) -> None:
        self.table.setRowCount(0)
        for item in value if isinstance(value, list) else []:
            if self.spec.kind == "texts":
                self.add_row([str(item)])
            elif isinstance(item, dict):
                self.add_row([_shown(item.get(col.key)) for col in self.columns])
        self.table.resizeRowsToContents()


class FormFields(QWidget):
    """The fields of one object (the whole input, or a nested one) in a form layout."""

    def __init__(self, fields: list[FieldSpec] | tuple[FieldSpec, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.specs = list(fields)
        self.editors: dict[str, QWidget] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in self.specs:
            editor = self._editor(spec)
            self.editors[spec.key] = editor
            label = f"{spec.label}{'＊' if spec.required else ''}："
            if isinstance(editor, (FormFields, QGroupBox)):
                layout.addRow(editor)
            else:
                layout.addRow(label, editor)

    def _editor(self, spec: FieldSpec) -> QWidget:
        if spec.kind == "text":
            if spec.multiline:
                edit = QPlainTextEdit()
                edit.setTabChangesFocus(True)
                edit.setFixedHeight(64)
                return edit
            return QLineEdit()
        if spec.kind in ("texts", "objects"):
            return RowsEditor(spec)
        if spec.kind == "date":
            return _date_edit()
        if spec.kind == "integer":
            box = QSpinBox()
            low, high = spec.low or 0, spec.high if spec.high is not None else 999999
            box.setRange(low - 1, high)
            box.setSpecialValueText("（不填）")
            box.setValue(low - 1)
            return box
        if spec.kind == "flag":
            return QCheckBox(spec.label)
        if spec.kind == "choice":
            combo = QComboBox()
            combo.addItems(["", *spec.options])
            return combo
        group = QGroupBox(f"{spec.label}{'＊' if spec.required else ''}")
        inner = QVBoxLayout(group)
        inner.addWidget(FormFields(spec.fields))
        return group

    def _nested(self, key: str) -> FormFields:
        group = self.editors[key]
        return group.findChild(FormFields)  # type: ignore[return-value]

    def value(self) -> dict[str, Any]:
        """What was filled, keyed as the parser reads it (empty fields left out)."""
        out: dict[str, Any] = {}
        for spec in self.specs:
            editor = self.editors[spec.key]
            value: Any = None
            if isinstance(editor, QLineEdit):
                value = editor.text().strip() or None
            elif isinstance(editor, QPlainTextEdit):
                value = editor.toPlainText().strip() or None
            elif isinstance(editor, RowsEditor):
                value = editor.value() or None
            elif isinstance(editor, QDateEdit):
                value = _iso(editor)
            elif isinstance(editor, QSpinBox):
                value = editor.value() if editor.value() >= editor.minimum() + 1 else None
            elif isinstance(editor, QCheckBox):
                value = True if editor.isChecked() else None
            elif isinstance(editor, QComboBox):
                value = editor.currentText() or None
            elif isinstance(editor, QGroupBox):
                value = self._nested(spec.key).value() or None
            if value is not None:
                out[spec.key] = value
        return out

    def set_value(self, data: object) -> None:
        """Fill every field from `data` (an example, or what was entered before); absent keys are cleared."""
        values = data if isinstance(data, dict) else {}
        for spec in self.specs:
            editor, value = self.editors[spec.key], values.get(spec.key)
            if isinstance(editor, QLineEdit):
                editor.setText("" if value is None else str(value))
            elif isinstance(editor, QPlainTextEdit):
                editor.setPlainText("" if value is None else str(value))
            elif isinstance(editor, RowsEditor):
                editor.set_value(value)
            elif isinstance(editor, QDateEdit):
                _set_iso(editor, value)
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value) if isinstance(value, int) else editor.minimum())
            elif isinstance(editor, QCheckBox):
                editor.setChecked(value is True)
            elif isinstance(editor, QComboBox):
                editor.setCurrentText("" if value is None else str(value))
            elif isinstance(editor, QGroupBox):
                self._nested(spec.key).set_value(value)


class DocumentForm(QWidget):
    """The form of one document type: its 文号 (typed, or drawn from the sequence), then its fields."""

    def __init__(self, fields: tuple[FieldSpec, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText("留空则按年度顺序自动编号；交办文号等按来文填写，如 示信交〔2026〕12号")
        self.fields = FormFields(fields)
        top = QFormLayout()
        top.addRow("文号：", self.number_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.fields)
        layout.addStretch(1)

    def value(self) -> dict[str, Any]:
        out = self.fields.value()
        if self.number_edit.text().strip():
            out["number"] = self.number_edit.text().strip()
        return out

    def set_value(self, data: object) -> None:
        values = data if isinstance(data, dict) else {}
        self.number_edit.setText(str(values.get("number") or ""))
        self.fields.set_value(values)


__all__ = ["DocumentForm", "FormFields", "RowsEditor"]
