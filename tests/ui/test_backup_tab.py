"""设置 → 备份与恢复 (issue 17): 立即备份 / 校验 / 恢复… with its preview; the daily backup and the start-up check;
a document whose file was changed is not shown as the document."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from tests.ui.conftest import TODAY, register_cases
from xinfang_desktop.persistence.backup import list_backups
from xinfang_desktop.persistence.records import CaseRecord
from xinfang_desktop.ui.backup_tab import AutoBackup, BackupTab, RestoreDialog, preview_job

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def _cases(db: Any) -> int:
    with db.read_session() as s:
        return int(s.scalar(select(func.count()).select_from(CaseRecord)) or 0)


@pytest.fixture
def tab(qtbot: Any, empty_ctx: Any) -> BackupTab:
    register_cases(empty_ctx.tasks.database, 3)
    widget = BackupTab(empty_ctx)
    qtbot.addWidget(widget)
    widget.resize(900, 520)
    widget.show()
    return widget


def test_backup_verify_and_restore_from_the_tab(qtbot: Any, tab: BackupTab, empty_ctx: Any) -> None:
    db = empty_ctx.tasks.database
    assert tab.table.rowCount() == 0 and "还没有备份" in tab.message.text()
    assert not tab.restore_button.isEnabled()
    qtbot.mouseClick(tab.backup_button, Qt.MouseButton.LeftButton)
    assert "已备份" in tab.message.text() and "完好" in tab.message.text()
    assert tab.table.rowCount() == 1
    assert [tab.table.item(0, j).text() for j in (1, 2, 5)] == ["手动备份", "3 件", "通过"]
    assert "备份位置" in tab.folder_label.text()

    tab.table.selectRow(0)
    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    assert tab.message.text().startswith("校验通过")

    register_cases(db, 2)  # registered after the backup
    assert _cases(db) == 5
    seen: list[dict[str, Any]] = []
    tab.confirm = lambda preview: bool(seen.append(preview)) or False  # the clerk cancels first
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert tab.message.text() == "未恢复。" and _cases(db) == 5
    cases = next(r for r in seen[0]["counts"] if r["table"] == "cases")
    assert (cases["backup"], cases["current"]) == (3, 5)
    tab.confirm = lambda preview: True
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert "已恢复" in tab.message.text() and _cases(db) == 3
    assert {g.reason for g in list_backups(db)} == {"manual", "before-restore"}
    assert tab.table.rowCount() == 2
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.grab().save(str(SHOTS / "backup_tab.png"))


def test_the_restore_preview_dialog(qtbot: Any, tab: BackupTab, empty_ctx: Any) -> None:
    qtbot.mouseClick(tab.backup_button, Qt.MouseButton.LeftButton)
    register_cases(empty_ctx.tasks.database, 1)
    preview = preview_job(tab.generations[0]["name"])(empty_ctx.tasks.database)
    dialog = RestoreDialog(preview)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.item(0, 0).text() == "信访事项"
    assert (dialog.table.item(0, 1).text(), dialog.table.item(0, 2).text()) == ("3", "4")
    dialog.grab().save(str(SHOTS / "backup_restore_dialog.png"))


def test_a_failed_verification_is_shown(qtbot: Any, tab: BackupTab) -> None:
    qtbot.mouseClick(tab.backup_button, Qt.MouseButton.LeftButton)
    conn = sqlite3.connect(Path(tab.generations[0]["path"]) / "database.sqlite3")
    conn.execute("DELETE FROM case_petitioners")
    conn.commit()
    conn.close()
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    assert "校验未通过" in tab.message.text() and "case_petitioners" in tab.message.text()
    assert tab.table.item(0, 5).text() == "未通过：记录数不符"
    tab.confirm = lambda preview: True
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert "校验未通过" in tab.message.text() and "不能用于恢复" in tab.message.text()


def test_daily_backup_at_start_then_not_again_the_same_day(qtbot: Any, empty_db: Any) -> None:
    auto = AutoBackup()  # the real clock: the backup's own date is the clock's
    with qtbot.waitSignal(auto.finished, timeout=20000) as done:
        auto.at_start(empty_db)
    assert done.args[0]["ok"] and not auto.damaged
    assert [g.reason for g in list_backups(empty_db)] == ["daily"]
    with qtbot.waitSignal(auto.checked, timeout=10000):
        auto.at_start(empty_db)
    assert auto._thread is not None
    auto._thread.join()
    assert len(list_backups(empty_db)) == 1  # one daily backup a day


def test_a_damaged_database_opens_read_only(qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from xinfang_desktop.persistence.database import open_database

    path = tmp_path / "damaged.sqlite3"
    db = open_database(path)
    register_cases(db, 30)
    db.dispose()
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_cases_received'").fetchone()
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (int(root[0]) - 1) * page
    data[start : start + 16] = b"\x0d" * 16  # an index page's header overwritten
    path.write_bytes(bytes(data))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    db = open_database(path)
    try:
        auto = AutoBackup(today=lambda: TODAY)
        with qtbot.waitSignal(auto.checked, timeout=10000) as checked:
            auto.at_start(db)
        assert checked.args[0] != "ok"
        qtbot.waitUntil(lambda: auto.damaged)
        assert "只读" in warned[0] and "备份与恢复" in warned[0]
        with pytest.raises(Exception, match=r"readonly|read-only|query_only"):
            register_cases(db, 1)
        assert list_backups(db) == []  # no backup of a damaged file
    finally:
        db.dispose()


def test_a_changed_document_is_not_shown_as_the_document(qtbot: Any, empty_ctx: Any) -> None:
    from xinfang_desktop.documents.document_store import Rendered, issue_document
    from xinfang_desktop.documents.types import spec
    from xinfang_desktop.ui.documents_panel import DocumentsPanel

    def text_renderer(doc: Any, fmt: str, stream: BinaryIO) -> Rendered:
        stream.write(doc.plain_text().encode())
        return Rendered(pages=1, fonts={"fangsong": "Test"})

    issued = issue_document(
        empty_ctx.tasks.database, "petitioner_receipt", spec("petitioner_receipt").sample(), renderer=text_renderer
    )
    issued.path.write_bytes(b"someone else's receipt")
    panel = DocumentsPanel(empty_ctx)
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    panel.start()
    panel.recent.selectRow(0)
    assert "已被改动" in panel.message.text() and panel.current is None
    panel.grab().save(str(SHOTS / "documents_changed_file.png"))


def test_the_backup_at_exit(qtbot: Any, empty_db: Any) -> None:
    auto = AutoBackup()
    with qtbot.waitSignal(auto.finished, timeout=20000):
        auto.at_start(empty_db)
    auto.at_exit()  # waits for its backup, showing a progress window meanwhile
    assert sorted(g.reason for g in list_backups(empty_db)) == ["daily", "exit"]
    assert all(g.ok for g in list_backups(empty_db))


def test_a_file_that_no_longer_opens_is_offered_its_latest_verified_backup(
    qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from xinfang_desktop.persistence.backup import create_backup
    from xinfang_desktop.persistence.database import open_database
    from xinfang_desktop.ui.backup_tab import offer_restore_after_failed_open

    path = tmp_path / "ledger.sqlite3"
    db = open_database(path)
    register_cases(db, 4)
    create_backup(db)
    db.dispose()
    asked: list[str] = []
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, buttons: asked.append(text) or yes)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: told.append(text))
    yes = QMessageBox.StandardButton.Yes
    assert offer_restore_after_failed_open(None, str(path)) is False and asked == []  # a sound file: nothing asked

    path.write_bytes(b"not a database!!" + path.read_bytes()[16:])
    with pytest.raises(Exception, match=r"not a database|malformed"):
        open_database(path)
    assert offer_restore_after_failed_open(None, str(path)) is True
    assert "数据库文件已损坏" in asked[0] and "信访事项 4 件" in asked[0] and "已从备份恢复" in told[0]
    db = open_database(path)
    try:
        assert _cases(db) == 4
    finally:
        db.dispose()
    assert list(tmp_path.glob("ledger.damaged-*.sqlite3"))


def test_the_case_detail_rechecks_a_document_and_an_attachment_before_opening(
    qtbot: Any, empty_ctx: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from xinfang_desktop.documents.document_store import Rendered, issue_document
    from xinfang_desktop.documents.types import spec
    from xinfang_desktop.persistence.attachments import add_attachment, stored_path
    from xinfang_desktop.ui import case_detail_dialog
    from xinfang_desktop.ui.case_detail_dialog import CaseDetailDialog

    db = empty_ctx.tasks.database
    (number,) = register_cases(db, 1)

    def text_renderer(doc: Any, fmt: str, stream: BinaryIO) -> Rendered:
        stream.write(doc.plain_text().encode())
        return Rendered(pages=1, fonts={"fangsong": "Test"})

    data = spec("petitioner_receipt").sample() | {"case_number": number}
    issued = issue_document(db, "petitioner_receipt", data, case_number=number, renderer=text_renderer)
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"\xff\xd8 letter")
    info = add_attachment(db, number, scan)
    opened: list[str] = []
    monkeypatch.setattr(case_detail_dialog, "_open_file", lambda path: opened.append(path) or True)
    dialog = CaseDetailDialog(empty_ctx, number)
    qtbot.addWidget(dialog)
    dialog.documents_table.selectRow(0)
    qtbot.mouseClick(dialog.open_document_button, Qt.MouseButton.LeftButton)
    assert opened == [str(issued.path)]  # as issued: opened

    issued.path.write_bytes(b"edited")
    stored_path(db, info["sha256"]).write_bytes(b"another scan")
    qtbot.mouseClick(dialog.open_document_button, Qt.MouseButton.LeftButton)
    assert "文书文件已被改动" in dialog.notice.text() and len(opened) == 1
    dialog.attachments_table.doubleClicked.emit(dialog.attachments_table.model().index(0, 0))
    assert "附件文件已被改动" in dialog.notice.text() and len(opened) == 1
