"""帮助: the manual (F1) rendered from docs/, the shortcuts, where the data lives, about (issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from xinfang_desktop.ui.help_menu import CHAPTERS, SHORTCUTS, docs_dir
from xinfang_desktop.ui.main_window import MainWindow
from xinfang_desktop.ui.status_bar import environment_job


def _window(qtbot: Any, ctx: Any) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _actions(window: MainWindow) -> dict[str, Any]:
    return {a.text(): a for a in window.help_menu.actions() if a.text()}  # type: ignore[attr-defined]


def test_f1_opens_the_manual_from_docs(qtbot: Any, empty_ctx: Any, tmp_path: Path) -> None:
    window = _window(qtbot, empty_ctx)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[-1] == "帮助(&H)"
    QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = window.manual_dialog  # type: ignore[attr-defined]
    qtbot.waitExposed(dialog)
    folder = docs_dir()
    assert folder is not None and (folder / "manual.md").is_file()
    shown = dialog.chapter_titles()
    assert shown[0] == "使用手册"
    assert shown == [title for name, title in CHAPTERS if (folder / name).is_file()]
    text = dialog.browser.toPlainText()
    assert "登记信访事项" in text and "#" not in text.splitlines()[0]  # rendered, not the Markdown source
    dialog.chapters.setCurrentRow(shown.index("工作日历与节假日") + 1)  # below the 参考资料 heading
    assert "节假日" in dialog.browser.toPlainText()
    dialog.grab().save(str(tmp_path / "manual.png"))


def test_shortcuts_and_where_the_data_lives(qtbot: Any, empty_ctx: Any, empty_db: Any) -> None:
    window = _window(qtbot, empty_ctx)
    window.status.show_environment(environment_job(empty_ctx.today())(empty_db))
    actions = _actions(window)
    actions["快捷键"].trigger()
    keys = window.keys_dialog.table  # type: ignore[attr-defined]
    assert keys.rowCount() == len(SHORTCUTS) and keys.item(0, 0).text() == "F1"
    actions["数据存放位置"].trigger()
    places = window.places_dialog.table  # type: ignore[attr-defined]
    rows = {places.item(r, 0).text(): places.item(r, 1).text() for r in range(places.rowCount())}
    assert rows["数据库"] == window.status.info["database"] and rows["数据目录"]
    assert actions["使用手册"].shortcut().toString() == "F1"
