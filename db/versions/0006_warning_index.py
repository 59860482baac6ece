"""预警对象索引：cases.warning_met_on 与派生索引登记表

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The column starts empty: the application fills it (persistence/warning_index.py) the first time it is needed,
# because the rule that computes it lives in core and a migration must not depend on application code.


def upgrade() -> None:
    op.create_table(
        "derived_indexes",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=128), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_derived_indexes")),
    )
    # Plain ALTERs on cases: a batch (copy-and-move) would drop the full-text triggers defined on the table.
    op.add_column("cases", sa.Column("warning_met_on", sa.Date(), nullable=True))
    op.create_index(
        "ix_cases_warning_met_on",
        "cases",
        ["warning_met_on", "id"],
        unique=False,
        sqlite_where=sa.text("warning_met_on IS NOT NULL"),
        postgresql_where=sa.text("warning_met_on IS NOT NULL"),
    )
    # The ledger's 预警对象 filter in its default order (newest received first) walks only the candidates.
    op.create_index(
        "ix_cases_warning_received",
        "cases",
        ["received_on", "id"],
        unique=False,
        sqlite_where=sa.text("warning_met_on IS NOT NULL"),
        postgresql_where=sa.text("warning_met_on IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_warning_received", table_name="cases")
    op.drop_index("ix_cases_warning_met_on", table_name="cases")
    op.drop_column("cases", "warning_met_on")
    op.drop_table("derived_indexes")
