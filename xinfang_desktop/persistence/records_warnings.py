"""Records of warning slips (信访预警单), explanations, backlog follow-up (一事双查) and 三方会审 — issue 8.

Rules: R-WS-01…04, R-CL-05, R-BK-01…03 (see `core/warnings_rules.py` and `core/backlog.py`). JSON columns (the
evidence of a slip, the participants of a review) are Text holding a JSON document.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desktop.persistence.records import Base


class WarningSlipRecord(Base):
    """信访预警单 (R-WS-01/02): numbered (the issued document's number), addressed to the leader of the territorial or
    responsible unit, with the reason and the evidence (which visits, when, at which level), and its 签收."""

    __tablename__ = "warning_slips"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    to_unit: Mapped[str] = mapped_column(String(128))
    to_leader: Mapped[str] = mapped_column(String(64))
    trigger: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date)
    receipted_on: Mapped[date | None] = mapped_column(Date)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class WarningExplanationRecord(Base):
    """书面说明 (R-WS-03/04): owed by the warned unit for one further visit, within 3 工作日 of it, to the higher
    leading group's head (first) or the higher party and government leaders (escalated)."""

    __tablename__ = "warning_explanations"
    id: Mapped[int] = mapped_column(primary_key=True)
    slip_id: Mapped[int] = mapped_column(ForeignKey("warning_slips.id"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    seq: Mapped[int] = mapped_column(Integer)
    visit_on: Mapped[date] = mapped_column(Date)
    visit_level: Mapped[str] = mapped_column(String(16))
    rule_id: Mapped[str] = mapped_column(String(16))
    owed_to: Mapped[str] = mapped_column(String(16))
    owed_to_name: Mapped[str] = mapped_column(String(128))
    due_on: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    # Recorded by the tick once the explanation is overdue: a candidate accountability ground (R-AC-01).
    accountability_ground: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("slip_id", "submission_id"),
        Index("ix_warning_explanations_open_due", "received_on", "due_on"),
    )


class BacklogCaseRecord(Base):
    """积案 (R-CL-05): a case not resolved within its statutory period whose petitioner petitioned again; its origin
    and batch (R-BK-03 targets and burn-down) and the day it was resolved."""

    __tablename__ = "backlog_cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    detected_on: Mapped[date] = mapped_column(Date)
    missed_rule: Mapped[str] = mapped_column(String(16))
    missed_due_on: Mapped[date] = mapped_column(Date)
    repeat_submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    repeat_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16))
    batch: Mapped[str | None] = mapped_column(String(64))
    handed_down_on: Mapped[date | None] = mapped_column(Date)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_backlog_cases_batch", "batch", "resolved_on"),)


class DualInquiryRecord(Base):
    """一事双查 (R-BK-01): the handling check (first handling unit, handler, what went wrong) and the accountability
    check (pursued?, outcome), each with its deadline and the day it was completed."""

    __tablename__ = "dual_inquiries"
    id: Mapped[int] = mapped_column(primary_key=True)
    backlog_id: Mapped[int] = mapped_column(ForeignKey("backlog_cases.id"), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    handling_due_on: Mapped[date] = mapped_column(Date)
    first_unit: Mapped[str | None] = mapped_column(String(128))
    handler: Mapped[str | None] = mapped_column(String(64))
    handling_findings: Mapped[str | None] = mapped_column(Text)
    handling_done_on: Mapped[date | None] = mapped_column(Date)
    accountability_due_on: Mapped[date] = mapped_column(Date)
    accountability_pursued: Mapped[bool | None] = mapped_column(Boolean)
    accountability_outcome: Mapped[str | None] = mapped_column(Text)
    accountability_done_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class TripartiteReviewRecord(Base):
    """三方会审 (R-BK-02): triggered by a visit, due within 15 工作日 of it; participants (JSON list of {role, name}),
    the meeting with the petitioner, and the copy sent to the city joint-conference office."""

    __tablename__ = "tripartite_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), unique=True)
    triggers: Mapped[str] = mapped_column(String(128))
    visit_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    participants: Mapped[str] = mapped_column(Text)
    held_on: Mapped[date | None] = mapped_column(Date)
    petitioner_met: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
    city_copy_sent_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_tripartite_reviews_open_due", "held_on", "due_on"),)


class TripartiteReviewFileRecord(Base):
    """An audio or video recording (or other file) of a 三方会审: a case attachment stored by SHA-256; the rows of a
    review are its file manifest."""

    __tablename__ = "tripartite_review_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("tripartite_reviews.id"), index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id"))
    kind: Mapped[str] = mapped_column(String(16))

    __table_args__ = (UniqueConstraint("review_id", "attachment_id"),)
