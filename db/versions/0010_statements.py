"""信访工作责任书及其目标

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Annual responsibility statements (R-RS-01/02): one per year and party (a township or unit, or the county itself), with
# targets prefilled from the ledger and the year-end evaluation.


def upgrade() -> None:
    op.create_table(
        "responsibility_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("party_key", sa.String(length=40), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("first_party", sa.String(length=128), nullable=False),
        sa.Column("second_party", sa.String(length=128), nullable=False),
        sa.Column("first_signatory", sa.String(length=64), nullable=True),
        sa.Column("second_signatory", sa.String(length=64), nullable=True),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("consequences", sa.Text(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("evaluation", sa.Text(), nullable=True),
        sa.Column("evaluation_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_responsibility_statements_document_id_documents")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_responsibility_statements_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responsibility_statements")),
        sa.UniqueConstraint("year", "party_key", name=op.f("uq_responsibility_statements_year_party_key")),
    )
    with op.batch_alter_table("responsibility_statements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_responsibility_statements_unit_id"), ["unit_id"], unique=False)
    op.create_table(
        "statement_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.Column("target_text", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["responsibility_statements.id"],
            name=op.f("fk_statement_targets_statement_id_responsibility_statements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_targets")),
        sa.UniqueConstraint("statement_id", "code", name=op.f("uq_statement_targets_statement_id_code")),
    )
    with op.batch_alter_table("statement_targets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_targets_statement_id"), ["statement_id"], unique=False)


def downgrade() -> None:
    op.drop_table("statement_targets")
    op.drop_table("responsibility_statements")
