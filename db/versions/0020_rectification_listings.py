"""挂牌整治: the listings of townships and units from the quarterly ranking with their task chain (R-AS-02, issue 13)

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One new table; nothing existing is rewritten.


def upgrade() -> None:
    op.create_table(
        "rectification_listings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("group_kind", sa.String(length=16), nullable=False),
        sa.Column("group_key", sa.String(length=32), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("listed_for", sa.Text(), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.Column("explanation_workdays", sa.Integer(), nullable=False),
        sa.Column("explanation_due", sa.Date(), nullable=False),
        sa.Column("explanation_on", sa.Date(), nullable=True),
        sa.Column("explanation_summary", sa.Text(), nullable=True),
        sa.Column("explanation_attachment_id", sa.Integer(), nullable=True),
        sa.Column("interview_on", sa.Date(), nullable=True),
        sa.Column("interview_by", sa.String(length=128), nullable=True),
        sa.Column("interview_leader_id", sa.Integer(), nullable=True),
        sa.Column("interview_persons", sa.Text(), nullable=True),
        sa.Column("interview_notes", sa.Text(), nullable=True),
        sa.Column("lifted_on", sa.Date(), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(unit_id IS NULL) <> (region_code IS NULL)", name=op.f("ck_rectification_listings_one_group")
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_rectification_listings_created_by_users")),
        sa.ForeignKeyConstraint(
            ["explanation_attachment_id"],
            ["attachments.id"],
            name=op.f("fk_rectification_listings_explanation_attachment_id_attachments"),
        ),
        sa.ForeignKeyConstraint(
            ["interview_leader_id"],
            ["leaders.id"],
            name=op.f("fk_rectification_listings_interview_leader_id_leaders"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_rectification_listings_region_code_regions")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_rectification_listings_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_listings")),
        sa.UniqueConstraint(
            "quarter", "group_kind", "group_key", name=op.f("uq_rectification_listings_quarter_group_kind_group_key")
        ),
    )
    with op.batch_alter_table("rectification_listings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rectification_listings_open", ["lifted_on", "explanation_on", "explanation_due"], unique=False
        )


def downgrade() -> None:
    op.drop_table("rectification_listings")
