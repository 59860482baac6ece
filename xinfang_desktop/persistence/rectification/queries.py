"""Reads of the 挂牌整治 listings for other screens: the state of each group a quarter's ranking lists (R-AS-02)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.core.rectification import ExplanationStatus, Listing, ListingState
from xinfang_desktop.persistence.rectification.records import RectificationListingRecord
from xinfang_desktop.persistence.rectification.store import listing_core

#: How the ranking shows a listed group: 已挂牌（待说明）, 逾期未说明, 已说明, 已约谈, 已摘牌.
NOT_RECORDED = "尚未登记挂牌（“从排名列入”）"


def listing_mark(li: Listing, today: date) -> tuple[str, str]:
    """(code, label) of a listing for the ranking: listed / overdue / explained / interviewed / lifted."""
    state = li.state
    if state is ListingState.LIFTED:
        return "lifted", f"已摘牌（{li.lifted_on.isoformat() if li.lifted_on else ''}）"
    if li.explanation_status(today) is ExplanationStatus.OVERDUE:
        return "overdue", f"书面说明逾期（应于{li.explanation_due.isoformat()}前）"
    if state is ListingState.INTERVIEWED:
        return "interviewed", f"已约谈（{li.interview_on.isoformat() if li.interview_on else ''}）"
    if state is ListingState.EXPLAINED:
        return "explained", f"已提交书面说明（{li.explanation_on.isoformat() if li.explanation_on else ''}）"
    return "listed", f"已挂牌，待书面说明（{li.explanation_due.isoformat()}前）"


def listing_states(session: Session, quarter: str, today: date) -> dict[tuple[str, str], dict[str, Any]]:
    """(group kind, key) → the listing of `quarter` for that group: id, state and the ranking's mark."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    r = RectificationListingRecord
    for rec in session.scalars(select(r).where(r.quarter == quarter)):
        li = listing_core(rec)
        code, label = listing_mark(li, today)
        out[(rec.group_kind, rec.group_key)] = {
            "listing_id": rec.id,
            "name": rec.name,
            "listed_on": rec.listed_on.isoformat(),
            "state": li.state.value,
            "state_label": li.state.label,
            "mark": code,
            "mark_label": label,
            "explanation_due": rec.explanation_due.isoformat(),
            "explanation_on": rec.explanation_on.isoformat() if rec.explanation_on else None,
        }
    return out


__all__ = ["NOT_RECORDED", "listing_mark", "listing_states"]
