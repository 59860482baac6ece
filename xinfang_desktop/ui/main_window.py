"""The main window: a navigation list on the left, one panel per section on the right, and the status bar.

It only wires sections together; each section is its own module.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QWidget

from xinfang_desktop import APP_LABEL
from xinfang_desktop.core.ledger import LedgerFilter, SortKey
from xinfang_desktop.core.queues import queue
from xinfang_desktop.ui.case_detail_dialog import CaseDetailDialog
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.documents_panel import DocumentsPanel
from xinfang_desktop.ui.intake_panel import IntakePanel
from xinfang_desktop.ui.ledger.case_table_model import warm_up_job
from xinfang_desktop.ui.ledger.ledger_panel import LedgerPanel
from xinfang_desktop.ui.packages_panel import PackagesPanel
from xinfang_desktop.ui.placeholder_panel import PlaceholderPanel
from xinfang_desktop.ui.settings_panel import SettingsPanel
from xinfang_desktop.ui.statistics_panel import StatisticsPanel
from xinfang_desktop.ui.status_bar import AppStatusBar, environment_job
from xinfang_desktop.ui.warnings_panel import WarningsPanel
from xinfang_desktop.ui.workbench_panel import WorkbenchPanel, queue_filter_job

log = logging.getLogger(__name__)
LEDGER_WARM_UP_MS = 1500  # after start(): the workbench's counts and its first paint are done by then


@dataclass(frozen=True)
class Section:
    key: str
    title: str


SECTIONS = (
    Section("workbench", "工作台"),
    Section("ledger", "信访台账"),
    Section("intake", "来信来访登记"),
    Section("leader_cases", "领导包案"),
    Section("warnings", "预警与积案"),
    Section("documents", "文书"),
    Section("statistics", "统计"),
    Section("settings", "设置"),
)

# What a section not built yet will do (shown by its placeholder); every section is built now.
PLANS: dict[str, list[str]] = {}


class MainWindow(QMainWindow):
    section_changed = Signal(str)

    def __init__(self, ctx: AppContext, settings: QSettings | None = None) -> None:
        super().__init__()
        self._ctx = ctx
        self._settings = settings
        self._started: set[str] = set()
        self.dialogs: list[CaseDetailDialog] = []
        self.setWindowTitle(APP_LABEL)
        self.setMinimumSize(720, 480)

        self.workbench = WorkbenchPanel(ctx)
        self.ledger = LedgerPanel(ctx)
        self.intake = IntakePanel(ctx)
        self.documents = DocumentsPanel(ctx)
        self.settings_panel = SettingsPanel(ctx)
        self.packages = PackagesPanel(ctx)
        self.warnings = WarningsPanel(ctx)
        self.statistics = StatisticsPanel(ctx)
        self.panels: dict[str, QWidget] = {
            "leader_cases": self.packages,
            "warnings": self.warnings,
            "workbench": self.workbench,
            "ledger": self.ledger,
            "intake": self.intake,
            "documents": self.documents,
            "statistics": self.statistics,
            "settings": self.settings_panel,
        }
        for section in SECTIONS:
            if section.key not in self.panels:
                self.panels[section.key] = PlaceholderPanel(section.title, PLANS[section.key])

        self.nav = QListWidget()
        self.nav.setFixedWidth(150)
        self.nav.setObjectName("navigation")
        self.nav.setStyleSheet(
            "QListWidget#navigation { background: #f4f6f8; border: none; border-right: 1px solid #d9dee3;"
            " padding-top: 8px; font-size: 11pt; outline: 0; }"
            "QListWidget#navigation::item { padding: 9px 14px; outline: 0; }"
            "QListWidget#navigation::item:selected { background: #1565c0; color: white; }"
        )
        self.stack = QStackedWidget()
        for i, section in enumerate(SECTIONS):
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            item.setToolTip(f"{section.title}（Ctrl+{i + 1}）")
            self.nav.addItem(item)
            self.stack.addWidget(self.panels[section.key])
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, self._goto(section.key))
        self.nav.currentRowChanged.connect(self._row_changed)
        self.nav.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status = AppStatusBar(ctx)
        self.setStatusBar(self.status)

        self.workbench.queue_activated.connect(self.open_queue)
        self.ledger.case_activated.connect(self.open_case)
        self.warnings.case_activated.connect(self.open_case)
        self.warnings.ledger_requested.connect(self.show_in_ledger)
        self.intake.case_saved.connect(self._case_saved)
        self.settings_panel.saved.connect(lambda _keys: self.start())
        self.settings_panel.years_loaded.connect(lambda _years: self.start())
        self.documents.issued.connect(lambda _doc: self.ledger.refresh())
        if settings is not None:
            geometry = settings.value("main_window/geometry")
            if isinstance(geometry, QByteArray) and not geometry.isEmpty():
                self.restoreGeometry(geometry)
            else:
                self.resize(1280, 800)
        else:
            self.resize(1280, 800)

    # -- sections ----------------------------------------------------------------------------------------------

    def _goto(self, key: str) -> Callable[[], None]:
        return lambda: self.show_section(key)

    @property
    def current_section(self) -> str:
        return SECTIONS[self.nav.currentRow()].key

    def show_section(self, key: str) -> None:
        row = next(i for i, s in enumerate(SECTIONS) if s.key == key)
        if self.nav.currentRow() == row:
            self._row_changed(row)
        else:
            self.nav.setCurrentRow(row)

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        key = SECTIONS[row].key
        self.stack.setCurrentIndex(row)
        if key not in self._started:
            self._started.add(key)
            self.panels[key].start()  # type: ignore[attr-defined]
        self.section_changed.emit(key)

    def start(self) -> None:
        """Called once the window is shown: status bar facts and the first section."""
        today = self._ctx.today()

        def done(info: dict[str, object]) -> None:
            self.status.show_environment(info)
            office = info.get("office_name")
            if office:
                self.setWindowTitle(f"{APP_LABEL} — {office}")

        self._ctx.tasks.run_db(environment_job(today), done, lambda exc: self.status.showMessage(str(exc)))
        QTimer.singleShot(LEDGER_WARM_UP_MS, self._warm_up_ledger)

    def _warm_up_ledger(self) -> None:
        """Once the first screen has settled: compile the ledger's first query unless the ledger is open already."""
        if "ledger" not in self._started:
            self._ctx.tasks.run_db(warm_up_job, None, lambda exc: log.info("ledger warm-up failed: %s", exc))

    # -- actions -----------------------------------------------------------------------------------------------

    def open_queue(self, key: str) -> None:
        """Show a work queue in the ledger: its filter is computed on the database thread (calendar, user)."""
        if key == "explanations":
            self.show_section("warnings")
            return
        q = queue(key)
        self._started.add("ledger")
        self.show_section("ledger")
        self._ctx.tasks.run_db(
            queue_filter_job(key, self._ctx.today(), self._ctx.user),
            lambda flt: self.ledger.show_queue(flt, q.sort, q.descending, q.label),
            lambda exc: self.status.showMessage(str(exc)),
        )

    def show_in_ledger(self, flt: LedgerFilter, label: str) -> None:
        """Another section's list in full in the ledger (newest received first), to filter, sort and export."""
        self._started.add("ledger")
        self.show_section("ledger")
        self.ledger.show_queue(flt, SortKey.RECEIVED, True, label)

    def open_case(self, number: str) -> CaseDetailDialog:
        dialog = CaseDetailDialog(self._ctx, number, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result, d=dialog: self.dialogs.remove(d) if d in self.dialogs else None)
        dialog.changed.connect(self._case_saved)
        self.dialogs.append(dialog)
        dialog.show()
        return dialog

    def _case_saved(self, _number: str) -> None:
        self.ledger.refresh()
        self.workbench.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._settings is not None:
            self._settings.setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)
