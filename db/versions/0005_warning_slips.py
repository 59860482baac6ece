"""预警单、书面说明、一事双查、三方会审

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# New tables only, each with plain CREATE INDEX: no batch mode (a batch copy of `cases` would drop its FTS triggers).


def upgrade() -> None:
    op.create_table(
        "warning_slips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("to_unit", sa.String(length=128), nullable=False),
        sa.Column("to_leader", sa.String(length=64), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("receipted_on", sa.Date(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_warning_slips_case_id_cases")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_warning_slips_created_by_users")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_warning_slips_document_id_documents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_slips")),
        sa.UniqueConstraint("number", name=op.f("uq_warning_slips_number")),
    )
    op.create_index(op.f("ix_warning_slips_case_id"), "warning_slips", ["case_id"], unique=False)

    op.create_table(
        "warning_explanations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slip_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("visit_on", sa.Date(), nullable=False),
        sa.Column("visit_level", sa.String(length=16), nullable=False),
        sa.Column("rule_id", sa.String(length=16), nullable=False),
        sa.Column("owed_to", sa.String(length=16), nullable=False),
        sa.Column("owed_to_name", sa.String(length=128), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("accountability_ground", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["slip_id"], ["warning_slips.id"], name=op.f("fk_warning_explanations_slip_id_warning_slips")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name=op.f("fk_warning_explanations_submission_id_submissions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_explanations")),
        sa.UniqueConstraint("slip_id", "submission_id", name=op.f("uq_warning_explanations_slip_id_submission_id")),
    )
    op.create_index("ix_warning_explanations_open_due", "warning_explanations", ["received_on", "due_on"], unique=False)
    op.create_index(op.f("ix_warning_explanations_slip_id"), "warning_explanations", ["slip_id"], unique=False)

    op.create_table(
        "backlog_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("detected_on", sa.Date(), nullable=False),
        sa.Column("missed_rule", sa.String(length=16), nullable=False),
        sa.Column("missed_due_on", sa.Date(), nullable=False),
        sa.Column("repeat_submission_id", sa.Integer(), nullable=True),
        sa.Column("repeat_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=True),
        sa.Column("handed_down_on", sa.Date(), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_backlog_cases_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["repeat_submission_id"],
            ["submissions.id"],
            name=op.f("fk_backlog_cases_repeat_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backlog_cases")),
        sa.UniqueConstraint("case_id", name=op.f("uq_backlog_cases_case_id")),
    )
    op.create_index("ix_backlog_cases_batch", "backlog_cases", ["batch", "resolved_on"], unique=False)

    op.create_table(
        "dual_inquiries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("backlog_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("handling_due_on", sa.Date(), nullable=False),
        sa.Column("first_unit", sa.String(length=128), nullable=True),
        sa.Column("handler", sa.String(length=64), nullable=True),
        sa.Column("handling_findings", sa.Text(), nullable=True),
        sa.Column("handling_done_on", sa.Date(), nullable=True),
        sa.Column("accountability_due_on", sa.Date(), nullable=False),
        sa.Column("accountability_pursued", sa.Boolean(), nullable=True),
        sa.Column("accountability_outcome", sa.Text(), nullable=True),
        sa.Column("accountability_done_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["backlog_id"], ["backlog_cases.id"], name=op.f("fk_dual_inquiries_backlog_id_backlog_cases")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_dual_inquiries_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dual_inquiries")),
        sa.UniqueConstraint("backlog_id", name=op.f("uq_dual_inquiries_backlog_id")),
    )
    op.create_index(op.f("ix_dual_inquiries_case_id"), "dual_inquiries", ["case_id"], unique=False)

    op.create_table(
        "tripartite_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("triggers", sa.String(length=128), nullable=False),
        sa.Column("visit_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("petitioner_met", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("city_copy_sent_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_tripartite_reviews_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name=op.f("fk_tripartite_reviews_submission_id_submissions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tripartite_reviews")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_tripartite_reviews_submission_id")),
    )
    op.create_index(op.f("ix_tripartite_reviews_case_id"), "tripartite_reviews", ["case_id"], unique=False)
    op.create_index("ix_tripartite_reviews_open_due", "tripartite_reviews", ["held_on", "due_on"], unique=False)

    op.create_table(
        "tripartite_review_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_tripartite_review_files_attachment_id_attachments"),
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["tripartite_reviews.id"],
            name=op.f("fk_tripartite_review_files_review_id_tripartite_reviews"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tripartite_review_files")),
        sa.UniqueConstraint(
            "review_id", "attachment_id", name=op.f("uq_tripartite_review_files_review_id_attachment_id")
        ),
    )
    op.create_index(
        op.f("ix_tripartite_review_files_review_id"), "tripartite_review_files", ["review_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_tripartite_review_files_review_id"), table_name="tripartite_review_files")
    op.drop_table("tripartite_review_files")
    op.drop_index("ix_tripartite_reviews_open_due", table_name="tripartite_reviews")
    op.drop_index(op.f("ix_tripartite_reviews_case_id"), table_name="tripartite_reviews")
    op.drop_table("tripartite_reviews")
    op.drop_index(op.f("ix_dual_inquiries_case_id"), table_name="dual_inquiries")
    op.drop_table("dual_inquiries")
    op.drop_index("ix_backlog_cases_batch", table_name="backlog_cases")
    op.drop_table("backlog_cases")
    op.drop_index(op.f("ix_warning_explanations_slip_id"), table_name="warning_explanations")
    op.drop_index("ix_warning_explanations_open_due", table_name="warning_explanations")
    op.drop_table("warning_explanations")
    op.drop_index(op.f("ix_warning_slips_case_id"), table_name="warning_slips")
    op.drop_table("warning_slips")
