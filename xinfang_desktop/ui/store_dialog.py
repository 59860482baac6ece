"""A dialog that writes through one store call on the database thread and shows a refusal in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

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
