"""The tables of 职责落实: duty records (a meeting, inspection, screening or visit held) and leaders' contact points."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desktop.persistence.records import Base


class DutyRecord(Base):
    """A periodic duty done: its kind (from the rule profile's duties), the day, the body or leader, who took part,
    the topic and the minutes (an attachment). A record entered in error is voided with a reason, never deleted:
    it then counts for nothing but stays on file."""

    __tablename__ = "duty_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    held_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(String(128))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("leaders.id"))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    participants: Mapped[str | None] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(Text)
    minutes_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    voided_at: Mapped[datetime | None] = mapped_column(DateTime)
    voided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_duty_records_kind", "kind", "held_on"),)


class LeaderContactPointRecord(Base):
    """联系点 (R-RC-06, S4 §3): for a year, a place (township) or a unit a leader is tied to by the division of work;
    the leader's quarterly 督导 visits count only when made there."""

    __tablename__ = "leader_contact_points"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    leader_id: Mapped[int] = mapped_column(ForeignKey("leaders.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        CheckConstraint("(unit_id IS NULL) <> (region_code IS NULL)", name="one_place"),
        Index("ix_leader_contact_points_leader", "leader_id", "year"),
    )
