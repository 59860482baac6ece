"""审计日志 dialog (issue 17): filters on a real database, pages, 校验审计链 intact and then broken by a row edited with
sqlite3 (the broken entry shown and marked), missing guards named, the retention shown to the audit reader and set
only by a role with policy.manage."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QTableWidgetItem

from tests.ui.conftest import make_ctx, register_cases, type_text
from xinfang_desktop.persistence.audit_chain import verify_chain
from xinfang_desktop.persistence.database import Database, open_database
from xinfang_desktop.persistence.identity import Identity, set_acting
from xinfang_desktop.persistence.uow import unit_of_work
from xinfang_desktop.ui.audit_dialog import PAGE_SIZE, AuditDialog, summary_text, verify_text
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.tasks import ThreadedTaskRunner

SHOTS = Path(os.environ.get("XINFANG_SHOTS", "/tmp/shots_audit_dialog"))
START = datetime(2026, 11, 16, 9, 0)


def _shot(widget: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


@pytest.fixture(autouse=True)
def nobody_acting() -> Iterator[None]:
    set_acting(None)
    yield
    set_acting(None)


@pytest.fixture
def audit_db(tmp_path: Path) -> Iterator[Database]:
    """Five registered cases (by "tester", today) and entries over four earlier days by two other accounts."""
    db = open_database(tmp_path / "audit.sqlite3")
    for day in range(4):
        for k, user in enumerate(("zhang", "li")):
            now = START + timedelta(days=day, hours=k)
            with unit_of_work(db, user=user, workstation=f"ws-{k}", now=now) as uow:
                uow.audit.record("update", "setting", f"key{day}", {"old": day, "new": day + 1})
                uow.audit.record("create", "leader", f"{day}{k}", {"name": "王局长", "post": "局长"})
                uow.commit()
    register_cases(db, 5)
    yield db
    db.dispose()


def _choose(box: QComboBox, text: str) -> None:
    index = box.findText(text)
    assert index >= 0, [box.itemText(i) for i in range(box.count())]
    box.setCurrentIndex(index)


def _cell(dialog: AuditDialog, row: int, column: int) -> QTableWidgetItem:
    item = dialog.table.item(row, column)
    assert item is not None
    return item


def _column(dialog: AuditDialog, column: int) -> list[str]:
    return [_cell(dialog, r, column).text() for r in range(dialog.table.rowCount())]


def _edit_row(db: Database, entry_id: int, sql: str) -> str:
    """Edit an audit row the way someone with sqlite3 would: drop the guard, change, put the guard back."""
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    conn.execute("DROP TRIGGER audit_entries_no_update")
    conn.execute(f"UPDATE audit_entries SET {sql} WHERE id = ?", (entry_id,))
    conn.execute(
        "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
        "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END"
    )
    at = conn.execute("SELECT at FROM audit_entries WHERE id = ?", (entry_id,)).fetchone()[0]
    conn.commit()
    conn.close()
    return str(at)


def test_entries_newest_first_with_chinese_labels_and_the_filters(qtbot: Any, audit_db: Database) -> None:
    dialog = AuditDialog(make_ctx(audit_db), None)
    qtbot.addWidget(dialog)
    dialog.show()
    ids = [e["id"] for e in dialog.entries]
    assert ids == sorted(ids, reverse=True) and len(ids) == 8 * 2 + 5
    assert dialog.table.columnCount() == 5
    first = [_cell(dialog, 0, c).text() for c in range(5)]
    assert first[2] == "新建" and first[3].startswith("信访事项 ")
    assert set(_column(dialog, 2)) == {"新建", "修改"}
    assert "设置 key0" in _column(dialog, 3) and "领导 00" in _column(dialog, 3)
    assert "0 → 1" in _column(dialog, 4) and "名称：王局长；职务：局长" in _column(dialog, 4)
    users = [dialog.user_box.itemText(i) for i in range(dialog.user_box.count())]
    assert users == ["全部账号", "li", "tester", "zhang"]
    _shot(dialog, "audit-all")

    _choose(dialog.user_box, "zhang")
    dialog.search_button.click()
    assert {r.split("（")[0] for r in _column(dialog, 1)} == {"zhang"} and dialog.table.rowCount() == 8
    _choose(dialog.action_box, "修改")
    dialog.search_button.click()
    assert dialog.table.rowCount() == 4 and set(_column(dialog, 2)) == {"修改"}
    dialog.use_dates.setChecked(True)
    dialog.date_from.setDate(dialog.date_from.date().fromString("2026-11-17", "yyyy-MM-dd"))
    dialog.date_to.setDate(dialog.date_to.date().fromString("2026-11-18", "yyyy-MM-dd"))
    dialog.search_button.click()
    assert [t[:10] for t in _column(dialog, 0)] == ["2026-11-18", "2026-11-17"]
    _shot(dialog, "audit-filtered")

    dialog.reset_button.click()
    assert dialog.table.rowCount() == 21 and not dialog.use_dates.isChecked()
    _choose(dialog.entity_box, "信访事项")
    dialog.search_button.click()
    numbers = [t.split(" ")[1] for t in _column(dialog, 3)]
    assert len(numbers) == 5
    type_text(dialog.object_edit, numbers[2][-4:])
    dialog.search_button.click()
    assert _column(dialog, 3) == [f"信访事项 {numbers[2]}"]
    dialog.object_edit.clear()
    type_text(dialog.object_edit, "没有这个编号")
    dialog.search_button.click()
    assert dialog.table.rowCount() == 0 and dialog.page_label.text() == "没有符合条件的审计记录"


def test_pages_of_the_newest_first(qtbot: Any, tmp_path: Path) -> None:
    db = open_database(tmp_path / "many.sqlite3")
    try:
        with unit_of_work(db, user="zhang", workstation="ws", now=START) as uow:
            for i in range(PAGE_SIZE + 30):
                uow.audit.record("update", "setting", f"k{i:04d}", {"new": i})
            uow.commit()
        dialog = AuditDialog(make_ctx(db), None)
        qtbot.addWidget(dialog)
        assert dialog.table.rowCount() == PAGE_SIZE and dialog.older_button.isEnabled()
        assert not dialog.newer_button.isEnabled() and "第 1 页" in dialog.page_label.text()
        newest = dialog.entries[0]["id"]
        dialog.older_button.click()
        assert dialog.table.rowCount() == 30 and not dialog.older_button.isEnabled()
        assert "第 2 页" in dialog.page_label.text() and "已到最早的记录" in dialog.page_label.text()
        assert max(e["id"] for e in dialog.entries) < min(newest - PAGE_SIZE + 1, newest)
        dialog.newer_button.click()
        assert dialog.entries[0]["id"] == newest and dialog.table.rowCount() == PAGE_SIZE
    finally:
        db.dispose()


def test_verify_intact_then_an_edited_row_reported_shown_and_marked(qtbot: Any, audit_db: Database) -> None:
    dialog = AuditDialog(make_ctx(audit_db), None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.verify_button.click()
    report = verify_chain(audit_db)
    assert report.ok
    text = dialog.verify_label.text()
    assert text == f"审计链完整：{report.entries} 条记录、{report.anchors} 个锚点。", text
    assert report.anchors == 4 and "#2e7d32" in dialog.verify_label.styleSheet()
    assert not dialog.show_broken_button.isVisible()
    _shot(dialog, "audit-verify-intact")

    target = dialog.entries[-3]["id"]  # an entry of the first day, on the first page
    at = _edit_row(audit_db, target, 'detail = \'{"old":0,"new":9}\'')
    dialog.verify_button.click()
    text = dialog.verify_label.text()
    assert text.startswith(f"审计链被破坏：第一处问题在编号 {target} 的记录（{at[:19]}）"), text
    assert "记录内容被改动" in text and "#c62828" in dialog.verify_label.styleSheet()
    assert dialog.show_broken_button.isVisible()
    row = dialog.row_of(target)
    assert row is not None and _cell(dialog, row, 0).background().color().name() == "#ffcdd2"
    assert _cell(dialog, 0, 0).background().style().name == "NoBrush"
    _shot(dialog, "audit-verify-broken")

    _choose(dialog.user_box, "tester")
    dialog.search_button.click()
    assert dialog.row_of(target) is None
    dialog.show_broken_button.click()
    assert dialog.user_box.currentIndex() == 0
    selected = dialog.table.selectionModel().selectedRows()
    assert [dialog.entries[i.row()]["id"] for i in selected] == [target]
    assert dialog.entries[0]["id"] == target + 3


def test_a_dropped_guard_and_a_forged_insert_are_named(qtbot: Any, audit_db: Database) -> None:
    assert audit_db.path is not None
    conn = sqlite3.connect(audit_db.path)
    conn.execute("DROP TRIGGER audit_entries_no_delete")
    row = list(conn.execute("SELECT * FROM audit_entries ORDER BY id DESC LIMIT 1").fetchone())
    columns = [d[1] for d in conn.execute("PRAGMA table_info(audit_entries)")]
    row[columns.index("id")] += 1
    row[columns.index("entity_id")] = "XF2026-999999"
    conn.execute(f"INSERT INTO audit_entries ({', '.join(columns)}) VALUES ({', '.join('?' * len(row))})", row)
    conn.commit()
    conn.close()
    dialog = AuditDialog(make_ctx(audit_db), None)
    qtbot.addWidget(dialog)
    dialog.verify_button.click()
    lines = dialog.verify_label.text().split("\n")
    assert lines[0].startswith(f"审计链被破坏：第一处问题在编号 {row[0]} 的记录"), lines
    assert lines[1] == "防篡改触发器缺失或被改动：audit_entries_no_delete（记录可能已被修改或删除）。"


def test_retention_shown_to_the_auditor_and_set_by_the_security_role(qtbot: Any, audit_db: Database) -> None:
    set_acting(Identity.of("shen", "审计员", ("audit_admin",)))
    dialog = AuditDialog(make_ctx(audit_db), None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert (dialog.logs_days.value(), dialog.personal_days.value()) == (180, 1096)
    assert not dialog.logs_days.isEnabled() and not dialog.save_retention_button.isVisible()
    assert dialog.table.rowCount() > 0  # the auditor reads the log
    _shot(dialog, "audit-auditor")

    set_acting(Identity.open("tester"))  # before any login account: everything allowed, as the CLI
    dialog = AuditDialog(make_ctx(audit_db), None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.logs_days.isEnabled() and dialog.save_retention_button.isVisible()
    dialog.logs_days.setValue(100)  # the picker stops at the floor
    assert dialog.logs_days.value() == 180
    dialog.logs_days.setValue(400)
    dialog.personal_days.setValue(2000)
    dialog.save_retention_button.click()
    assert "已保存：审计日志至少保存 400 天" in dialog.message.text(), dialog.message.text()
    assert dialog.entries[0]["entity"] == "audit_retention"
    assert _cell(dialog, 0, 3).text() == "审计保存期限 retention"
    assert "审计日志天数：180" in _cell(dialog, 0, 4).text() and "审计日志天数：400" in _cell(dialog, 0, 4).text()
    _shot(dialog, "audit-retention-saved")
    dialog.verify_button.click()
    assert dialog.verify_label.text().startswith("审计链完整")


def test_a_role_without_audit_read_is_refused_at_the_query(qtbot: Any, audit_db: Database) -> None:
    set_acting(Identity.of("deng", "登记员", ("registrar",)))
    dialog = AuditDialog(make_ctx(audit_db), None)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and dialog.message.text(), dialog.message.text()
    assert "#c62828" in dialog.message.styleSheet()


def test_summary_and_verify_texts() -> None:
    assert summary_text(None) == "" and summary_text({}) == ""
    assert summary_text({"old": [], "new": ["a", "b"]}) == "（无） → a、b"
    assert summary_text({"reason": "核实身份", "fields": ["id_number"], "ok": True}) == (
        "原因：核实身份；字段：id_number；ok：是"
    )
    assert summary_text({"channel": "visit"}) == "信访形式：来访"
    assert summary_text("x" * 500).endswith("…") and len(summary_text("x" * 500)) == 120
    ok, text = verify_text(
        {"ok": True, "entries": 1200, "anchors": 3, "unprotected": 10, "first_broken": None, "missing_triggers": []}
    )
    assert ok and text == "审计链完整：1,200 条记录、3 个锚点（其中 10 条为启用校验前的记录，未受保护）。"


def test_opened_from_the_security_panel(qtbot: Any, audit_db: Database) -> None:
    from xinfang_desktop.ui.security_panel import SecurityPanel

    set_acting(Identity.of("shen", "审计员", ("audit_admin",)))
    panel = SecurityPanel(make_ctx(audit_db))
    qtbot.addWidget(panel)
    panel.audit_button.click()
    dialogs = [w for w in panel.findChildren(AuditDialog) if w.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].table.rowCount() == 21
    dialogs[0].close()


def test_verification_runs_on_the_database_thread(qtbot: Any, audit_db: Database) -> None:
    runner = ThreadedTaskRunner()
    runner.attach(audit_db)
    threads: list[str] = []
    original = runner.run_db

    def spy(fn: Any, on_done: Any = None, on_error: Any = None, *, after_paint: bool = True) -> None:
        def job(db: Any) -> Any:
            threads.append(threading.current_thread().name)
            return fn(db)

        original(job, on_done, on_error, after_paint=after_paint)

    runner.run_db = spy  # type: ignore[method-assign]
    try:
        dialog = AuditDialog(AppContext(runner, today=lambda: START.date(), user="tester"), None)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 21, timeout=20_000)
        dialog.verify_button.click()
        assert not dialog.verify_button.isEnabled() and dialog.verify_label.text() == "正在校验审计链……"
        qtbot.waitUntil(lambda: dialog.verify_button.isEnabled(), timeout=20_000)
        assert dialog.verify_label.text().startswith("审计链完整：21 条记录、4 个锚点")
        assert len(threads) == 4 and all(name.startswith("xinfang-db") for name in threads), threads
    finally:
        runner.shutdown()
