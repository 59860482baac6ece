"""submissions.external_number: the national 信访信息系统 number of a submission (信访件编号, issue 15)

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One nullable column and its index; nothing existing is rewritten. Submissions imported before this revision keep
# their 信访件编号 in the import audit entry only (entity case, action import, detail.external_number).


def upgrade() -> None:
    op.add_column("submissions", sa.Column("external_number", sa.String(length=64), nullable=True))
    op.create_index("ix_submissions_external_number", "submissions", ["external_number"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_submissions_external_number", table_name="submissions")
    op.drop_column("submissions", "external_number")
