"""Esc or 取消 in a store dialog asks before discarding what was typed (issue 18), and only then."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.ui.conftest import type_text
from xinfang_desktop.ui.leader_dialog import LeaderDialog


def _dialog(qtbot: Any, ctx: Any) -> LeaderDialog:
    dialog = LeaderDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load()
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_an_untouched_dialog_closes_at_once(qtbot: Any, empty_ctx: Any) -> None:
    dialog = _dialog(qtbot, empty_ctx)
    asked: list[bool] = []
    dialog.confirm_discard = lambda: asked.append(True) or True  # type: ignore[method-assign]
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and not asked


def test_typed_content_is_kept_unless_the_clerk_confirms(qtbot: Any, empty_ctx: Any) -> None:
    dialog = _dialog(qtbot, empty_ctx)
    type_text(dialog.name_edit, "李明")
    answers = [False, True]
    dialog.confirm_discard = lambda: answers.pop(0)  # type: ignore[method-assign]
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.name_edit.text() == "李明"  # 取消 in the question: nothing lost
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert not dialog.isVisible() and not answers
