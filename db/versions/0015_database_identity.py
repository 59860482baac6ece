"""settings.database_id: the identity of a database, which names its file archive on PostgreSQL (issue 17)

Revision ID: 0015
Revises: 0014
"""

import json
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Data only: a UUID under the settings key `database_id` (persistence/archive.py). Documents and attachments of a
# PostgreSQL database live under <data dir>/archives/<database_id>; a SQLite file's beside it, in <stem>.files/.
# Every database reaching this revision gets one, so no later read has to write it.


def upgrade() -> None:
    conn = op.get_bind()
    found = conn.execute(sa.text("SELECT 1 FROM settings WHERE key = 'database_id'")).first()
    if found is None:
        conn.execute(
            sa.text("INSERT INTO settings (key, value) VALUES ('database_id', :v)"),
            {"v": json.dumps(str(uuid.uuid4()))},
        )


def downgrade() -> None:
    pass  # the identity names the archive: it stays
