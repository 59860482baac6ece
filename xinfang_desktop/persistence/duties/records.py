"""The table of duty records (职责落实): one meeting, inspection, screening or visit a body or leader held."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desktop.persistence.records import Base


class DutyRecord(Base):
    """A periodic duty done: its kind (from the rule profile's duties), the day, the body or leader, who took part,
    the topic and the minutes (an attachment)."""

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

    __table_args__ = (Index("ix_duty_records_kind", "kind", "held_on"),)
