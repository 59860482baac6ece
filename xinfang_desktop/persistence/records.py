"""Typed declarative records: the tables of the database (identifiers from the glossary)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: The predicate of ix_submissions_upper_visits, repeated verbatim by the queries that should use it.
UPPER_VISITS = (
    "channel = 'visit' AND (level IN ('national', 'province') OR destination IN ('to_capital', 'to_province'))"
)
#: The predicate of ix_case_deadlines_unresolved: the resolution clocks (core.backlog.RESOLUTION_RULES) not met or
#: met after their due date.
UNRESOLVED_CLOCKS = "rule_id IN ('R-DL-06', 'R-DL-13', 'R-DL-09', 'R-DL-11') AND (met_on IS NULL OR met_on > due_on)"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UserRecord(Base):
    """用户: the author of every change; a login account once it has a password (persistence/users.py)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    password_hash: Mapped[str | None] = mapped_column(String(255))  # argon2id; None: an author that cannot log in
    disabled: Mapped[bool] = mapped_column(Boolean, server_default=false())
    failed_logins: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    must_change_password: Mapped[bool] = mapped_column(Boolean, server_default=false())


class UserRoleRecord(Base):
    """用户角色: one role of a user (core/access.py names them)."""

    __tablename__ = "user_roles"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class UserScopeRecord(Base):
    """数据范围: a township (region code) or unit (name) a user is limited to; none means the whole county."""

    __tablename__ = "user_scopes"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # "township" | "unit"
    value: Mapped[str] = mapped_column(String(128), primary_key=True)


class LoginSessionRecord(Base):
    """登录会话: a shell session opened by `xinfang login`, found by its token's SHA-256 (the token is not kept)."""

    __tablename__ = "login_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class SettingRecord(Base):
    """设置: office name, document prefixes, rule profile … as JSON values by key."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SavedViewRecord(Base):
    """台账视图: a user's saved search, filters, sort and columns of the ledger, by name (the state as JSON)."""

    __tablename__ = "saved_views"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("user_id", "name"),)


class RegionRecord(Base):
    """行政区划 with its GB/T 2260 code (townships and villages extend it to 9 and 12 digits)."""

    __tablename__ = "regions"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)


class UnitRecord(Base):
    """事权单位 / 责任单位: an organisation that handles cases."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class LeaderRecord(Base):
    """领导: organ (党委, 政府, …), rank (正职/副职), level (市/县/乡镇), post and unit."""

    __tablename__ = "leaders"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    organ: Mapped[str] = mapped_column(String(16))
    rank: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    post: Mapped[str] = mapped_column(String(128))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    phone: Mapped[str | None] = mapped_column(String(32))


class CategoryRecord(Base):
    """内容分类: a hierarchical content classification (codes like 03, 0301, 030102)."""

    __tablename__ = "categories"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("categories.code"))


class PetitionerRecord(Base):
    """信访人."""

    __tablename__ = "petitioners"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    id_type: Mapped[str] = mapped_column(String(16))
    id_number: Mapped[str | None] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_petitioners_id_number", "id_number"),
        Index("ix_petitioners_name_phone", "name", "phone"),
    )


class CaseRecord(Base):
    """信访事项: one ledger row with its lifecycle state and flags.

    `search_people`, `search_address` and `search_bigrams` are denormalised search text kept by the
    repository (names, ID and phone numbers of all petitioners; CJK bigrams for 1–2 character queries).
    """

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[date] = mapped_column(Date)
    registered_at: Mapped[datetime] = mapped_column(DateTime)
    channel: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(16))
    category_code: Mapped[str | None] = mapped_column(ForeignKey("categories.code"))
    locality_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32))
    responsible_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    headcount: Mapped[int] = mapped_column(Integer)
    is_collective: Mapped[bool] = mapped_column(Boolean)
    is_repeat: Mapped[bool] = mapped_column(Boolean)
    is_level_skipping: Mapped[bool] = mapped_column(Boolean)
    is_first_submission: Mapped[bool] = mapped_column(Boolean)
    is_backlog: Mapped[bool] = mapped_column(Boolean)
    is_accusation: Mapped[bool] = mapped_column(Boolean)
    batches: Mapped[int] = mapped_column(Integer)
    person_visits: Mapped[int] = mapped_column(Integer)
    last_received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    registrar_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Projections of the lifecycle (recomputed from the events after every action; they feed the work queues).
    awaiting: Mapped[str | None] = mapped_column(String(16))
    # Who works on the case while it is open (None once it is final). No foreign key: adding one would make
    # SQLite copy the whole table on upgrade; users are never deleted.
    handler_id: Mapped[int | None] = mapped_column(Integer)
    # The day the case met the warning trigger (R-WS-01) on its recorded submissions, None if it has not: kept by
    # persistence/warning_index.py so that listing the candidates for a slip is an index read.
    warning_met_on: Mapped[date | None] = mapped_column(Date)
    # The first day `tick` would change the case (core.lifecycle_tick.next_due), None if time alone never will: kept
    # by every lifecycle write (persistence/lifecycle_store.py) so the daily tick reads only the due cases (issue 19).
    tick_due_on: Mapped[date | None] = mapped_column(Date)
    search_people: Mapped[str] = mapped_column(Text)
    search_address: Mapped[str] = mapped_column(Text)
    search_bigrams: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 — SQLAlchemy reads it as a class attribute
    __table_args__ = (
        CheckConstraint("headcount >= 1", name="headcount_positive"),
        # Ledger sort orders and filters: each (key, id) pair supports keyset pagination.
        Index("ix_cases_received", "received_on", "id"),
        Index("ix_cases_status_received", "status", "received_on", "id"),
        Index("ix_cases_locality_received", "locality_code", "received_on", "id"),
        Index("ix_cases_unit_received", "responsible_unit_id", "received_on", "id"),
        Index("ix_cases_category_received", "category_code", "received_on", "id"),
        Index("ix_cases_channel_received", "channel", "received_on", "id"),
        # Partial indexes: only the rows a queue can list (most cases are closed, with no due date or handler).
        Index(
            "ix_cases_due",
            "due_on",
            "id",
            sqlite_where=text("due_on IS NOT NULL"),
            postgresql_where=text("due_on IS NOT NULL"),
        ),
        Index("ix_cases_last_received", "last_received_on", "id"),
        Index("ix_cases_year", "year", "id"),
        Index(
            "ix_cases_awaiting",
            "awaiting",
            "received_on",
            "id",
            sqlite_where=text("awaiting IS NOT NULL"),
            postgresql_where=text("awaiting IS NOT NULL"),
        ),
        # The flags the ledger filters on: a few percent of the cases each. The filter must say `flag = 1` (not
        # `IS 1`) for SQLite to use these (issue 19: a count went from a 2 s scan to a covering-index walk).
        Index(
            "ix_cases_collective",
            "received_on",
            "id",
            sqlite_where=text("is_collective = 1"),
            postgresql_where=text("is_collective"),
        ),
        Index(
            "ix_cases_repeat",
            "received_on",
            "id",
            sqlite_where=text("is_repeat = 1"),
            postgresql_where=text("is_repeat"),
        ),
        Index(
            "ix_cases_level_skipping",
            "received_on",
            "id",
            sqlite_where=text("is_level_skipping = 1"),
            postgresql_where=text("is_level_skipping"),
        ),
        Index(
            "ix_cases_backlog_received",
            "received_on",
            "id",
            sqlite_where=text("is_backlog = 1"),
            postgresql_where=text("is_backlog"),
        ),
        Index(
            "ix_cases_backlog",
            "responsible_unit_id",
            "locality_code",
            sqlite_where=text("is_backlog = 1"),
            postgresql_where=text("is_backlog"),
        ),
        Index(
            "ix_cases_tick_due",
            "tick_due_on",
            "id",
            sqlite_where=text("tick_due_on IS NOT NULL"),
            postgresql_where=text("tick_due_on IS NOT NULL"),
        ),
        Index(
            "ix_cases_warning_met_on",
            "warning_met_on",
            "id",
            sqlite_where=text("warning_met_on IS NOT NULL"),
            postgresql_where=text("warning_met_on IS NOT NULL"),
        ),
        Index(
            "ix_cases_warning_received",
            "received_on",
            "id",
            sqlite_where=text("warning_met_on IS NOT NULL"),
            postgresql_where=text("warning_met_on IS NOT NULL"),
        ),
        Index(
            "ix_cases_handler",
            "handler_id",
            "status",
            "due_on",
            "id",
            sqlite_where=text("handler_id IS NOT NULL"),
            postgresql_where=text("handler_id IS NOT NULL"),
        ),
    )


class CasePetitionerRecord(Base):
    """Link of a case to its petitioners with their role (principal, representative, member)."""

    __tablename__ = "case_petitioners"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    petitioner_id: Mapped[int] = mapped_column(ForeignKey("petitioners.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)


class AccusedUnitRecord(Base):
    """被控告单位 of an accusation case (R-LC-07: never forwarded to or shown to them)."""

    __tablename__ = "case_accused_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))


class SubmissionRecord(Base):
    """信访件: one letter, visit, call or online filing about a case."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    received_on: Mapped[date] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(16))
    destination: Mapped[str | None] = mapped_column(String(16))
    headcount: Mapped[int] = mapped_column(Integer)
    is_abnormal: Mapped[bool] = mapped_column(Boolean)
    is_level_skipping: Mapped[bool] = mapped_column(Boolean)
    level_skipping_reason: Mapped[str | None] = mapped_column(Text)
    registrar_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    # 信访件编号: the national 信访信息系统's number of this submission, kept when it was imported (issue 15)
    external_number: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("case_id", "seq"),
        CheckConstraint("headcount >= 1", name="headcount_positive"),
        Index("ix_submissions_received", "received_on"),
        Index("ix_submissions_external_number", "external_number"),
        # The visits to the province or to Beijing that R-BK-02 reads (a few percent of the submissions): the daily
        # tick's 三方会审 pre-filter walks these, not the 1.2M submissions (320 ms → 20 ms). Queries repeat the
        # predicate verbatim (UPPER_VISITS): SQLite uses a partial index only for a WHERE that contains its terms.
        Index(
            "ix_submissions_upper_visits",
            "case_id",
            sqlite_where=text(UPPER_VISITS),
            postgresql_where=text(UPPER_VISITS),
        ),
    )


class CaseEventRecord(Base):
    """Every action on a case: who, when, what, why, and the document it produced — never overwritten (R-LC-04)."""

    __tablename__ = "case_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    occurred_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[str | None] = mapped_column(Text)
    document: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("case_id", "seq"),)


class AuditEntryRecord(Base):
    """审计记录: who touched which record, when and from which workstation (append-only)."""

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    workstation: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    # HMAC of this entry's fields and the previous entry's MAC (persistence/audit_chain.py); None before 0016.
    mac: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_entries_entity", "entity", "entity_id"),
        Index("ix_audit_entries_at", "at"),
        Index("ix_audit_entries_user", "user_id", "at"),
    )


class AuditAnchorRecord(Base):
    """审计锚点: the last entry and MAC of a day, from which verification of the following days starts."""

    __tablename__ = "audit_anchors"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_entry_id: Mapped[int] = mapped_column(Integer)
    mac: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AttachmentRecord(Base):
    """附件: a file stored in the data directory under its SHA-256."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime)


class DerivedIndexRecord(Base):
    """Which derived data (a column computed by a rule) is built, and for which version of the rule's numbers."""

    __tablename__ = "derived_indexes"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(128))
    built_at: Mapped[datetime] = mapped_column(DateTime)


class NumberSequenceRecord(Base):
    """Per-year counters for case and document numbers; a number is never reused."""

    __tablename__ = "number_sequences"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)


class HolidayYearRecord(Base):
    """A year of the working-day calendar imported by the office (overrides the shipped table, R-TM-05)."""

    __tablename__ = "holiday_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    holidays: Mapped[str] = mapped_column(Text)
    makeup_workdays: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime)


class CaseDeadlineRecord(Base):
    """A statutory clock running on a case (R-DL-*): its due date and whether it was met; recomputed on change."""

    __tablename__ = "case_deadlines"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    rule_id: Mapped[str] = mapped_column(String(16))
    start_event: Mapped[str] = mapped_column(String(32))
    start_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    provisional: Mapped[bool] = mapped_column(Boolean)
    explanation: Mapped[str] = mapped_column(Text)
    met_on: Mapped[date | None] = mapped_column(Date)
    # A window (复查/复核 request) binds the petitioner, not the office: it never makes a case overdue.
    is_window: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (
        # Not unique: a rule's clock can run again on the same case (an objection restarts R-DL-01), the earlier
        # instance staying beside the new one.
        Index("ix_case_deadlines_case", "case_id", "rule_id"),
        Index("ix_case_deadlines_open_due", "met_on", "due_on"),
        # Resolution clocks not met, or met late: the candidates of R-CL-05 (积案), bounded by the open caseload.
        Index(
            "ix_case_deadlines_unresolved",
            "case_id",
            "due_on",
            sqlite_where=text(UNRESOLVED_CLOCKS),
            postgresql_where=text(UNRESOLVED_CLOCKS),
        ),
    )


class SupervisionOrderRecord(Base):
    """督办: an order to speed up or correct handling, by hand or automatic, with its own deadline (projection)."""

    __tablename__ = "supervision_orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    trigger: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    reminders: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (
        UniqueConstraint("case_id", "trigger"),
        Index("ix_supervision_orders_open", "closed_on", "due_on"),
    )


class DocumentRecord(Base):
    """文书: one issued version of an official document, stored as a file in the data directory with its SHA-256.

    The number (发文字号) comes from `number_sequences` (kind "doc:<type>", per year, never reused); a reissue is a
    new row with the same number, the next version and `supersedes_id` pointing at the row it replaces — the old
    file stays. A number typed by the clerk (a 交办文号) is stored as typed, with `seq` ≤ 0 (not from the sequence).
    `input_sha256` fingerprints the input: the same input in the other format is the same document (one number),
    its file a `DocumentFileRecord`.
    """

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    event_seq: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    input_sha256: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("number", "version"),
        UniqueConstraint("type_id", "year", "seq", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_documents_type_year", "type_id", "year", "seq"),
        Index("ix_documents_input", "type_id", "input_sha256"),
    )


class DocumentFileRecord(Base):
    """An issued document (number and version) rendered in its other format: the PDF and the DOCX of one document
    carry one number; the first format's file is the document row's own, the other's is here."""

    __tablename__ = "document_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    format: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (UniqueConstraint("document_id", "format"),)
