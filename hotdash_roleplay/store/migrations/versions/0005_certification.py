"""Expert Operator Certification: module completions, weekly metrics and their change history,
AI improvement reports, mentorships, contributions to training materials and process steps.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _person() -> sa.Column[int]:
    return sa.Column(
        "person_id",
        sa.Integer(),
        sa.ForeignKey("people.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "cert_module_completions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("module", sa.Integer(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=120), nullable=False),
        sa.UniqueConstraint("person_id", "module"),
    )
    op.create_table(
        "cert_weekly_metrics",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("approval_rate", sa.Float(), nullable=False),
        sa.Column("avg_review_seconds", sa.Float(), nullable=False),
        sa.Column("csat", sa.Float(), nullable=False),
        sa.Column("first_contact_resolution", sa.Float(), nullable=False),
        sa.Column("decision_accuracy", sa.Float(), nullable=False),
        sa.Column("escalation_rate", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("person_id", "week_start"),
    )
    op.create_table(
        "cert_metric_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("old", sa.JSON(), nullable=False),
        sa.Column("new", sa.JSON(), nullable=False),
    )
    op.create_index("ix_cert_metric_changes_person_id", "cert_metric_changes", ["person_id"])
    op.create_table(
        "cert_ai_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("reviewer", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_data", sa.LargeBinary(), nullable=True),
    )
    op.create_index("ix_cert_ai_reports_person_id", "cert_ai_reports", ["person_id"])
    op.create_table(
        "cert_mentorships",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("mentee", sa.String(length=120), nullable=False),
        sa.Column("mentee_key", sa.String(length=120), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("graduated_on", sa.Date(), nullable=True),
        sa.UniqueConstraint("person_id", "mentee_key"),
    )
    op.create_table(
        "cert_contributions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("contributed_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_data", sa.LargeBinary(), nullable=True),
    )
    op.create_index("ix_cert_contributions_person_id", "cert_contributions", ["person_id"])
    op.create_table(
        "cert_steps",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("step", sa.String(length=30), nullable=False),
        sa.Column("dated", sa.Date(), nullable=False),
        sa.Column("by_name", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("person_id", "step"),
    )


def downgrade() -> None:
    for table in (
        "cert_steps",
        "cert_contributions",
        "cert_mentorships",
        "cert_ai_reports",
        "cert_metric_changes",
        "cert_weekly_metrics",
        "cert_module_completions",
    ):
        op.drop_table(table)
