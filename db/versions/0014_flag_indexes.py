"""Partial indexes: the ledger's flags 集体访, 重复信访, 越级, 积案, and the daily tick's pre-filters (issue 19)

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


# The daily tick's 三方会审 (R-BK-02) and 积案 (R-CL-05) pre-filters read these instead of every submission and
# every clock; the predicates are the ones of records.UPPER_VISITS and records.UNRESOLVED_CLOCKS, frozen here.
_UPPER_VISITS = (
    "channel = 'visit' AND (level IN ('national', 'province') OR destination IN ('to_capital', 'to_province'))"
)
_UNRESOLVED = "rule_id IN ('R-DL-06', 'R-DL-13', 'R-DL-09', 'R-DL-11') AND (met_on IS NULL OR met_on > due_on)"


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
    op.create_index(
        "ix_submissions_upper_visits",
        "submissions",
        ["case_id"],
        unique=False,
        sqlite_where=sa.text(_UPPER_VISITS),
        postgresql_where=sa.text(_UPPER_VISITS),
    )
    op.create_index(
        "ix_case_deadlines_unresolved",
        "case_deadlines",
        ["case_id", "due_on"],
        unique=False,
        sqlite_where=sa.text(_UNRESOLVED),
        postgresql_where=sa.text(_UNRESOLVED),
    )


def downgrade() -> None:
    op.drop_index("ix_case_deadlines_unresolved", table_name="case_deadlines")
    op.drop_index("ix_submissions_upper_visits", table_name="submissions")
    for name, _column in _FLAGS:
        op.drop_index(name, table_name="cases")
