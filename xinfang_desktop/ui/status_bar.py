"""The status bar: database, user, rule profile and whether next year's holiday table is present."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from xinfang_desktop.persistence.calendar_store import missing_next_year_warning
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.rule_profile_store import selected_profile
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.ui.context import AppContext


def environment_job(today: date) -> Any:
    def job(db: Database) -> dict[str, Any]:
        with db.read_session() as session:
            office = SqlSettings(session).get("office_name")
        return {
            "database": db.display_name,
            "profile": selected_profile(db).name,
            "holiday_warning": missing_next_year_warning(db, today),
            "office_name": office if isinstance(office, str) and office.strip() else None,
        }

    return job


class AppStatusBar(QStatusBar):
    holidays_requested = Signal()  # the link of the holiday warning: open 设置 → 节假日安排

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.info: dict[str, Any] = {}
        self.database_label = QLabel("数据库：正在打开…")
        self.user_label = QLabel(f"用户：{ctx.user}")
        self.profile_label = QLabel("期限规则：…")
        self.holiday_label = QLabel("节假日数据：…")
        self.holiday_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.holiday_label.linkActivated.connect(lambda _link: self.holidays_requested.emit())
        self.tick_label = QLabel("")  # the day's time-driven changes (daily_tick_runner)
        for label in (self.database_label, self.user_label, self.profile_label, self.holiday_label, self.tick_label):
            label.setContentsMargins(6, 0, 6, 0)
            self.addPermanentWidget(label)
        self.addPermanentWidget(QWidget(), 1)  # keep the labels left-aligned

    def show_environment(self, info: dict[str, Any]) -> None:
        self.info = info
        self.database_label.setText(f"数据库：{_shorten(info['database'])}")
        self.database_label.setToolTip(info["database"])
        self.profile_label.setText(f"期限规则：{info['profile']}")
        warning = info.get("holiday_warning")
        if warning:
            from xinfang_desktop.ui.role_gate import may

            # Says how to fix it, as a link to the tab it names (issue 18) — for those who may enter holidays; the
            # others are told who does (issue 17: the tab is the 系统管理员's).
            if may("system.maintain"):
                how = "<a href='holidays' style='color:#c62828'>设置 → 节假日安排</a>"
            else:
                how = "请系统管理员在 设置 → 节假日安排 中录入"
            self.holiday_label.setText(f"节假日数据：⚠ 缺少下一年度安排 — {how}")
            self.holiday_label.setToolTip(warning)
            self.holiday_label.setStyleSheet("color: #c62828; font-weight: bold;")
        else:
            self.holiday_label.setText("节假日数据：正常")
            self.holiday_label.setToolTip("")
            self.holiday_label.setStyleSheet("")


def _shorten(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]
