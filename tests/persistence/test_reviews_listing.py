"""The 三方会审 list for the 预警与积案 section: a count and the earliest-due first N, equal to the full list's head."""

from __future__ import annotations

from datetime import date
from typing import Any

from xinfang_desktop.persistence.demo_data import generate_demo
from xinfang_desktop.persistence.reviews_store import count_reviews, list_reviews
from xinfang_desktop.persistence.warnings_store import tick_warnings

TODAY = date(2026, 11, 20)


def test_first_n_and_count_agree_with_the_full_list(db: Any) -> None:
    generate_demo(db, 12000, seed=11, today=TODAY)
    tick_warnings(db, today=TODAY)  # records the 三方会审 the demo's visits call for (R-BK-02)
    everything = list_reviews(db, today=TODAY)
    open_ = list_reviews(db, today=TODAY, open_only=True)
    assert len(open_) >= 3, "the demo data should contain reviews not yet held"
    assert count_reviews(db) == len(everything) and count_reviews(db, open_only=True) == len(open_)
    assert list_reviews(db, today=TODAY, open_only=True, first=3) == open_[:3]
    assert [r["due_on"] for r in open_] == sorted(r["due_on"] for r in open_)
    assert all(r["held_on"] is None for r in open_)
