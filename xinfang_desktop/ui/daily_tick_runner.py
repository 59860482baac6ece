"""The day's time-driven changes when the window opens (issue 19): run once on the database thread, told in the
status bar, and the workbench's counts refreshed after it — the office no longer needs a scheduled `xinfang tick`."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QLabel

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext


def tick_job(today: date, user: str) -> Any:
    def job(db: Database) -> dict[str, Any]:
        from xinfang_desktop.persistence.daily_tick import daily_tick

        summary = daily_tick(db, today=today, first=0, user=user)
        return {
            "changed": summary["changed"],
            "examined": summary["examined"],
            "candidates": summary["accountability"]["added"],
        }

    return job


def tick_text(result: dict[str, Any]) -> str:
    text = f"到期处理：今日已完成，{result['changed']:,} 件有变化"
    if result["candidates"]:
        text += f"，新追责线索 {result['candidates']} 条"
    return text


def run_daily_tick(ctx: AppContext, label: QLabel, after: Any) -> None:
    """Run today's tick; `label` says how it went, `after()` runs once it is done (the counts to refresh)."""
    label.setText("到期处理：正在进行…")
    label.setToolTip("期限届满、超期标记、自动督办和催办、预警和追责线索：每天打开时处理一次，重复处理不会重复记录")

    def done(result: dict[str, Any]) -> None:
        label.setText(tick_text(result))
        after()

    def failed(exc: BaseException) -> None:
        label.setText("到期处理：未完成")
        label.setToolTip(str(getattr(exc, "message", None) or exc))

    ctx.tasks.run_db(tick_job(ctx.today(), ctx.user), done, failed)


__all__ = ["run_daily_tick", "tick_job", "tick_text"]
