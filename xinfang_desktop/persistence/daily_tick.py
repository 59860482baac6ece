"""The daily clock in one call: the statutory clocks, then the warning slips, then the accountability candidates.

`xinfang tick` runs it, and the window runs it when it opens each day (issue 19 made it cheap enough: about 2 s on a
million cases, under 1 s when it has already run). It is idempotent: a second run on the same day changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from xinfang_desktop.persistence.database import Database


def daily_tick(
    db: Database, *, today: date, full: bool = False, first: int | None = 50, user: str | None = None
) -> dict[str, Any]:
    """Run the day's time-driven changes; the summary `xinfang tick --json` prints (its lists not yet cut)."""
    from xinfang_desktop.persistence.accountability.detection import detect_candidates
    from xinfang_desktop.persistence.lifecycle_store import tick_all
    from xinfang_desktop.persistence.warnings_store import tick_warnings

    summary = tick_all(db, today=today, full=full)
    summary["warnings"] = tick_warnings(db, today=today, repair=full, first=first)
    # After the clocks and the warning slips: the candidates read what those just marked (R-AC-01).
    summary["accountability"] = detect_candidates(db, today=today, user=user)
    return summary


__all__ = ["daily_tick"]
