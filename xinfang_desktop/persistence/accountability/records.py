"""Tables of the responsibility system's accountability side: candidates, accountability cases, grounds, linked cases,
persons and the steps of each person's ladder (R-AC-01…05)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desktop.persistence.records import Base


class AccountabilityCandidateRecord(Base):
    """追责线索: a candidate ground found in the ledger with its evidence; kept once dismissed or opened."""

    __tablename__ = "accountability_candidates"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    # What makes the finding unique (kind, case, clock …): detection run twice adds nothing.
    key: Mapped[str] = mapped_column(String(160), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    unit: Mapped[str | None] = mapped_column(String(128))
    evidence: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    found_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    accountability_id: Mapped[int | None] = mapped_column(ForeignKey("accountabilities.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_accountability_candidates_status", "status", "found_on", "id"),)


class AccountabilityRecord(Base):
    """追责事项: facts, the unit concerned, severity, the referral to the organ with authority and its feedback."""

    __tablename__ = "accountabilities"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    profile_id: Mapped[str] = mapped_column(String(32))
    subject_unit: Mapped[str] = mapped_column(String(128))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    facts: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    organ_measure: Mapped[str | None] = mapped_column(String(32))
    opened_on: Mapped[date] = mapped_column(Date)
    referred_to: Mapped[str | None] = mapped_column(String(128))
    referred_on: Mapped[date | None] = mapped_column(Date)
    materials: Mapped[str | None] = mapped_column(Text)  # JSON list of the material handed over
    copy_to: Mapped[str | None] = mapped_column(Text)  # JSON list
    feedback_due: Mapped[date | None] = mapped_column(Date)
    feedback_explanation: Mapped[str | None] = mapped_column(Text)
    urged_on: Mapped[date | None] = mapped_column(Date)
    urge_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    feedback_on: Mapped[date | None] = mapped_column(Date)
    feedback_outcome: Mapped[str | None] = mapped_column(Text)
    feedback_document: Mapped[str | None] = mapped_column(String(128))
    reported_on: Mapped[date | None] = mapped_column(Date)
    recommendation_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    report_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (Index("ix_accountabilities_feedback", "feedback_on", "feedback_due"),)


class AccountabilityGroundRecord(Base):
    """A ground (追责情形) of an accountability case: its code, and the citation and text as they stood when chosen."""

    __tablename__ = "accountability_grounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    accountability_id: Mapped[int] = mapped_column(ForeignKey("accountabilities.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    citation: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("accountability_id", "code"),)


class AccountabilityCaseRecord(Base):
    """A 信访事项 linked to an accountability case."""

    __tablename__ = "accountability_cases"
    accountability_id: Mapped[int] = mapped_column(ForeignKey("accountabilities.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True, index=True)


class AccountabilityPersonRecord(Base):
    """A person held responsible: post, unit, the organ with cadre-management authority, the responsibility
    (R-AC-04, with the objection or 尽职免责 that exempts), and the outcome the organ fed back."""

    __tablename__ = "accountability_persons"
    id: Mapped[int] = mapped_column(primary_key=True)
    accountability_id: Mapped[int] = mapped_column(ForeignKey("accountabilities.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    post: Mapped[str] = mapped_column(String(128))
    unit: Mapped[str] = mapped_column(String(128))
    authority: Mapped[str] = mapped_column(String(128))
    role: Mapped[str | None] = mapped_column(String(16))
    responsibility: Mapped[str] = mapped_column(String(24))
    objection: Mapped[bool] = mapped_column(Boolean)
    exemption: Mapped[str | None] = mapped_column(Text)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("leaders.id"), index=True)
    outcome_measure: Mapped[str | None] = mapped_column(String(32))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    outcome_document: Mapped[str | None] = mapped_column(String(128))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_accountability_persons_name", "name", "unit"),)


class AccountabilityStepRecord(Base):
    """One rung of a person's ladder (R-AC-03): measure, decision day, rectification deadline and its outcome."""

    __tablename__ = "accountability_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("accountability_persons.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    measure: Mapped[str] = mapped_column(String(16))
    decided_on: Mapped[date] = mapped_column(Date)
    rectify_by: Mapped[date | None] = mapped_column(Date)
    rectify_explanation: Mapped[str | None] = mapped_column(Text)
    rectified_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("person_id", "seq"),
        Index("ix_accountability_steps_measure", "measure", "decided_on"),
    )
