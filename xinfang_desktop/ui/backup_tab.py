"""设置 → 备份与恢复: the generations with 立即备份 / 校验 / 恢复…; the daily and exit backups and the start-up check.

The tab works through the task runner like every panel. The automatic backups run on a thread of their own, so the
ledger's first pages are never queued behind a copy of the whole database; their outcome reaches the window by a
queued signal. A database that fails SQLite's quick_check at start is switched to read-only (``PRAGMA query_only`` on
every connection) with a message saying so and pointing to the restore.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext

log = logging.getLogger(__name__)

COLUMNS = ["备份时间", "类型", "信访事项", "文书和附件", "大小", "校验"]


def _message(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")


def _size(n: int) -> str:
    return f"{n / 1024**2:,.1f} MB" if n >= 1024**2 else f"{n / 1024:,.1f} KB"


def list_job(db: Database) -> dict[str, Any]:
    from xinfang_desktop.persistence.backup import backups_dir, list_backups

    return {"folder": str(backups_dir(db)), "generations": [g.to_json() for g in list_backups(db)]}


def create_job(db: Database) -> dict[str, Any]:
    from xinfang_desktop.persistence.backup import create_backup

    return create_backup(db, reason="manual").to_json()


def verify_job(name: str) -> Callable[[Database], dict[str, Any]]:
    def job(db: Database) -> dict[str, Any]:
        from xinfang_desktop.persistence.backup import verify_backup

        check = verify_backup(db, name)
        return {**check.to_json(), "problem": check.problem_text()}

    return job


def preview_job(name: str) -> Callable[[Database], dict[str, Any]]:
    def job(db: Database) -> dict[str, Any]:
        from xinfang_desktop.persistence.restore import restore_preview

        return restore_preview(db, name)

    return job


def restore_job(name: str) -> Callable[[Database], dict[str, Any]]:
    def job(db: Database) -> dict[str, Any]:
        from xinfang_desktop.persistence.restore import restore_backup

        return restore_backup(db, name)

    return job


class RestoreDialog(QDialog):
    """What a restore would bring back (counts in the backup and now, its date); 恢复 only after reading it."""

    def __init__(self, preview: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        g = preview["generation"]
        self.setWindowTitle("从备份恢复")
        when = datetime.fromisoformat(g["created_at"]).strftime("%Y年%m月%d日 %H:%M")
        head = QLabel(
            f"将把数据库恢复到 <b>{when}</b> 的备份（{g['reason_label']}）。<br>"
            "恢复后，此后登记和修改的内容都将不在数据库中；现有的文书和附件存档整体换为备份中的文件。<br>"
            "恢复前会先自动备份现在的数据。"
        )
        head.setWordWrap(True)
        self.table = QTableWidget(len(preview["counts"]) + 1, 3)
        self.table.setHorizontalHeaderLabels(["内容", "备份中", "现在"])
        rows = [(r["label"], r["backup"], r["current"]) for r in preview["counts"]]
        rows.append(("文书和附件文件", preview["files"], None))
        for i, (label, then, now) in enumerate(rows):
            for j, text in enumerate((label, f"{then:,}", "—" if now is None else f"{now:,}")):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(260)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("恢复", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setStyleSheet("QPushButton { color: #b3261e; font-weight: bold; }")
        cancel = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)  # Enter does not restore by accident
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 420)


class BackupTab(QWidget):
    """The 备份与恢复 tab of 设置."""

    listed = Signal(object)  # the generations, as JSON
    done = Signal(str)  # what an action reported

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.generations: list[dict[str, Any]] = []
        self.confirm: Callable[[dict[str, Any]], bool] = self._confirm  # tests answer for the clerk
        intro = QLabel(
            "每天第一次打开程序时和退出程序时自动备份数据库及其文书、附件；每份备份都重新打开校验。"
            "保留最近 7 天每天一份、最近 4 周每周一份、最近 12 个月每月一份。"
        )
        intro.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.backup_button = QPushButton("立即备份")
        self.backup_button.clicked.connect(self.backup_now)
        self.verify_button = QPushButton("校验")
        self.verify_button.clicked.connect(self.verify_selected)
        self.restore_button = QPushButton("恢复…")
        self.restore_button.clicked.connect(self.restore_selected)
        for button in (self.verify_button, self.restore_button):
            button.setEnabled(False)
        bar = QHBoxLayout()
        for button in (self.backup_button, self.verify_button, self.restore_button):
            bar.addWidget(button)
        bar.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        layout.addWidget(self.message)

    # -- listing -------------------------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self._ctx.tasks.run_db(list_job, self._listed, lambda exc: self.show_message(_message(exc), True))

    def _listed(self, data: dict[str, Any]) -> None:
        self.folder_label.setText(f"备份位置：{data['folder']}")
        self.generations = list(data["generations"])
        self.table.setRowCount(len(self.generations))
        for i, g in enumerate(self.generations):
            verified = g.get("verified") or {}
            state = "通过" if verified.get("ok") else ("未通过：" + self._problem(verified)) if verified else "未校验"
            cells = [
                datetime.fromisoformat(g["created_at"]).strftime("%Y-%m-%d %H:%M"),
                g["reason_label"],
                f"{g['counts'].get('cases', 0):,} 件",
                f"{g['files']:,} 个",
                _size(int(g["size"])),
                state,
            ]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j in (2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if j == 5 and not verified.get("ok"):
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(i, j, item)
        if not self.generations:
            self.show_message("还没有备份。点“立即备份”备份一次。")
        self._selection_changed()
        self.listed.emit(self.generations)

    @staticmethod
    def _problem(verified: dict[str, Any]) -> str:
        parts = []
        if verified.get("integrity") != "ok":
            parts.append("数据库损坏")
        if verified.get("counts_differ"):
            parts.append("记录数不符")
        if verified.get("files_missing"):
            parts.append(f"{len(verified['files_missing'])} 个文件缺失")
        if verified.get("files_changed"):
            parts.append(f"{len(verified['files_changed'])} 个文件被改动")
        return "、".join(parts) or "未通过"

    def selected(self) -> dict[str, Any] | None:
        row = self.table.currentRow()
        return self.generations[row] if 0 <= row < len(self.generations) and self.table.selectedItems() else None

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None
        self.verify_button.setEnabled(chosen)
        self.restore_button.setEnabled(chosen)

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if error else "")

    def _busy(self, busy: bool) -> None:
        for button in (self.backup_button, self.verify_button, self.restore_button):
            button.setEnabled(not busy)
        if not busy:
            self._selection_changed()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.show_message(_message(exc), True)
        self.done.emit(_message(exc))

    # -- actions ---------------------------------------------------------------------------------------------------

    def backup_now(self) -> None:
        self._busy(True)
        self.show_message("正在备份并校验…")

        def made(g: dict[str, Any]) -> None:
            self._busy(False)
            when = datetime.fromisoformat(g["created_at"]).strftime("%H:%M")
            ok = g["verified"].get("ok")
            text = f"已备份（{when}）：信访事项 {g['counts'].get('cases', 0):,} 件，文书和附件 {g['files']:,} 个，"
            text += "已重新打开校验，完好。" if ok else "但有文件缺失或被改动：" + self._problem(g["verified"])
            self.show_message(text, not ok)
            self.refresh()
            self.done.emit(text)

        self._ctx.tasks.run_db(create_job, made, self._failed)

    def verify_selected(self) -> None:
        g = self.selected()
        if g is None:
            return
        self._busy(True)

        def checked(result: dict[str, Any]) -> None:
            self._busy(False)
            text = (
                "校验通过：数据库完好，记录数和文件均与备份时一致。"
                if result["ok"]
                else "校验未通过：" + result["problem"]
            )
            self.show_message(text, not result["ok"])
            self.refresh()
            self.done.emit(text)

        self._ctx.tasks.run_db(verify_job(g["name"]), checked, self._failed)

    def restore_selected(self) -> None:
        g = self.selected()
        if g is None:
            return
        self._ctx.tasks.run_db(preview_job(g["name"]), self._previewed, self._failed)

    def _previewed(self, preview: dict[str, Any]) -> None:
        if preview["refused"]:
            self.show_message("不能恢复：" + "；".join(preview["refused"]), True)
            self.done.emit(self.message.text())
            return
        if not self.confirm(preview):
            self.show_message("未恢复。")
            return
        self._busy(True)
        self.show_message("正在恢复…")

        def restored(result: dict[str, Any]) -> None:
            self._busy(False)
            text = "已恢复。请关闭并重新打开信访工作台，以显示恢复后的数据。"
            if result.get("safety_backup"):
                text += "恢复前的数据已另行备份（列表中的“恢复前备份”）。"
            self.show_message(text)
            self.refresh()
            self.done.emit(text)

        self._ctx.tasks.run_db(restore_job(preview["generation"]["name"]), restored, self._failed)

    def _confirm(self, preview: dict[str, Any]) -> bool:
        return RestoreDialog(preview, self).exec() == QDialog.DialogCode.Accepted


# -- automatic backups and the start-up check ---------------------------------------------------------------------


def make_read_only(db: Database) -> None:
    """Every connection of `db` refuses writes from now on (SQLite `query_only`); the pool is renewed for it."""
    from sqlalchemy import event

    def query_only(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA query_only = 1")

    event.listen(db.engine, "connect", query_only)
    db.engine.dispose()


class AutoBackup(QObject):
    """The start-up check and daily backup (on a thread of their own), and the backup at exit (waited for)."""

    checked = Signal(str)  # quick_check's answer ("ok" or what it found)
    finished = Signal(object)  # {"ok": bool, "text": str}

    def __init__(self, parent: QWidget | None = None, *, today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self._window = parent
        self._today = today
        self._thread: threading.Thread | None = None
        self.damaged = False
        self.checked.connect(self._checked)
        self.finished.connect(self._finished)
        self._db: Database | None = None

    def at_start(self, db: Database) -> None:
        """quick_check, then the day's first backup if none was taken today."""
        self._db = db

        def work() -> None:
            from xinfang_desktop.persistence.backup import create_backup, due_today, quick_check

            answer = quick_check(db)
            self.checked.emit(answer)
            if answer != "ok" or not due_today(db, self._today()):
                return
            if db.path is None and shutil.which("pg_dump") is None:  # said once in the status bar, not every start
                self.finished.emit({"ok": True, "text": "PostgreSQL 数据库：本机未安装 pg_dump，未自动备份"})
                return
            try:
                g = create_backup(db, reason="daily")
                self.finished.emit({"ok": g.ok, "text": f"已完成今天的自动备份（{g.name}）"})
            except Exception as exc:
                log.exception("daily backup failed")
                self.finished.emit({"ok": False, "text": f"今天的自动备份未完成：{_message(exc)}"})

        self._thread = threading.Thread(target=work, name="xinfang-backup", daemon=True)
        self._thread.start()

    def _checked(self, answer: str) -> None:
        if answer == "ok" or self._db is None:
            return
        self.damaged = True
        make_read_only(self._db)
        log.error("quick_check at start: %s", answer)
        QMessageBox.warning(
            self._window,
            "数据库文件已损坏",
            "启动时检查发现数据库文件已损坏，为防止损坏扩大，本次以只读方式打开：可以查看，不能登记或修改。\n\n"
            "请在“设置 → 备份与恢复”中选择一份校验通过的备份恢复，或联系系统管理员。\n\n"
            f"检查结果：{answer[:300]}",
        )

    def _finished(self, outcome: dict[str, Any]) -> None:
        window: Any = self._window
        if outcome["ok"] and window is not None and hasattr(window, "statusBar"):
            window.statusBar().showMessage(outcome["text"], 8000)
        elif not outcome["ok"]:
            QMessageBox.warning(self._window, "自动备份", outcome["text"])

    def offer_restore(self, parent: QWidget | None, target: str | None) -> bool:
        """The database could not be opened: a damaged file is offered its newest verified backup."""
        return offer_restore_after_failed_open(parent, target)

    def at_exit(self) -> None:
        """The backup at exit, with a small progress window; skipped for a damaged database."""
        if self._db is None or self.damaged:
            return
        if self._thread is not None:
            self._thread.join()  # the daily backup of this start, if still running
        db = self._db

        def work() -> None:
            from xinfang_desktop.persistence.backup import create_backup

            create_backup(db, reason="exit")

        try:
            _run_with_progress(self._window, "正在备份数据库及其文书、附件…", work)
        except Exception as exc:
            QMessageBox.warning(self._window, "退出时备份", f"退出时备份未完成：{_message(exc)}")


def _run_with_progress(parent: QWidget | None, text: str, work: Callable[[], Any]) -> Any:
    """`work()` on a thread of its own while a small modal progress window keeps the GUI painted."""
    progress = QProgressDialog(text, "", 0, 0, parent)
    progress.setWindowTitle("信访工作台")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.show()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except Exception as exc:
            log.exception("%s failed", text)
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="xinfang-backup-work")
    thread.start()
    while thread.is_alive():
        QApplication.processEvents()
        thread.join(0.05)
    progress.close()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def offer_restore_after_failed_open(parent: QWidget | None, target: str | None) -> bool:
    """When the database could not be opened because its file is damaged: offer the newest verified backup.

    Nothing is offered for another cause (a newer version, a server that does not answer) or without a verified
    backup. Returns whether the database was restored (the application is then started again by the clerk)."""
    from xinfang_desktop.persistence.backup import REASONS, list_backups, quick_check
    from xinfang_desktop.persistence.engine import database_url, sqlite_path
    from xinfang_desktop.persistence.restore import restore_backup

    url = database_url(target)
    path = sqlite_path(url)
    if path is None or not path.exists():
        return False
    db = Database(url)
    try:
        if quick_check(db) == "ok":
            return False
        good = [g for g in list_backups(db) if g.ok]
        if not good:
            QMessageBox.warning(
                parent, "数据库文件已损坏", "数据库文件已损坏，且没有校验通过的备份可用于恢复。请联系系统管理员。"
            )
            return False
        g = good[0]
        question = (
            f"数据库文件已损坏，无法打开。\n\n最近一份校验通过的备份是 {g.created_at:%Y年%m月%d日 %H:%M} 的"
            f"{REASONS.get(g.reason, '备份')}（信访事项 {g.counts.get('cases', 0):,} 件）。\n"
            "是否用它恢复？此后登记和修改的内容将不在恢复后的数据库中；损坏的文件会另存一份，供系统管理员检查。"
        )
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        if QMessageBox.question(parent, "数据库文件已损坏", question, buttons) != QMessageBox.StandardButton.Yes:
            return False
        try:
            _run_with_progress(parent, "正在从备份恢复…", lambda: restore_backup(db, g.name))
        except Exception as exc:
            QMessageBox.warning(parent, "从备份恢复", f"未能恢复：{_message(exc)}")
            return False
        QMessageBox.information(parent, "从备份恢复", "已从备份恢复。请重新打开信访工作台。")
        return True
    finally:
        db.dispose()
