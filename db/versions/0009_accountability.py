"""责任追究：追责线索、追责事项、追责情形、责任人及其追责阶梯

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The responsibility system (issue 13): candidates found in the ledger (kept once dismissed or opened), the
# accountability cases with their grounds (citation and text as chosen), linked cases, persons and each person's
# ladder of measures.


def upgrade() -> None:
    op.create_table(
        "accountabilities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("subject_unit", sa.String(length=128), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("organ_measure", sa.String(length=32), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("referred_to", sa.String(length=128), nullable=True),
        sa.Column("referred_on", sa.Date(), nullable=True),
        sa.Column("materials", sa.Text(), nullable=True),
        sa.Column("copy_to", sa.Text(), nullable=True),
        sa.Column("feedback_due", sa.Date(), nullable=True),
        sa.Column("feedback_explanation", sa.Text(), nullable=True),
        sa.Column("urged_on", sa.Date(), nullable=True),
        sa.Column("urge_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("feedback_on", sa.Date(), nullable=True),
        sa.Column("feedback_outcome", sa.Text(), nullable=True),
        sa.Column("feedback_document", sa.String(length=128), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("recommendation_document_id", sa.Integer(), nullable=True),
        sa.Column("report_document_id", sa.Integer(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_accountabilities_created_by_users")),
        sa.ForeignKeyConstraint(
            ["recommendation_document_id"],
            ["documents.id"],
            name=op.f("fk_accountabilities_recommendation_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_accountabilities_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["report_document_id"], ["documents.id"], name=op.f("fk_accountabilities_report_document_id_documents")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_accountabilities_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountabilities")),
        sa.UniqueConstraint("number", name=op.f("uq_accountabilities_number")),
    )
    with op.batch_alter_table("accountabilities", schema=None) as batch_op:
        batch_op.create_index("ix_accountabilities_feedback", ["feedback_on", "feedback_due"], unique=False)
        batch_op.create_index(batch_op.f("ix_accountabilities_unit_id"), ["unit_id"], unique=False)
    op.create_table(
        "accountability_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=128), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("accountability_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["accountability_id"],
            ["accountabilities.id"],
            name=op.f("fk_accountability_candidates_accountability_id_accountabilities"),
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_accountability_candidates_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_candidates")),
        sa.UniqueConstraint("key", name=op.f("uq_accountability_candidates_key")),
    )
    with op.batch_alter_table("accountability_candidates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accountability_candidates_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_accountability_candidates_status", ["status", "found_on", "id"], unique=False)
    op.create_table(
        "accountability_grounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("accountability_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("citation", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["accountability_id"],
            ["accountabilities.id"],
            name=op.f("fk_accountability_grounds_accountability_id_accountabilities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_grounds")),
        sa.UniqueConstraint("accountability_id", "code", name=op.f("uq_accountability_grounds_accountability_id_code")),
    )
    with op.batch_alter_table("accountability_grounds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_accountability_grounds_accountability_id"), ["accountability_id"], unique=False
        )
    op.create_table(
        "accountability_cases",
        sa.Column("accountability_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["accountability_id"],
            ["accountabilities.id"],
            name=op.f("fk_accountability_cases_accountability_id_accountabilities"),
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_accountability_cases_case_id_cases")),
        sa.PrimaryKeyConstraint("accountability_id", "case_id", name=op.f("pk_accountability_cases")),
    )
    with op.batch_alter_table("accountability_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accountability_cases_case_id"), ["case_id"], unique=False)
    op.create_table(
        "accountability_persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("accountability_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("post", sa.String(length=128), nullable=False),
        sa.Column("unit", sa.String(length=128), nullable=False),
        sa.Column("authority", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("responsibility", sa.String(length=24), nullable=False),
        sa.Column("objection", sa.Boolean(), nullable=False),
        sa.Column("exemption", sa.Text(), nullable=True),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.Column("outcome_measure", sa.String(length=32), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("outcome_document", sa.String(length=128), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["accountability_id"],
            ["accountabilities.id"],
            name=op.f("fk_accountability_persons_accountability_id_accountabilities"),
        ),
        sa.ForeignKeyConstraint(
            ["leader_id"], ["leaders.id"], name=op.f("fk_accountability_persons_leader_id_leaders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_persons")),
    )
    with op.batch_alter_table("accountability_persons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_accountability_persons_accountability_id"), ["accountability_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_accountability_persons_leader_id"), ["leader_id"], unique=False)
        batch_op.create_index("ix_accountability_persons_name", ["name", "unit"], unique=False)
    op.create_table(
        "accountability_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=16), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("rectify_by", sa.Date(), nullable=True),
        sa.Column("rectify_explanation", sa.Text(), nullable=True),
        sa.Column("rectified_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["accountability_persons.id"],
            name=op.f("fk_accountability_steps_person_id_accountability_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_steps")),
        sa.UniqueConstraint("person_id", "seq", name=op.f("uq_accountability_steps_person_id_seq")),
    )
    with op.batch_alter_table("accountability_steps", schema=None) as batch_op:
        batch_op.create_index("ix_accountability_steps_measure", ["measure", "decided_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_accountability_steps_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_table("accountability_steps")
    op.drop_table("accountability_persons")
    op.drop_table("accountability_cases")
    op.drop_table("accountability_grounds")
    op.drop_table("accountability_candidates")
    op.drop_table("accountabilities")
