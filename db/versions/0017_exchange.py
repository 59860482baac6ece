"""上报数据包: trusted senders, packages sent and received, the counties' cases and figures kept apart (issue 14)

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# New tables only (persistence/records_exchange.py): nothing existing is rewritten. exchange_sent is the county's
# record of what it sent (its change clock); the other four are the city's side: what it received, from whom, kept
# out of the city's own ledger so its own figures never mix with the counties'.


def upgrade() -> None:
    op.create_table(
        "exchange_senders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office", sa.String(length=128), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("public_key", sa.String(length=130), nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_senders")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_exchange_senders_fingerprint")),
        sa.UniqueConstraint("public_key", name=op.f("uq_exchange_senders_public_key")),
    )
    op.create_table(
        "exchange_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("receiver", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("range_from", sa.Date(), nullable=False),
        sa.Column("range_to", sa.Date(), nullable=False),
        sa.Column("event_watermark", sa.Integer(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_sent")),
        sa.UniqueConstraint("seq", name=op.f("uq_exchange_sent_seq")),
    )
    with op.batch_alter_table("exchange_sent", schema=None) as batch_op:
        batch_op.create_index("ix_exchange_sent_receiver", ["receiver", "seq"], unique=False)
    op.create_table(
        "exchange_received",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.String(length=32), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["exchange_senders.id"], name=op.f("fk_exchange_received_sender_id_exchange_senders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_received")),
        sa.UniqueConstraint("sender_id", "seq", name=op.f("uq_exchange_received_sender_id_seq")),
    )
    op.create_table(
        "exchange_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("package_seq", sa.Integer(), nullable=False),
        sa.Column("caliber", sa.String(length=8), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["exchange_senders.id"], name=op.f("fk_exchange_reports_sender_id_exchange_senders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_reports")),
        sa.UniqueConstraint("sender_id", "period", name=op.f("uq_exchange_reports_sender_id_period")),
    )
    op.create_table(
        "exchange_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("locality_code", sa.String(length=12), nullable=True),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("package_seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["exchange_senders.id"], name=op.f("fk_exchange_cases_sender_id_exchange_senders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_cases")),
        sa.UniqueConstraint("sender_id", "number", name=op.f("uq_exchange_cases_sender_id_number")),
    )
    with op.batch_alter_table("exchange_cases", schema=None) as batch_op:
        batch_op.create_index("ix_exchange_cases_received", ["sender_id", "received_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("exchange_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_exchange_cases_received")
    op.drop_table("exchange_cases")
    op.drop_table("exchange_reports")
    op.drop_table("exchange_received")
    with op.batch_alter_table("exchange_sent", schema=None) as batch_op:
        batch_op.drop_index("ix_exchange_sent_receiver")
    op.drop_table("exchange_sent")
    op.drop_table("exchange_senders")
