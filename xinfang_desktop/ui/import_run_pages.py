"""Steps 3 and 4 of 导入台账: the dry run (counts and every bad row, 导出错误行…) and the import itself, both on the
task runner with a progress bar; the import can be cancelled (its one transaction is then rolled back)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from xinfang_desktop.ui.progress import PolledProgress

if TYPE_CHECKING:
    from xinfang_desktop.ui.import_wizard import ImportWizard


def _message(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc)


def _counts(report: Any) -> str:
    return (
        f"共 {report.rows:,} 行：新建信访事项 {report.cases:,} 件，"
        f"重复信访 {report.submissions:,} 次（计入已有事项的批次、人次），"
        f"跳过 {len(report.skipped):,} 行，错误 {report.bad_rows:,} 行"
    )


class DryRunPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("第三步：试导入")
        self.setSubTitle("先完整检查一遍，不写入数据库。错误行可导出为 Excel，改正后再导入。")
        self.report: Any = None
        self.cancel = threading.Event()  # set when the wizard is closed during the dry run
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        self.errors = QTableWidget(0, 3)
        self.errors.setHorizontalHeaderLabels(["行号", "列", "原因"])
        self.errors.verticalHeader().setVisible(False)
        self.errors.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.errors.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.export_button = QPushButton("导出错误行…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._export)
        self.skip_bad = QCheckBox("跳过错误行，只导入正确的行")
        self.skip_bad.toggled.connect(lambda _checked: self.completeChanged.emit())
        row = QHBoxLayout()
        row.addWidget(self.skip_bad)
        row.addStretch(1)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addWidget(self.errors, 1)
        layout.addLayout(row)

    def initializePage(self) -> None:
        from xinfang_desktop.importing.run import run_import

        self.report = None
        self.errors.setRowCount(0)
        self.export_button.setEnabled(False)
        self.summary.setText("正在试导入…")
        self.summary.setStyleSheet("")
        w = self._wizard
        mapping = w.mapping_page.mapping()
        path, sheet, today = w.path, w.sheet, w.ctx.today()
        self.cancel = cancel = threading.Event()
        progress = PolledProgress(self.bar, self)
        progress.start()

        def job(db: Any) -> Any:
            return run_import(
                db, path, today=today, sheet=sheet, mapping=mapping, dry_run=True, progress=progress, cancel=cancel
            )

        def done(report: Any) -> None:
            if not shiboken6.isValid(self):
                return  # the wizard was closed meanwhile
            progress.stop()
            self.bar.setVisible(False)
            self.report = report
            self.summary.setText(_counts(report) + ("。可以导入。" if not report.errors else "。"))
            self.summary.setStyleSheet("color: #c62828;" if report.errors else "color: #2e7d32;")
            self.errors.setRowCount(len(report.errors))
            for r, e in enumerate(report.errors):
                for c, v in enumerate((str(e.row), e.column, e.reason)):
                    self.errors.setItem(r, c, QTableWidgetItem(v))
            self.errors.resizeColumnToContents(0)
            self.errors.resizeColumnToContents(1)
            self.export_button.setEnabled(bool(report.bad))
            self.completeChanged.emit()

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            progress.stop()
            self.bar.setVisible(False)
            self.summary.setText("无法试导入：" + _message(exc))
            self.summary.setStyleSheet("color: #c62828;")

        w.run(job, done, failed)

    def _export(self) -> None:
        from pathlib import Path

        report = self.report
        if report is None:
            return
        target, _f = QFileDialog.getSaveFileName(
            self, "导出错误行", f"{Path(report.file).stem}-错误行.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if target:
            self.export_to(target if target.endswith(".xlsx") else target + ".xlsx")

    def export_to(self, target: str) -> None:
        from xinfang_desktop.importing.error_sheet import write_error_rows

        report = self.report

        def done(count: int) -> None:
            self.summary.setText(_counts(report) + f"。已导出 {count} 个错误行到 {target}（改正后可再次导入）")

        self._wizard.run(lambda _db: write_error_rows(target, report.headers, report.bad), done,
                         lambda exc: self.summary.setText("导出失败：" + _message(exc)))  # fmt: skip

    def isComplete(self) -> bool:
        r = self.report
        if r is None or r.cases + r.submissions == 0:
            return False
        return not r.errors or self.skip_bad.isChecked()


class RunPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("第四步：导入")
        self.setSubTitle("全部写入或全部不写入：中途取消、断电都不会留下一半的数据。")
        self.report: Any = None
        self.finished = False
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.bar = QProgressBar()
        self.cancel_button = QPushButton("取消导入")
        self.cancel = threading.Event()
        self.cancel_button.clicked.connect(self._cancel)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def _cancel(self) -> None:
        self.cancel.set()
        self.cancel_button.setEnabled(False)
        self.summary.setText("正在取消…")

    def initializePage(self) -> None:
        from xinfang_desktop.importing.run import run_import

        w = self._wizard
        self.finished = False
        self.cancel = threading.Event()
        self.cancel_button.setEnabled(True)
        mapping = w.mapping_page.mapping()
        skip = w.dry_run_page.skip_bad.isChecked()
        path, sheet, today, user, cancel = w.path, w.sheet, w.ctx.today(), w.ctx.user, self.cancel
        progress = PolledProgress(self.bar, self)
        progress.start()
        self.summary.setText("正在导入…")

        def job(db: Any) -> Any:
            return run_import(
                db, path, today=today, sheet=sheet, mapping=mapping, skip_bad_rows=skip, user=user, progress=progress,
                cancel=cancel,
            )  # fmt: skip

        def done(report: Any) -> None:
            if not shiboken6.isValid(self):
                return  # the wizard was closed meanwhile: the import itself finished (or was cancelled)
            progress.stop()
            self.report = report
            if report.committed:
                self.summary.setText("导入完成。" + _counts(report) + "。超期的事项已在“已超期”队列中。")
                self.summary.setStyleSheet("color: #2e7d32;")
            else:
                self.summary.setText("未导入：" + _counts(report) + "。数据库未作任何改动。")
                self.summary.setStyleSheet("color: #c62828;")
            self._end()

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            progress.stop()
            self.summary.setText(_message(exc))
            self.summary.setStyleSheet("color: #c62828;")
            self._end()

        w.run(job, done, failed)

    def _end(self) -> None:
        self.finished = True
        self.cancel_button.setEnabled(False)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.finished
