"""上报数据包 (issue 14), opened from 统计 → 上报数据包…: three tabs.

- 生成: a period, optionally the receiver's public-key file (then SM4-encrypted for it), where to save; the package is
  built on the database thread with a progress bar and a 取消 that really stops it (no file, nothing recorded).
- 核验/导入: a package file is verified at once (signer, period, members and their SHA-256, the SM2 signature);
  导入 stores it with the counts of new, updated and unchanged cases and shows the sum of every office's figures.
- 密钥: this office's fingerprint (to read out to the higher bureau), making the key pair, exporting the public key,
  and registering a lower office's public key after comparing its fingerprint.

Everything touching the database runs through `ctx.tasks.run_db`; the role of the signed-in user is checked in each
job as on the command line (report.export, stats.view, system.maintain)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.exchange_import_tab import ImportTab
from xinfang_desktop.ui.exchange_keys_tab import KeysTab, TrustDialog
from xinfang_desktop.ui.exchange_pack_tab import PackTab
from xinfang_desktop.ui.exchange_widgets import (
    GREY,
    KeyState,
)


class ExchangeDialog(QDialog):
    """上报数据包: 生成, 核验/导入, 密钥."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("上报数据包")
        self.resize(860, 620)
        self.pack_tab = PackTab(ctx)
        self.import_tab = ImportTab(ctx)
        self.keys_tab = KeysTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.pack_tab, "生成")
        self.tabs.addTab(self.import_tab, "核验/导入")
        self.tabs.addTab(self.keys_tab, "密钥")
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.keys_tab.changed.connect(self._keys_known)
        self.keys_tab.load()

    def _keys_known(self, state: object) -> None:
        if isinstance(state, KeyState) and state.own is None:
            self.pack_tab.result_label.setStyleSheet(GREY)
            self.pack_tab.result_label.setText("本单位尚未生成上报密钥：请先在“密钥”页点“生成本单位密钥”。")

    def reject(self) -> None:
        """Closing while a package is being made or imported asks first; 是 cancels it (nothing is left behind)."""
        running = [t for t in (self.pack_tab, self.import_tab) if t.running]
        if running:
            answer = QMessageBox.question(
                self, "上报数据包", "数据包仍在处理中。取消并关闭吗？（不会留下半个文件或数据）"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            for tab in running:
                tab.cancel.set()
        super().reject()


__all__ = ["ExchangeDialog", "ImportTab", "KeysTab", "PackTab", "TrustDialog"]
