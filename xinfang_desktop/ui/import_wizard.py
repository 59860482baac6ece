"""导入台账: a wizard a clerk completes alone — the file, the mapping of its columns and values, a dry run with every
bad row, then the import with progress and cancel. All reading and writing runs on the task runner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.import_mapping_page import MappingPage
from xinfang_desktop.ui.import_run_pages import DryRunPage, RunPage

FILE_FILTER = "台账文件 (*.xlsx *.xlsm *.xls *.et *.ods *.csv);;所有文件 (*)"
NO_PROFILE = "（不使用，自动识别）"


def _message(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc)


class FilePage(QWizardPage):
    """The file, its sheet (encoding shown for CSV) and an optional saved import profile."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("第一步：选择文件")
        self.setSubTitle("可导入 Excel（.xlsx、.xls、WPS .et）、.ods 和 CSV（UTF-8 或 GBK 编码自动识别）。")
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("请点击“浏览…”选择文件")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.sheet_combo = QComboBox()
        self.profile_combo = QComboBox()
        self.profile_combo.addItem(NO_PROFILE)
        self.info = QLabel("")
        self.info.setWordWrap(True)
        form = QFormLayout()
        form.addRow("文件", row)
        form.addRow("工作表", self.sheet_combo)
        form.addRow("导入方案", self.profile_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addStretch(1)
        self.profiles: dict[str, Any] = {}

    def initializePage(self) -> None:
        from xinfang_desktop.persistence.importing.profiles import list_profiles

        def done(profiles: dict[str, Any]) -> None:
            self.profiles = profiles
            self.profile_combo.clear()
            self.profile_combo.addItem(NO_PROFILE)
            self.profile_combo.addItems(sorted(profiles))

        self._wizard.ctx.tasks.run_db(list_profiles, done, lambda exc: None)

    def _browse(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, "选择要导入的台账", "", FILE_FILTER)
        if path:
            self.choose(path)

    def choose(self, path: str) -> None:
        """Open `path` (the 浏览… button, or a test): list its sheets or say why it cannot be read."""
        from xinfang_desktop.importing.readers import inspect_source

        self.path_edit.setText(path)
        self.sheet_combo.clear()
        self.info.setText("正在读取…")

        def done(info: Any) -> None:
            self.sheet_combo.addItems(list(info.sheets))
            size = f"{info.size / 1048576:.1f} MB" if info.size >= 1048576 else f"{max(1, info.size // 1024)} KB"
            text = f"{Path(path).name}，{size}，{len(info.sheets)} 个工作表"
            if info.encoding:
                text += f"，编码：{info.encoding}"
            self.info.setText(text)
            self.completeChanged.emit()

        def failed(exc: BaseException) -> None:
            self.info.setText("无法导入这个文件：" + _message(exc))
            self.info.setStyleSheet("color: #c62828;")
            self.completeChanged.emit()

        self.info.setStyleSheet("")
        self._wizard.ctx.tasks.run_db(lambda _db: inspect_source(path), done, failed)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text()) and self.sheet_combo.count() > 0

    @property
    def profile(self) -> dict[str, Any] | None:
        name = self.profile_combo.currentText()
        found = self.profiles.get(name) if name != NO_PROFILE else None
        return found if isinstance(found, dict) else None


class ImportWizard(QWizard):
    """The four steps; `report` holds the last dry run's or import's report."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("导入台账")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步 >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< 上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "关闭")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.dry_run_page = DryRunPage(self)
        self.run_page = RunPage(self)
        for page in (self.file_page, self.mapping_page, self.dry_run_page, self.run_page):
            self.addPage(page)
        self.resize(1000, 680)

    def reject(self) -> None:
        """关闭 during a dry run or an import cancels it (rolled back at the next chunk of rows)."""
        self.dry_run_page.cancel.set()
        if not self.run_page.finished:
            self.run_page.cancel.set()
        super().reject()

    @property
    def path(self) -> str:
        return self.file_page.path_edit.text()

    @property
    def sheet(self) -> str | None:
        return self.file_page.sheet_combo.currentText() or None

    def run(self, fn: Any, done: Any, failed: Any) -> None:
        def job(db: Database) -> Any:
            return fn(db)

        self.ctx.tasks.run_db(job, done, failed)
