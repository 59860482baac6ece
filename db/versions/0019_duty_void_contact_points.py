"""职责落实: duty records voided instead of deleted, and leaders' contact points (issue 13)

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Three nullable columns on duty_records (existing rows stay valid: not voided) and one new table. Nothing rewritten.


def upgrade() -> None:
    with op.batch_alter_table("duty_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voided_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("voided_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_duty_records_voided_by_users"), "users", ["voided_by"], ["id"])
    op.create_table(
        "leader_contact_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(unit_id IS NULL) <> (region_code IS NULL)", name=op.f("ck_leader_contact_points_one_place")
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_leader_contact_points_created_by_users")),
        sa.ForeignKeyConstraint(["leader_id"], ["leaders.id"], name=op.f("fk_leader_contact_points_leader_id_leaders")),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_leader_contact_points_region_code_regions")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_leader_contact_points_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leader_contact_points")),
    )
    with op.batch_alter_table("leader_contact_points", schema=None) as batch_op:
        batch_op.create_index("ix_leader_contact_points_leader", ["leader_id", "year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("leader_contact_points", schema=None) as batch_op:
        batch_op.drop_index("ix_leader_contact_points_leader")
    op.drop_table("leader_contact_points")
    with op.batch_alter_table("duty_records", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_duty_records_voided_by_users"), type_="foreignkey")
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_by")
        batch_op.drop_column("voided_at")
