"""After a document is issued: a non-blocking box offering to open the file with the system's viewer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


def offer_open(parent: QWidget, title: str, text: str, path: Path) -> QMessageBox:
    """Show “text” with 打开 / 关闭; 打开 opens `path`. The caller keeps the box (tests click it)."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        title,
        text,
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
        parent,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def opened(result: int) -> None:
        if result != QMessageBox.StandardButton.Open:
            return
        from xinfang_desktop.persistence.encryption import plain_view

        # An encrypted database's archive holds ciphertext: the viewer gets a decrypted copy (issue 17).
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(plain_view(path))))

    box.finished.connect(opened)
    box.open()
    return box
