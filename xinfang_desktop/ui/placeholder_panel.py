"""A section that is not built yet: says so plainly and what it will do."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

NOT_BUILT = "此功能尚在开发中"


class PlaceholderPanel(QWidget):
    def __init__(self, title: str, plans: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(f"<h2>{title}</h2>")
        status = QLabel(f"<b>{NOT_BUILT}</b>。本版本还不能使用这一栏目，下面是它将提供的功能：")
        status.setWordWrap(True)
        items = "".join(f"<li style='margin-bottom: 6px'>{p}</li>" for p in plans)
        plan = QLabel(f"<ul>{items}</ul>")
        plan.setWordWrap(True)
        plan.setTextFormat(Qt.TextFormat.RichText)
        hint = QLabel("需要这些功能时，可先在「信访台账」中查询、在「来信来访登记」中登记。")
        hint.setStyleSheet("color: #666666;")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(heading)
        layout.addSpacing(4)
        layout.addWidget(status)
        layout.addWidget(plan)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.status_label = status

    def start(self) -> None:
        pass
