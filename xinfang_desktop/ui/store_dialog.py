"""A dialog that writes through one store call on the database thread and shows a refusal in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext


class StoreDialog(QDialog):
    """`saved(result)` when the store accepted the input; otherwise the refusal (DomainError.message) is shown in
    `error_label`, the dialog stays open and nothing is written. Subclasses fill `form` and implement `job()`."""

    saved = Signal(object)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None, *, min_width: int = 460) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(min_width)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._typed = False  # what the clerk types from now on is asked about before Esc or 取消 drops it
        for edit in self.findChildren(QLineEdit):
            edit.textEdited.connect(self._mark_typed)
        for text in self.findChildren(QPlainTextEdit):
            text.textChanged.connect(self._mark_typed)
        # A clerk types at once: the first field of the form takes the cursor, not the OK button.
        if (first := self.first_field()) is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def first_field(self) -> QWidget | None:
        """The first enabled widget of the form that takes keyboard focus (inside a composite field too)."""
        for row in range(self.form.rowCount()):
            for role in (QFormLayout.ItemRole.FieldRole, QFormLayout.ItemRole.SpanningRole):
                item = self.form.itemAt(row, role)
                widget = item.widget() if item is not None else None
                if widget is None:
                    continue
                for candidate in (widget, *widget.findChildren(QWidget)):
                    tab = bool(candidate.focusPolicy() & Qt.FocusPolicy.TabFocus)
                    if tab and candidate.isEnabled() and not candidate.isHidden():
                        return candidate
        return None

    def _mark_typed(self, *_args: object) -> None:
        self._typed = True

    def reject(self) -> None:
        """Esc or 取消: after something was typed, ask before discarding it (issue 18)."""
        if getattr(self, "_typed", False) and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        """Ask whether to discard what was typed (tests replace this)."""
        answer = QMessageBox.question(
            self,
            "放弃填写的内容？",
            "已填写的内容尚未保存，关闭后将丢失。确定关闭吗？",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def job(self) -> Callable[[Database], Any]:
        raise NotImplementedError

    def submit(self) -> None:
        self.error_label.hide()
        try:
            job = self.job()  # input the dialog refuses itself (a malformed date …) never reaches the database
        except Exception as exc:
            self._failed(exc)
            return
        self.ok_button.setEnabled(False)
        self.ctx.tasks.run_db(job, self._done, self._failed)

    def _done(self, result: Any) -> None:
        self.ok_button.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        message = getattr(exc, "message", None) or str(exc)
        self.error_label.setText(message)
        self.error_label.show()
        self.failed.emit(message)
