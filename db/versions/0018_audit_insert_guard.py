"""The audit log's INSERT guard: a row without a MAC or out of sequence aborts (issue 17)

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

from alembic import op

from xinfang_desktop.persistence.append_only import create_insert_guard, drop_insert_guard

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# UPDATE and DELETE on case_events and audit_entries already abort (0001). An INSERT into audit_entries now must carry
# the next id and a 64-digit MAC, as the program's chained append does (persistence/audit_chain.py); a forgery that
# is well formed is left to the chain check. Nothing existing is rewritten. `audit verify` and `db check` report the
# guard missing or changed from this revision on (append_only.INSERT_GUARD_REVISION).


def upgrade() -> None:
    create_insert_guard(op.get_bind())


def downgrade() -> None:
    drop_insert_guard(op.get_bind())
