"""领导包案、包片督案、领导接访

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "leader_instructions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("instructed_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_leader_instructions_case_id_cases")),
        sa.ForeignKeyConstraint(["leader_id"], ["leaders.id"], name=op.f("fk_leader_instructions_leader_id_leaders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leader_instructions")),
    )
    op.create_index("ix_leader_instructions_case", "leader_instructions", ["case_id"])
    op.create_index("ix_leader_instructions_leader_date", "leader_instructions", ["leader_id", "instructed_on"])

    op.create_table(
        "oversight_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("row_order", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.Column("leader_text", sa.String(length=128), nullable=True),
        sa.Column("contact_text", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("imported_count", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["leader_id"], ["leaders.id"], name=op.f("fk_oversight_assignments_leader_id_leaders")),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_oversight_assignments_region_code_regions")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_oversight_assignments_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oversight_assignments")),
        sa.UniqueConstraint("year", "row_order", name=op.f("uq_oversight_assignments_year_row_order")),
    )
    op.create_index("ix_oversight_assignments_leader", "oversight_assignments", ["leader_id", "year"])

    op.create_table(
        "reception_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=128), nullable=True),
        sa.Column("is_duty", sa.Boolean(), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("petitioners_received", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("petitioners_received >= 0", name=op.f("ck_reception_days_received_not_negative")),
        sa.ForeignKeyConstraint(["leader_id"], ["leaders.id"], name=op.f("fk_reception_days_leader_id_leaders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_days")),
        sa.UniqueConstraint("leader_id", "on_date", name=op.f("uq_reception_days_leader_id_on_date")),
    )
    op.create_index("ix_reception_days_date", "reception_days", ["on_date", "leader_id"])

    op.create_table(
        "case_packages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("lead_unit_id", sa.Integer(), nullable=True),
        sa.Column("reception_day_id", sa.Integer(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("target_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.CheckConstraint("target_on >= started_on", name=op.f("ck_case_packages_target_after_start")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_case_packages_created_by_users")),
        sa.ForeignKeyConstraint(["lead_unit_id"], ["units.id"], name=op.f("fk_case_packages_lead_unit_id_units")),
        sa.ForeignKeyConstraint(["leader_id"], ["leaders.id"], name=op.f("fk_case_packages_leader_id_leaders")),
        sa.ForeignKeyConstraint(
            ["reception_day_id"],
            ["reception_days.id"],
            name=op.f("fk_case_packages_reception_day_id_reception_days"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_packages")),
    )
    op.create_index("ix_case_packages_leader_status", "case_packages", ["leader_id", "status", "target_on"])
    op.create_index("ix_case_packages_reception_day", "case_packages", ["reception_day_id"])
    op.create_index("ix_case_packages_status_target", "case_packages", ["status", "target_on", "id"])

    op.create_table(
        "reception_cases",
        sa.Column("reception_day_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_reception_cases_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["reception_day_id"],
            ["reception_days.id"],
            name=op.f("fk_reception_cases_reception_day_id_reception_days"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("reception_day_id", "case_id", name=op.f("pk_reception_cases")),
    )
    op.create_index(op.f("ix_reception_cases_case_id"), "reception_cases", ["case_id"])

    op.create_table(
        "package_cases",
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_package_cases_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["case_packages.id"],
            name=op.f("fk_package_cases_package_id_case_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("package_id", "case_id", name=op.f("pk_package_cases")),
    )
    op.create_index(op.f("ix_package_cases_case_id"), "package_cases", ["case_id"])

    op.create_table(
        "package_duties",
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("duty", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("updated_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["case_packages.id"],
            name=op.f("fk_package_duties_package_id_case_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("package_id", "duty", name=op.f("pk_package_duties")),
    )

    op.create_table(
        "package_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=128), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["case_packages.id"],
            name=op.f("fk_package_meetings_package_id_case_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_meetings")),
    )
    op.create_index("ix_package_meetings_package", "package_meetings", ["package_id", "held_on"])

    op.create_table(
        "package_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("post", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["case_packages.id"],
            name=op.f("fk_package_members_package_id_case_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_members")),
    )
    op.create_index(op.f("ix_package_members_package_id"), "package_members", ["package_id"])

    op.create_table(
        "package_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["case_packages.id"],
            name=op.f("fk_package_milestones_package_id_case_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_milestones")),
        sa.UniqueConstraint("package_id", "seq", name=op.f("uq_package_milestones_package_id_seq")),
    )


def downgrade() -> None:
    op.drop_table("package_milestones")
    op.drop_index(op.f("ix_package_members_package_id"), table_name="package_members")
    op.drop_table("package_members")
    op.drop_index("ix_package_meetings_package", table_name="package_meetings")
    op.drop_table("package_meetings")
    op.drop_table("package_duties")
    op.drop_index(op.f("ix_package_cases_case_id"), table_name="package_cases")
    op.drop_table("package_cases")
    op.drop_index(op.f("ix_reception_cases_case_id"), table_name="reception_cases")
    op.drop_table("reception_cases")
    op.drop_index("ix_case_packages_status_target", table_name="case_packages")
    op.drop_index("ix_case_packages_reception_day", table_name="case_packages")
    op.drop_index("ix_case_packages_leader_status", table_name="case_packages")
    op.drop_table("case_packages")
    op.drop_index("ix_reception_days_date", table_name="reception_days")
    op.drop_table("reception_days")
    op.drop_index("ix_oversight_assignments_leader", table_name="oversight_assignments")
    op.drop_table("oversight_assignments")
    op.drop_index("ix_leader_instructions_leader_date", table_name="leader_instructions")
    op.drop_index("ix_leader_instructions_case", table_name="leader_instructions")
    op.drop_table("leader_instructions")
