"""The table of 挂牌整治 listings (R-AS-02): one township or unit listed for one quarter, with its written explanation,
the 约谈 and the lifting."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desktop.persistence.records import Base


class RectificationListingRecord(Base):
    """A group listed for rectification by a quarter's ranking: the reasons, the explanation owed by its due day (and
    the file), the 约谈 held, the 摘牌. Listing the same quarter twice adds nothing (quarter, kind, key unique)."""

    __tablename__ = "rectification_listings"
    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(8))  # 2026Q3
    group_kind: Mapped[str] = mapped_column(String(16))  # township / unit
    group_key: Mapped[str] = mapped_column(String(32))  # the unit id or the region code, as the ranking keys it
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    name: Mapped[str] = mapped_column(String(128))
    listed_for: Mapped[str] = mapped_column(Text)  # JSON list of the ranking's reasons
    listed_on: Mapped[date] = mapped_column(Date)
    explanation_workdays: Mapped[int] = mapped_column(Integer)
    explanation_due: Mapped[date] = mapped_column(Date)
    explanation_on: Mapped[date | None] = mapped_column(Date)
    explanation_summary: Mapped[str | None] = mapped_column(Text)
    explanation_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    interview_on: Mapped[date | None] = mapped_column(Date)
    interview_by: Mapped[str | None] = mapped_column(String(128))
    interview_leader_id: Mapped[int | None] = mapped_column(ForeignKey("leaders.id"))
    interview_persons: Mapped[str | None] = mapped_column(Text)
    interview_notes: Mapped[str | None] = mapped_column(Text)
    lifted_on: Mapped[date | None] = mapped_column(Date)
    lift_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        UniqueConstraint("quarter", "group_kind", "group_key"),
        CheckConstraint("(unit_id IS NULL) <> (region_code IS NULL)", name="one_group"),
        Index("ix_rectification_listings_open", "lifted_on", "explanation_on", "explanation_due"),
    )
