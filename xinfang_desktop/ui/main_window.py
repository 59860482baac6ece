"""The main window: a navigation list on the left, one panel per section on the right, and the status bar.

It only wires sections together; each section is its own module. 工作台 and 信访台账 are built with the window; the
other sections are imported and built the first time they are opened (start-up imports only the first screen).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QWidget

from xinfang_desktop import APP_LABEL
from xinfang_desktop.core.ledger import LedgerFilter, SortKey
from xinfang_desktop.core.queues import queue
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.help_menu import install_help_menu
from xinfang_desktop.ui.import_menu import install_import_menu
from xinfang_desktop.ui.ledger.case_table_model import warm_up_job
from xinfang_desktop.ui.ledger.ledger_panel import LedgerPanel
from xinfang_desktop.ui.placeholder_panel import PlaceholderPanel
from xinfang_desktop.ui.status_bar import AppStatusBar, environment_job
from xinfang_desktop.ui.stepwise_import import STEP_GAP_MS, import_in_steps
from xinfang_desktop.ui.workbench_panel import WorkbenchPanel, queue_filter_job

if TYPE_CHECKING:
    from xinfang_desktop.ui.case_detail_dialog import CaseDetailDialog
    from xinfang_desktop.ui.documents_panel import DocumentsPanel
    from xinfang_desktop.ui.intake_panel import IntakePanel
    from xinfang_desktop.ui.packages_panel import PackagesPanel
    from xinfang_desktop.ui.settings_panel import SettingsPanel
    from xinfang_desktop.ui.statistics_panel import StatisticsPanel
    from xinfang_desktop.ui.warnings_panel import WarningsPanel

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
    Section("responsibility", "责任落实"),
    Section("security", "账号与安全"),
)

# What a section not built yet will do (shown by its placeholder); every section is built now.
PLANS: dict[str, list[str]] = {}

# The sections built when first opened: module and class of the panel.
LAZY_PANELS: dict[str, tuple[str, str]] = {
    "intake": ("xinfang_desktop.ui.intake_panel", "IntakePanel"),
    "leader_cases": ("xinfang_desktop.ui.packages_panel", "PackagesPanel"),
    "warnings": ("xinfang_desktop.ui.warnings_panel", "WarningsPanel"),
    "documents": ("xinfang_desktop.ui.documents_panel", "DocumentsPanel"),
    "statistics": ("xinfang_desktop.ui.statistics_panel", "StatisticsPanel"),
    "settings": ("xinfang_desktop.ui.settings_panel", "SettingsPanel"),
    "responsibility": ("xinfang_desktop.ui.responsibility.panel", "ResponsibilityPanel"),
    "security": ("xinfang_desktop.ui.security_panel", "SecurityPanel"),
}


class OpeningPanel(QLabel):
    """Stands in the stack for a section until its module is imported and its panel built (a fraction of a
    second, the first time only)."""

    def __init__(self, title: str) -> None:
        super().__init__(f"正在打开「{title}」…")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("color: #757575;")


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
        self.panels: dict[str, QWidget] = {"workbench": self.workbench, "ledger": self.ledger}
        for section in SECTIONS:
            if section.key not in self.panels and section.key not in LAZY_PANELS:
                self.panels[section.key] = PlaceholderPanel(section.title, PLANS[section.key])
        self._opening: dict[str, QWidget] = {}  # stand-ins of the sections not built yet
        self._importing: set[str] = set()
        self._constructed: dict[str, QWidget] = {}  # built, not yet in the stack

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
        self.shortcuts: dict[str, QShortcut] = {}
        for i, section in enumerate(SECTIONS):
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            key = (i + 1) % 10  # the tenth section on Ctrl+0
            item.setToolTip(f"{section.title}（Ctrl+{key}）")
            self.nav.addItem(item)
            panel = self.panels.get(section.key)
            if panel is None:
                panel = self._opening[section.key] = OpeningPanel(section.title)
            self.stack.addWidget(panel)
            self.shortcuts[section.key] = QShortcut(QKeySequence(f"Ctrl+{key}"), self, self._goto(section.key))
        # The first section starts in start(), once the user has logged in (no query runs before the login).
        self.nav.setCurrentRow(0)
        self.nav.currentRowChanged.connect(self._row_changed)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status = AppStatusBar(ctx)
        self.setStatusBar(self.status)
        self.status.holidays_requested.connect(self.show_holidays)
        install_import_menu(self, ctx)  # 文件 → 导入台账… (issue 15)
        install_help_menu(self, lambda: self.status.info.get("database"))  # 帮助, F1 (issue 18)

        self.workbench.queue_activated.connect(self.open_queue)
        self.ledger.case_activated.connect(self.open_case)
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
        if key in self.panels:
            self._section_shown(key)
        elif key not in self._importing:
            self._importing.add(key)
            # Steps with the event loop turning in between, none felt: the imports, the panel's construction, its
            # polish and layout while hidden, then showing it (the 统计 panel in one go stalled the window 60 ms).
            import_in_steps(LAZY_PANELS[key][0], lambda _module: self._after_a_turn(self._construct_step, key))

    def _after_a_turn(self, step: Callable[[str], None], key: str) -> None:
        if not shiboken6.isValid(self):
            return  # the window was closed while a section's modules were being imported
        # The window as the timer's context: a window closed between the steps cancels them (a bare lambda would
        # run against deleted widgets).
        QTimer.singleShot(STEP_GAP_MS, self, lambda: step(key))

    def _construct_step(self, key: str) -> None:
        if key not in self.panels and key not in self._constructed:
            self._constructed[key] = self._construct(key)
        self._after_a_turn(self._prepare_step, key)

    def _prepare_step(self, key: str) -> None:
        panel = self._constructed.get(key)
        if panel is not None:
            # Into the stack, still hidden, then polished and laid out at its size: shown next turn, it only paints
            # (polished outside the stack, showing it cost twice as much).
            self.stack.insertWidget(self.stack.indexOf(self._opening[key]), panel)
            for widget in (panel, *panel.findChildren(QWidget)):
                widget.ensurePolished()
            panel.resize(self.stack.size())
            layout = panel.layout()
            if layout is not None:
                layout.activate()
        self._after_a_turn(self._built, key)

    def _built(self, key: str) -> None:
        """The section's panel is ready: put it in place of its stand-in and start it if it is the current one."""
        self._importing.discard(key)
        self.panel(key)
        if self.current_section == key:
            self._section_shown(key)

    def _section_shown(self, key: str) -> None:
        if key not in self._started:
            self._started.add(key)
            self.panels[key].start()  # type: ignore[attr-defined]
        self.section_changed.emit(key)

    def is_built(self, key: str) -> bool:
        return key in self.panels

    def show_holidays(self) -> None:
        """设置 → 节假日安排 (the status bar's holiday warning links here)."""
        self.show_section("settings")
        settings = self.panel("settings")
        tabs = getattr(settings, "tabs", None)
        if tabs is not None:
            for i in range(tabs.count()):
                if tabs.tabText(i) == "节假日安排":
                    tabs.setCurrentIndex(i)

    def panel(self, key: str) -> QWidget:
        """The section's panel, imported and built now if it was not yet."""
        panel = self.panels.get(key)
        if panel is not None:
            return panel
        panel = self._constructed.pop(key, None) or self._construct(key)
        self.panels[key] = panel
        self._wire(key, panel)
        stand_in = self._opening.pop(key)
        if self.stack.indexOf(panel) < 0:
            self.stack.insertWidget(self.stack.indexOf(stand_in), panel)
        if self.stack.currentWidget() is stand_in:
            self.stack.setCurrentWidget(panel)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()
        return panel

    def _construct(self, key: str) -> QWidget:
        module_name, class_name = LAZY_PANELS[key]
        panel = getattr(importlib.import_module(module_name), class_name)(self._ctx)
        assert isinstance(panel, QWidget)
        return panel

    def _wire(self, key: str, panel: Any) -> None:
        """Connect a section built late to the others (what __init__ does for the sections built with it)."""
        if key == "warnings":
            panel.case_activated.connect(self.open_case)
            panel.ledger_requested.connect(self.show_in_ledger)
        elif key == "intake":
            panel.case_saved.connect(self._case_saved)
        elif key == "settings":
            panel.saved.connect(lambda _keys: self.start())
            panel.years_loaded.connect(lambda _years: self.start())
        elif key == "documents":
            panel.issued.connect(lambda _doc: self.ledger.refresh())

    @property
    def intake(self) -> IntakePanel:
        return self.panel("intake")  # type: ignore[return-value]

    @property
    def packages(self) -> PackagesPanel:
        return self.panel("leader_cases")  # type: ignore[return-value]

    @property
    def warnings(self) -> WarningsPanel:
        return self.panel("warnings")  # type: ignore[return-value]

    @property
    def documents(self) -> DocumentsPanel:
        return self.panel("documents")  # type: ignore[return-value]

    @property
    def statistics(self) -> StatisticsPanel:
        return self.panel("statistics")  # type: ignore[return-value]

    @property
    def settings_panel(self) -> SettingsPanel:
        return self.panel("settings")  # type: ignore[return-value]

    def start(self) -> None:
        """Called once the window is shown: status bar facts and the first section."""
        today = self._ctx.today()

        def done(info: dict[str, object]) -> None:
            self.status.show_environment(info)
            office = info.get("office_name")
            if office:
                self.setWindowTitle(f"{APP_LABEL} — {office}")

        self._ctx.tasks.run_db(environment_job(today), done, lambda exc: self.status.showMessage(str(exc)))
        if self.nav.currentRow() >= 0 and SECTIONS[self.nav.currentRow()].key not in self._started:
            self._row_changed(self.nav.currentRow())
        if "ledger" in self.visible:
            QTimer.singleShot(LEDGER_WARM_UP_MS, self._warm_up_ledger)

    @property
    def visible(self) -> list[str]:
        return [s.key for i, s in enumerate(SECTIONS) if not self.nav.item(i).isHidden()]

    def conceal(self) -> None:
        """Until someone has signed in: no section list and no section behind the login dialog (issue 17)."""
        self.nav.hide()
        self.stack.hide()

    def apply_identity(self, identity: Any) -> None:
        """Show only the sections the user's roles allow (issue 17); the first of them becomes current."""
        from xinfang_desktop.core.access import visible_sections

        self.nav.show()
        self.stack.show()
        allowed = set(visible_sections(identity.permissions))
        for i, section in enumerate(SECTIONS):
            self.nav.item(i).setHidden(section.key not in allowed)
            self.shortcuts[section.key].setEnabled(section.key in allowed)
        self._ctx.user = identity.login
        self.status.user_label.setText(f"用户：{identity.display_name}")
        first = next((i for i, s in enumerate(SECTIONS) if s.key in allowed), -1)
        if first >= 0 and self.nav.item(self.nav.currentRow()).isHidden():
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(first)
            self.nav.blockSignals(False)
            self.stack.setCurrentIndex(first)

    def run_daily_tick(self) -> None:
        """Today's time-driven changes on the database thread (the application does this once it has opened)."""
        from xinfang_desktop.ui.daily_tick_runner import run_daily_tick

        def after() -> None:
            workbench = self.panels.get("workbench")
            if workbench is not None:
                workbench.refresh()  # type: ignore[attr-defined]

        run_daily_tick(self._ctx, self.status.tick_label, after)

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
        from xinfang_desktop.ui.case_detail_dialog import CaseDetailDialog

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
