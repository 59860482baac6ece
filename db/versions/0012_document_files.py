"""document_files and documents.input_sha256: one document, one number, in both formats

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The PDF and the DOCX of one issued document share its number: the second format's file is a document_files row
# of the same document. `input_sha256` recognises the same input (nullable: rows issued before this are unknown).
# Plain ALTER TABLE ADD COLUMN and CREATE INDEX: no batch copy of `documents` (warning_slips reference it).


def upgrade() -> None:
    op.add_column("documents", sa.Column("input_sha256", sa.String(length=64), nullable=True))
    op.create_index("ix_documents_input", "documents", ["type_id", "input_sha256"], unique=False)
    op.create_table(
        "document_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_document_files_created_by_users")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_document_files_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_files")),
        sa.UniqueConstraint("document_id", "format", name=op.f("uq_document_files_document_id_format")),
    )


def downgrade() -> None:
    op.drop_table("document_files")
    op.drop_index("ix_documents_input", table_name="documents")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("input_sha256")
