"""The 设置 section: the office and its documents, the deadline rules, the holiday table and the fonts in use.

Every value is read and written on the database thread through `settings_store` (which validates and audits);
the holiday table through `calendar_store`; the fonts are what `documents.fonts.get_fonts()` resolved.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.backup_tab import BackupTab
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.role_gate import gate, may

TEXT_KEYS = {
    "office_name": "单位名称",
    "document_issuer_mark": "发文机关标志（版头红字）",
    "document_abbreviation": "发文机关代字（如 示信）",
    "case_number_prefix": "信访事项编号前缀",
}
ROLE_LABELS = {
    "fangsong": "仿宋（正文）",
    "heiti": "黑体（一级标题）",
    "kaiti": "楷体（二级标题）",
    "songti": "宋体（页码）",
    "xiaobiaosong": "小标宋（版头、标题）",
}


def _message(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")


def load_job(db: Database) -> dict[str, Any]:
    from xinfang_desktop.documents.document_store import office_info
    from xinfang_desktop.documents.types import all_specs
    from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds, list_profiles
    from xinfang_desktop.persistence.settings_store import SqlSettings

    with db.read_session() as session:
        values = SqlSettings(session).all()
    office = office_info(db)
    plain = dataclasses.replace(office, prefixes={})
    stored_prefixes = values.get("document_prefixes")
    prefixes = stored_prefixes if isinstance(stored_prefixes, dict) else {}
    return {
        "values": values,
        "thresholds": deadline_thresholds(db).to_json(),
        "profiles": [(p.id, p.name) for p in list_profiles()],
        "types": [(s.type_id, s.label, plain.prefix(s.type_id), prefixes.get(s.type_id, "")) for s in all_specs()],
    }


def save_job(changes: dict[str, Any]) -> Any:
    def job(db: Database) -> list[str]:
        from xinfang_desktop.persistence.settings_store import set_setting

        for key, value in changes.items():
            set_setting(db, key, value)
        return list(changes)

    return job


def years_job(db: Database) -> list[dict[str, Any]]:
    from xinfang_desktop.persistence.calendar_store import list_years

    return [y.to_json() for y in list_years(db)]


def import_year_job(text: str, replace: bool) -> Any:
    def job(db: Database) -> dict[str, Any]:
        from xinfang_desktop.core.workdays import parse_holiday_year
        from xinfang_desktop.persistence.calendar_store import import_year

        return import_year(db, parse_holiday_year(text), replace=replace).to_json()

    return job


def fonts_job(_db: Database) -> list[dict[str, Any]]:
    from xinfang_desktop.documents.fonts import get_fonts

    fonts = get_fonts()
    return [
        {"role": role.value, "family": face.family, "bundled": face.bundled, "path": str(face.path)}
        for role, face in fonts.primary.items()
    ]


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #666666;")
    return label


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return table


def _fit_columns(table: QTableWidget, *, stretch: int) -> None:
    """Short columns to their contents, the long-text column takes the rest: measuring the long texts (the source
    of a holiday table, a font's path) to size a column that stretches anyway cost the GUI thread ~50 ms."""
    for column in range(table.columnCount()):
        if column != stretch:
            table.resizeColumnToContents(column)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


class YearDialog(QDialog):
    """Type one year's arrangement: its 法定节假日 and 调休上班日 (ranges like 2027-02-06 .. 2027-02-12)."""

    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("添加节假日安排")
        self.setMinimumWidth(520)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2199)
        self.year_spin.setValue(year)
        self.source_edit = QLineEdit(f"国务院办公厅关于{year}年部分节假日安排的通知")
        self.year_spin.valueChanged.connect(
            lambda y: self.source_edit.setText(f"国务院办公厅关于{y}年部分节假日安排的通知")
        )
        self.holidays_edit = QPlainTextEdit()
        self.holidays_edit.setPlaceholderText(f"{year}-01-01, {year}-02-06 .. {year}-02-12, …")
        self.makeup_edit = QPlainTextEdit()
        self.makeup_edit.setPlaceholderText(f"{year}-02-14, …")
        self.makeup_edit.setFixedHeight(60)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        form = QFormLayout()
        form.addRow("年份：", self.year_spin)
        form.addRow("依据：", self.source_edit)
        form.addRow("法定节假日：", self.holidays_edit)
        form.addRow("调休上班日：", self.makeup_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_note("日期用逗号或空格分隔，连续的日期可写成“起..止”（含两端）。"))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def text(self) -> str:
        """The simple text import format of `core/workdays`."""

        def one_line(edit: QPlainTextEdit) -> str:
            return " ".join(edit.toPlainText().split())

        return (
            f"year: {self.year_spin.value()}\n"
            f"source: {self.source_edit.text().strip()}\n"
            f"holidays: {one_line(self.holidays_edit)}\n"
            f"makeup_workdays: {one_line(self.makeup_edit)}\n"
        )


class SettingsPanel(QWidget):
    saved = Signal(object)  # list of the keys written (`object`: no conversion to a QVariantList)
    years_loaded = Signal(object)  # list of years

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.loaded: dict[str, Any] | None = None
        self.year_rows: list[dict[str, Any]] = []
        self.tabs = QTabWidget()
        self.tabs.addTab(self._office_tab(), "单位与文书")
        self.tabs.addTab(self._rules_tab(), "期限规则")
        self.tabs.addTab(self._holidays_tab(), "节假日安排")
        self.fonts_page = self._fonts_tab()
        self._fonts_asked = False
        self.tabs.addTab(self.fonts_page, "文书字体")
        if may("system.maintain"):  # backups are the system administrator's (issue 17)
            self.tabs.addTab(BackupTab(ctx), "备份与恢复")  # issue 17: ui/backup_tab.py
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.save_button = QPushButton("保存设置（Ctrl+S）")
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.setStyleSheet("QPushButton { font-weight: bold; padding: 4px 14px; }")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("放弃修改")
        gate("settings.manage", self.save_button, self.revert_button)
        self.revert_button.clicked.connect(self.reload)
        bar = QHBoxLayout()
        bar.addWidget(self.message, 1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(QLabel("<h2>设置</h2>"))
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bar)

    # -- tabs ----------------------------------------------------------------------------------------------

    def _office_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        self.text_edits: dict[str, QLineEdit] = {}
        for key, label in TEXT_KEYS.items():
            edit = QLineEdit()
            edit.setMaxLength(200)
            edit.setMaximumWidth(480)
            self.text_edits[key] = edit
            form.addRow(label + "：", edit)
        self.text_edits["document_issuer_mark"].setPlaceholderText("不填则用单位名称")
        self.text_edits["document_abbreviation"].setPlaceholderText("不填则由单位名称推出")
        self.prefix_table = _table(["文书", "默认文号前缀", "本单位前缀（可改）"])
        self.prefix_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self._prefix_columns()
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(QLabel("文书编号前缀（文号形如“示信受〔2026〕1号”；双击第三列修改，留空用默认）："))
        layout.addWidget(self.prefix_table, 1)
        return page

    def _rules_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.profile_combo = QComboBox()
        self.profile_combo.setMinimumWidth(320)
        self.collective_spin = QSpinBox()
        self.collective_spin.setRange(2, 1000)
        self.collective_spin.setSuffix(" 人")
        self.due_soon_spin = QSpinBox()
        self.due_soon_spin.setRange(0, 30)
        self.due_soon_spin.setSuffix(" 个工作日")
        self.overdue_spin = QSpinBox()
        self.overdue_spin.setRange(0, 365)
        self.overdue_spin.setSuffix(" 日")
        form.addRow("期限规则配置：", self.profile_combo)
        form.addRow("", _note("全国规则或本省信访条例的期限；改变后新的期限按新配置计算。"))
        form.addRow("集体访人数标准：", self.collective_spin)
        form.addRow("临期提醒：", self.due_soon_spin)
        form.addRow("", _note("期限在今后这么多个工作日内届满的，列入工作台的“即将到期”。"))
        form.addRow("严重超期：", self.overdue_spin)
        form.addRow("", _note("超过期限这么多日的，标为严重超期。"))
        return page

    def _holidays_tab(self) -> QWidget:
        page = QWidget()
        self.years_table = _table(["年份", "来源", "依据", "节假日", "调休上班日", "导入时间"])
        self.years_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.import_button = QPushButton("从文件导入…")
        self.import_button.setToolTip(
            "节假日文件：JSON，或文本，每行一项——年份：2027；来源：通知名称；法定节假日：2027-01-01, "
            "2027-02-06..2027-02-12；调休上班日：2027-02-14（详见 帮助 → 使用手册 → 工作日历与节假日）。"
            "也可用“添加年份…”逐日选择。"
        )
        self.import_button.clicked.connect(self._choose_import_file)
        self.add_year_button = QPushButton("添加年份…")
        self.add_year_button.clicked.connect(self.add_year)
        self.delete_year_button = QPushButton("删除导入的年份")
        self.delete_year_button.setEnabled(False)
        self.delete_year_button.clicked.connect(self._delete_year)
        gate("system.maintain", self.import_button, self.add_year_button, self.delete_year_button)
        self.years_table.itemSelectionChanged.connect(self._year_selected)
        self.holiday_message = QLabel()
        self.holiday_message.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.import_button)
        bar.addWidget(self.add_year_button)
        bar.addWidget(self.delete_year_button)
        bar.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(
            _note(
                "期限按工作日计算，需要每年国务院办公厅公布的节假日安排。没有数据的年份只按周末计算，"
                "结果标为“暂定”。每年第四季度请导入下一年的安排。"
            )
        )
        layout.addLayout(bar)
        layout.addWidget(self.years_table, 1)
        layout.addWidget(self.holiday_message)
        return page

    def _fonts_tab(self) -> QWidget:
        page = QWidget()
        self.fonts_table = _table(["用途", "字体", "来源", "文件"])
        self.fonts_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(page)
        layout.addWidget(
            _note(
                "文书按 GB/T 9704 使用各类字体：优先用本机安装的字体"
                "（仿宋_GB2312、黑体、楷体_GB2312、方正小标宋简体），没有时用软件自带的免费字体。要改用其他字体，把字体文件装入系统字体目录后重新启动。"
            )
        )
        layout.addWidget(self.fonts_table, 1)
        return page

    # -- loading -------------------------------------------------------------------------------------------

    def start(self) -> None:
        self.reload()
        self.load_years()
        self.tabs.currentChanged.connect(self._tab_shown)
        self._tab_shown(self.tabs.currentIndex())

    def _tab_shown(self, index: int) -> None:
        """The fonts are read when their tab is first shown: resolving them parses the font files (~0.5 s of Python
        on the database thread, which slowed the whole window while it ran)."""
        if index == self.tabs.indexOf(self.fonts_page) and not self._fonts_asked:
            self._fonts_asked = True
            self._ctx.tasks.run_db(fonts_job, self._fonts_loaded, lambda exc: self.show_message(_message(exc), True))

    def reload(self) -> None:
        self._ctx.tasks.run_db(load_job, self._loaded, lambda exc: self.show_message(_message(exc), True))

    def _loaded(self, data: dict[str, Any]) -> None:
        self.loaded = data
        values = data["values"]
        for key, edit in self.text_edits.items():
            edit.setText(str(values.get(key) or ""))
        self.profile_combo.clear()
        for pid, name in data["profiles"]:
            self.profile_combo.addItem(name, pid)
        index = self.profile_combo.findData(values.get("rule_profile"))
        self.profile_combo.setCurrentIndex(max(index, 0))
        self.collective_spin.setValue(int(values.get("collective_threshold") or 5))
        self.due_soon_spin.setValue(int(data["thresholds"]["due_soon_workdays"]))
        self.overdue_spin.setValue(int(data["thresholds"]["seriously_overdue_days"]))
        types = data["types"]
        self.prefix_table.setRowCount(len(types))
        for r, (type_id, label, default, custom) in enumerate(types):
            for c, text in enumerate((label, default, custom)):
                item = QTableWidgetItem(text)
                if c < 2:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, type_id)
                self.prefix_table.setItem(r, c, item)
        self._prefix_columns()
        self.show_message("")

    def _prefix_columns(self) -> None:
        header = self.prefix_table.horizontalHeader()
        header.resizeSection(0, 220)
        header.resizeSection(1, 160)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {'#c62828' if error else '#2e7d32'};")

    # -- saving --------------------------------------------------------------------------------------------

    def _prefixes(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for r in range(self.prefix_table.rowCount()):
            head, custom = self.prefix_table.item(r, 0), self.prefix_table.item(r, 2)
            if head is not None and custom is not None and custom.text().strip():
                out[str(head.data(Qt.ItemDataRole.UserRole))] = custom.text().strip()
        return out

    def changes(self) -> dict[str, Any]:
        """The settings that differ from what was loaded (only these are written)."""
        if self.loaded is None:
            return {}
        values = self.loaded["values"]
        wanted: dict[str, Any] = {}
        for key, edit in self.text_edits.items():
            text = edit.text().strip()
            if text != str(values.get(key) or "") and (text or key in ("office_name", "case_number_prefix")):
                wanted[key] = text
        if self.profile_combo.currentData() != values.get("rule_profile"):
            wanted["rule_profile"] = self.profile_combo.currentData()
        if self.collective_spin.value() != values.get("collective_threshold"):
            wanted["collective_threshold"] = self.collective_spin.value()
        thresholds = {
            "due_soon_workdays": self.due_soon_spin.value(),
            "seriously_overdue_days": self.overdue_spin.value(),
        }
        if thresholds != self.loaded["thresholds"]:
            wanted["deadline_thresholds"] = thresholds
        prefixes = self._prefixes()
        stored = values.get("document_prefixes")
        if prefixes != (stored if isinstance(stored, dict) else {}):
            wanted["document_prefixes"] = prefixes
        return wanted

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.show_message("没有需要保存的修改。")
            return
        self.save_button.setEnabled(False)

        def done(keys: list[str]) -> None:
            self.save_button.setEnabled(True)
            self.reload()
            self.show_message(f"已保存 {len(keys)} 项设置。")
            self.saved.emit(keys)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.show_message("未能保存：" + _message(exc), True)

        self._ctx.tasks.run_db(save_job(changes), done, failed)

    # -- holidays ------------------------------------------------------------------------------------------

    def load_years(self) -> None:
        self._ctx.tasks.run_db(years_job, self._years_loaded, lambda exc: self._holiday_note(_message(exc), True))

    def _years_loaded(self, years: list[dict[str, Any]]) -> None:
        self.year_rows = years
        self.years_table.setRowCount(len(years))
        for r, y in enumerate(years):
            origin = y["origin_label"] + ("（替代随软件提供的）" if y["overrides_shipped"] else "")
            values = [
                f"{y['year']}年",
                origin,
                y["source"] or "",
                f"{y['holidays']} 天",
                f"{y['makeup_workdays']} 天",
                (y["imported_at"] or "").replace("T", " "),
            ]
            for c, text in enumerate(values):
                self.years_table.setItem(r, c, QTableWidgetItem(text))
        _fit_columns(self.years_table, stretch=2)
        self.years_loaded.emit(years)

    def _holiday_note(self, text: str, error: bool = False) -> None:
        self.holiday_message.setText(text)
        self.holiday_message.setStyleSheet(f"color: {'#c62828' if error else '#2e7d32'};")

    def _year_selected(self) -> None:
        row = self.years_table.currentRow()
        ok = 0 <= row < len(self.year_rows) and self.year_rows[row]["origin"] == "imported"
        self.delete_year_button.setEnabled(ok)

    def _choose_import_file(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, "导入节假日安排", "", "节假日文件 (*.json *.txt);;所有文件 (*)")
        if path:
            try:
                text = Path(path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                self._holiday_note(f"无法读取 {path}：{exc}", True)
                return
            self.import_text(text)

    def import_text(self, text: str, replace: bool = False) -> None:
        """Import one year (JSON or the text format); a year already present is replaced after asking."""

        def done(info: dict[str, Any]) -> None:
            self._holiday_note(f"已导入{info['year']}年节假日安排（{info['holidays']}天节假日）。")
            self.load_years()

        def failed(exc: BaseException) -> None:
            from xinfang_desktop.core.errors import ConflictError

            if isinstance(exc, ConflictError) and not replace and self.confirm_replace(_message(exc)):
                self.import_text(text, replace=True)
                return
            self._holiday_note("未能导入：" + _message(exc), True)

        self._ctx.tasks.run_db(import_year_job(text, replace), done, failed)

    def confirm_replace(self, message: str) -> bool:
        answer = QMessageBox.question(self, "覆盖节假日安排", message.replace("如需覆盖请加 --replace", "是否覆盖？"))
        return answer == QMessageBox.StandardButton.Yes

    def add_year(self) -> None:
        years = [int(y["year"]) for y in self.year_rows]
        dialog = YearDialog(max(years) + 1 if years else self._ctx.today().year, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.import_text(dialog.text())

    def _delete_year(self) -> None:
        row = self.years_table.currentRow()
        if not 0 <= row < len(self.year_rows):
            return
        year = int(self.year_rows[row]["year"])

        def job(db: Database) -> bool:
            from xinfang_desktop.persistence.calendar_store import delete_imported_year

            return delete_imported_year(db, year)

        def done(_removed: bool) -> None:
            self._holiday_note(f"已删除导入的{year}年安排。")
            self.load_years()

        self._ctx.tasks.run_db(job, done, lambda exc: self._holiday_note(_message(exc), True))

    # -- fonts ---------------------------------------------------------------------------------------------

    def _fonts_loaded(self, fonts: list[dict[str, Any]]) -> None:
        self.fonts_table.setRowCount(len(fonts))
        for r, f in enumerate(fonts):
            values = [
                ROLE_LABELS.get(f["role"], f["role"]),
                f["family"],
                "软件自带" if f["bundled"] else "本机安装",
                f["path"],
            ]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.fonts_table.setItem(r, c, item)
        _fit_columns(self.fonts_table, stretch=3)
