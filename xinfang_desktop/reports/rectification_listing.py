"""挂牌整治 from the quarterly ranking (R-AS-02): the groups `reports.ranking_report` lists for a quarter become
listings (`persistence.rectification.store.add_listings`), and the previous quarter's listings it no longer lists are
lifted. Running it twice for a quarter adds nothing. A half year (S4 §18's 半年评价, span 2026H1) is listed the same
way, lifting the half year before."""

from __future__ import annotations

from datetime import date
from typing import Any

from xinfang_desktop.core.duties import Span
from xinfang_desktop.core.rectification import GroupKind, ListedGroup
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.rectification.store import add_listings
from xinfang_desktop.reports.ranking_report import RankingReport, ranking_report


def listed_groups(report: RankingReport) -> list[ListedGroup]:
    """The groups the ranking lists, townships first (a group without a township or unit has key "")."""
    return [
        ListedGroup(GroupKind(grouping.value), row.key or "", row.name, tuple(row.listed_for))
        for grouping, row in report.listed()
    ]


def list_from_ranking(db: Database, quarter: Span, *, today: date, user: str | None = None) -> dict[str, Any]:
    """Rank the quarter as of `today` and list its listed groups (see `add_listings`)."""
    report = ranking_report(db, quarter, today=today)
    result = add_listings(db, quarter, listed_groups(report), today=today, user=user)
    result["listing_rule"] = report.weights.listing_rule()
    return result


__all__ = ["list_from_ranking", "listed_groups"]
