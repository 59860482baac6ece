"""The main window's 文件 → 导入台账… action; the wizard's modules are imported only when it is first opened."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from xinfang_desktop.ui.context import AppContext


def install_import_menu(window: QMainWindow, ctx: AppContext) -> None:
    menu = window.menuBar().addMenu("文件(&F)")
    action = menu.addAction("导入台账…")
    action.setToolTip("把已有的 Excel/CSV 台账或信访信息系统导出表导入本系统")

    def open_wizard() -> None:
        from xinfang_desktop.ui.import_wizard import ImportWizard

        wizard = ImportWizard(ctx, window)
        wizard.show()

    action.triggered.connect(open_wizard)
