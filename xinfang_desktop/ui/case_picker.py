"""Picking a case by number or petitioner with search as you type (issue 18: no case numbers typed from memory).

`CaseNumberEdit` is a line edit whose list offers the cases matching what was typed — a number's beginning, a
name, words of the matter — each shown as 编号 信访人 摘要; choosing one puts its number in the box. `CasePicker` keeps
several chosen cases in a list (a package of related cases).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.ledger import LedgerFilter, LedgerPageRequest, SortKey
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext

SEARCH_DELAY_MS = 250
OFFERED = 15
_SEP = "　"  # between the number and the rest of an offered line (the number is what the box keeps)


def offer_job(text: str) -> Any:
    """The cases to offer for `text`: by number when it looks like one, else by the full-text search."""

    def job(db: Database) -> list[str]:
        from sqlalchemy import select

        from xinfang_desktop.persistence.ledger_queries import ledger_page
        from xinfang_desktop.persistence.records import CaseRecord

        with db.read_session() as session:
            if text[:2].isalpha() and text[:2].isascii():  # XF2026-…: the number's beginning
                numbers = session.scalars(
                    select(CaseRecord.number)
                    .where(CaseRecord.number >= text.upper(), CaseRecord.number < text.upper() + "\uffff")
                    .order_by(CaseRecord.number.desc())
                    .limit(OFFERED)
                ).all()
                return [str(n) for n in numbers]
            page = ledger_page(session, LedgerPageRequest(LedgerFilter(search=text), SortKey.RECEIVED, True, OFFERED))
        return [f"{r.number}{_SEP}{r.petitioner}{_SEP}{r.summary[:30]}" for r in page.rows]

    return job


class CaseNumberEdit(QLineEdit):
    """A case number, typed or chosen from the cases matching what was typed."""

    chosen = Signal(str)  # a number chosen from the list (or confirmed with Enter)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setPlaceholderText("输入编号、信访人姓名或内容中的词语查找")
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated.connect(self._activated)
        self.setCompleter(completer)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search)
        self.textEdited.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self._confirm)
        self._generation = 0

    def _confirm(self) -> None:
        if self.number():
            self.chosen.emit(self.number())

    def number(self) -> str:
        return self.text().split(_SEP, 1)[0].strip().upper()

    def offered(self) -> list[str]:
        return self._model.stringList()

    def _search(self) -> None:
        text = self.text().strip()
        if len(text) < 2:
            self._model.setStringList([])
            return
        self._generation += 1
        generation = self._generation

        def done(lines: list[str]) -> None:
            if generation == self._generation:
                self._model.setStringList(lines)
                # The list pops up under the box (not on the offscreen platform, which cannot raise a popup).
                if lines and self.hasFocus() and QGuiApplication.platformName() != "offscreen":
                    self.completer().complete()

        self._ctx.tasks.run_db(offer_job(text), done, lambda _exc: None)

    def _activated(self, line: str) -> None:
        number = line.split(_SEP, 1)[0]
        # After the completer has put the whole line in the box: keep the number only.
        QTimer.singleShot(0, lambda: self._take(number))

    def _take(self, number: str) -> None:
        self.setText(number)
        self.chosen.emit(number)


class CasePicker(QWidget):
    """Several cases: find one, 添加; the chosen ones listed, 移除 takes one out."""

    def __init__(self, ctx: AppContext, numbers: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = CaseNumberEdit(ctx)
        self.add_button = QPushButton("添加")
        self.remove_button = QPushButton("移除")
        self.list = QListWidget()
        self.list.setMaximumHeight(90)
        self.add_button.clicked.connect(lambda _checked=False: self.add(self.edit.number()))
        self.edit.chosen.connect(self.add)
        self.remove_button.clicked.connect(self._remove)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.list)
        for number in numbers or []:
            self.add(number)

    def add(self, number: str) -> None:
        number = number.strip().upper()
        if number and number not in self.numbers():
            self.list.addItem(number)
        self.edit.clear()

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def numbers(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


__all__ = ["CaseNumberEdit", "CasePicker", "offer_job"]
