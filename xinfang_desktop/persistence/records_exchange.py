"""Records of 上报数据包 (issue 14): the senders a city trusts, the packages sent and received, and what the counties
sent kept apart from the city's own ledger (their cases keyed by sender and case number, their figures by period)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desktop.persistence.records import Base


class ExchangeSenderRecord(Base):
    """A sending office whose public key this office registered (`exchange keys trust`)."""

    __tablename__ = "exchange_senders"
    id: Mapped[int] = mapped_column(primary_key=True)
    office: Mapped[str] = mapped_column(String(128))
    region_code: Mapped[str] = mapped_column(String(12))
    public_key: Mapped[str] = mapped_column(String(130), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ExchangeSentRecord(Base):
    """A package this office made: its number, for whom, the received dates it covered and its change clock (the
    last case event id it saw), so the next package to the same receiver holds what changed since."""

    __tablename__ = "exchange_sent"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    receiver: Mapped[str] = mapped_column(String(32))  # the receiver key's fingerprint, "" when not encrypted
    period: Mapped[str] = mapped_column(String(16))
    range_from: Mapped[date] = mapped_column(Date)
    range_to: Mapped[date] = mapped_column(Date)
    event_watermark: Mapped[int] = mapped_column(Integer)
    cases: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_exchange_sent_receiver", "receiver", "seq"),)


class ExchangeReceivedRecord(Base):
    """A package imported from a sender (one row per sender and number: importing it again changes nothing)."""

    __tablename__ = "exchange_received"
    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("exchange_senders.id"))
    seq: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[str] = mapped_column(String(32))
    cases: Mapped[int] = mapped_column(Integer)
    stale: Mapped[bool] = mapped_column(Boolean)  # an older package than one already imported: only gaps filled
    imported_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("sender_id", "seq"),)


class ExchangeReportRecord(Base):
    """A sender's figures for one period (the counters of every grouping), replaced by a newer package."""

    __tablename__ = "exchange_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("exchange_senders.id"))
    period: Mapped[str] = mapped_column(String(16))
    package_seq: Mapped[int] = mapped_column(Integer)
    caliber: Mapped[str] = mapped_column(String(8))
    data: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("sender_id", "period"),)


class ExchangeCaseRecord(Base):
    """A case as a sender last sent it: a few columns to list and count by, and the whole case line (JSON)."""

    __tablename__ = "exchange_cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("exchange_senders.id"))
    number: Mapped[str] = mapped_column(String(32))
    received_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    locality_code: Mapped[str | None] = mapped_column(String(12))
    headcount: Mapped[int] = mapped_column(Integer)
    package_seq: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("sender_id", "number"),
        Index("ix_exchange_cases_received", "sender_id", "received_on"),
    )
