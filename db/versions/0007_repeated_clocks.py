"""期限：同一规则可多次起算（异议退回、责令重新作出后重新计时）

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A clock of a rule can run again on the same case (an objection returns the case and R-DL-01 starts anew; a review
# orders a new opinion and R-DL-06 restarts): the earlier, met instance stays beside the new one, so (case, rule) is
# no longer unique. SQLite drops a constraint by copying the table (batch mode); case_deadlines has no triggers.


def upgrade() -> None:
    with op.batch_alter_table("case_deadlines", schema=None) as batch_op:
        batch_op.drop_constraint("uq_case_deadlines_case_id_rule_id", type_="unique")
        batch_op.create_index("ix_case_deadlines_case", ["case_id", "rule_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_deadlines", schema=None) as batch_op:
        batch_op.drop_index("ix_case_deadlines_case")
        batch_op.create_unique_constraint("uq_case_deadlines_case_id_rule_id", ["case_id", "rule_id"])
