"""Tables of the annual responsibility statements (R-RS-01/02): one statement per year and party, its targets."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desktop.persistence.records import Base


class ResponsibilityStatementRecord(Base):
    """信访工作责任书 for one year between the county (甲方) and a township or unit (乙方) — or the county's own with
    the city above (`unit_id` None, `party_key` "county")."""

    __tablename__ = "responsibility_statements"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    # "unit:<id>" or "county": unique per year (a NULL unit_id would not be).
    party_key: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    first_party: Mapped[str] = mapped_column(String(128))
    second_party: Mapped[str] = mapped_column(String(128))
    first_signatory: Mapped[str | None] = mapped_column(String(64))
    second_signatory: Mapped[str | None] = mapped_column(String(64))
    measures: Mapped[str] = mapped_column(Text)  # JSON list of texts
    consequences: Mapped[str] = mapped_column(Text)  # JSON list of texts (S0 art 5 责任查究措施)
    signed_on: Mapped[date | None] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    evaluation: Mapped[str | None] = mapped_column(Text)  # JSON: per target the year-end value and verdict
    evaluation_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("year", "party_key"),)


class StatementTargetRecord(Base):
    """One target of a statement: what is measured, last year's figure, the target value and its wording."""

    __tablename__ = "statement_targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("responsibility_statements.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # reduction | rate_min | count_max
    baseline: Mapped[float | None] = mapped_column(Float)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_text: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("statement_id", "code"),)
