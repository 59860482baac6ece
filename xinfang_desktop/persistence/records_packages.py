"""Records of leader case packages (领导包案), oversight areas (包片督案) and reception duty (领导接访) — issue 7.

Coded columns hold the glossary identifiers of `core.packages` (e.g. duty "resolve_conflict", outcome "ceased").
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desktop.persistence.records import Base


class CasePackageRecord(Base):
    """领导包案 (R-PK-01): one leader, one team, one plan for one case (or a set of related cases)."""

    __tablename__ = "case_packages"
    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("leaders.id"))
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    # R-PK-06: a package opened from a leader's reception day (领导接访).
    reception_day_id: Mapped[int | None] = mapped_column(ForeignKey("reception_days.id"))
    started_on: Mapped[date] = mapped_column(Date)
    target_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        CheckConstraint("target_on >= started_on", name="target_after_start"),
        Index("ix_case_packages_leader_status", "leader_id", "status", "target_on"),
        Index("ix_case_packages_status_target", "status", "target_on", "id"),
        Index("ix_case_packages_reception_day", "reception_day_id"),
    )


class PackageCaseRecord(Base):
    """The case(s) of a package: the first is the main case, others are related cases."""

    __tablename__ = "package_cases"
    package_id: Mapped[int] = mapped_column(ForeignKey("case_packages.id", ondelete="CASCADE"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class PackageMemberRecord(Base):
    """专班 (team) member of a package with the role in it."""

    __tablename__ = "package_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("case_packages.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    post: Mapped[str | None] = mapped_column(String(128))


class PackageMilestoneRecord(Base):
    """A step of the plan (方案) with its date on the working-day calendar."""

    __tablename__ = "package_milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("case_packages.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("package_id", "seq"),)


class PackageDutyRecord(Base):
    """One of the five duties (五包, R-PK-02) of a package with its status and evidence notes."""

    __tablename__ = "package_duties"
    package_id: Mapped[int] = mapped_column(ForeignKey("case_packages.id", ondelete="CASCADE"), primary_key=True)
    duty: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str | None] = mapped_column(Text)
    updated_on: Mapped[date | None] = mapped_column(Date)


class PackageMeetingRecord(Base):
    """约见: the leader meets the petitioner."""

    __tablename__ = "package_meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("case_packages.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(128))
    notes: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_package_meetings_package", "package_id", "held_on"),)


class OversightAssignmentRecord(Base):
    """包片督案 (R-PK-05): one row of the year's table — a city leader (or a role, or nobody named) and a contact
    unit. One leader over several units is several rows; the contact unit is a unit or a region of the register,
    or free text on a note row (no count)."""

    __tablename__ = "oversight_assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    row_order: Mapped[int] = mapped_column(Integer)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("leaders.id"))
    leader_text: Mapped[str | None] = mapped_column(String(128))  # the name or role as written
    contact_text: Mapped[str] = mapped_column(Text)  # the contact unit as written
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    imported_count: Mapped[int | None] = mapped_column(Integer)  # 积案数 in the imported table
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("year", "row_order"),
        Index("ix_oversight_assignments_leader", "leader_id", "year"),
    )


class ReceptionDayRecord(Base):
    """领导接访 (R-RC-01): a planned or held reception day of a leader, with who came and what was registered."""

    __tablename__ = "reception_days"
    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("leaders.id"))
    on_date: Mapped[date] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(128))
    is_duty: Mapped[bool] = mapped_column(default=False)  # a duty day of a special protection period
    held: Mapped[bool] = mapped_column(default=False)
    petitioners_received: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("leader_id", "on_date"),
        CheckConstraint("petitioners_received >= 0", name="received_not_negative"),
        Index("ix_reception_days_date", "on_date", "leader_id"),
    )


class ReceptionCaseRecord(Base):
    """A case registered from a reception day (R-PK-06)."""

    __tablename__ = "reception_cases"
    reception_day_id: Mapped[int] = mapped_column(ForeignKey("reception_days.id", ondelete="CASCADE"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True, index=True)


class LeaderInstructionRecord(Base):
    """阅批 (R-RC-02): a leader's written instruction on a letter."""

    __tablename__ = "leader_instructions"
    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("leaders.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    instructed_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_leader_instructions_leader_date", "leader_id", "instructed_on"),
        Index("ix_leader_instructions_case", "case_id"),
    )
