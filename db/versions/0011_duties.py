"""职责落实记录

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Periodic duties of bodies and leaders (meetings hearing petition work, inspections, screenings, contact-unit visits),
# each with its date, participants and minutes, for compliance per period.


def upgrade() -> None:
    op.create_table(
        "duty_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("body", sa.String(length=128), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("participants", sa.Text(), nullable=True),
        sa.Column("topic", sa.Text(), nullable=True),
        sa.Column("minutes_attachment_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_duty_records_created_by_users")),
        sa.ForeignKeyConstraint(["leader_id"], ["leaders.id"], name=op.f("fk_duty_records_leader_id_leaders")),
        sa.ForeignKeyConstraint(
            ["minutes_attachment_id"],
            ["attachments.id"],
            name=op.f("fk_duty_records_minutes_attachment_id_attachments"),
        ),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"], name=op.f("fk_duty_records_region_code_regions")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_duty_records_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_records")),
    )
    with op.batch_alter_table("duty_records", schema=None) as batch_op:
        batch_op.create_index("ix_duty_records_kind", ["kind", "held_on"], unique=False)


def downgrade() -> None:
    op.drop_table("duty_records")
