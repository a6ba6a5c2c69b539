"""The whole room on its own devices: observers' notes stamped with the role-play clock, where
a decision was recorded (the operator's device or the console), and the trainer's corrections
of a decision with their reason and the value they replaced.

Revision ID: 0009
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None

# Written out, not read from the enum: a migration keeps meaning what it meant when written.
SOURCES = ("console", "device")


def upgrade() -> None:
    # Batch rebuild of a parent table: safe because migrate.py turns foreign keys off.
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(
            sa.Column("source", sa.String(length=20), nullable=False, server_default="console")
        )
        quoted = ", ".join(f"'{s}'" for s in SOURCES)
        batch.create_check_constraint(op.f("ck_decisions_source"), f"source IN ({quoted})")
    op.create_table(
        "decision_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("corrected_by", sa.String(length=120), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_decision_corrections_decision_id_decisions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_corrections")),
    )
    op.create_index(
        op.f("ix_decision_corrections_decision_id"), "decision_corrections", ["decision_id"]
    )
    op.create_table(
        "observer_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("observer_id", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at_seconds", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["observer_id"], ["people.id"], name=op.f("fk_observer_notes_observer_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_observer_notes_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observer_notes")),
    )
    op.create_index(op.f("ix_observer_notes_observer_id"), "observer_notes", ["observer_id"])
    op.create_index(op.f("ix_observer_notes_round_id"), "observer_notes", ["round_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_observer_notes_round_id"), table_name="observer_notes")
    op.drop_index(op.f("ix_observer_notes_observer_id"), table_name="observer_notes")
    op.drop_table("observer_notes")
    op.drop_index(op.f("ix_decision_corrections_decision_id"), table_name="decision_corrections")
    op.drop_table("decision_corrections")
    with op.batch_alter_table("decisions") as batch:
        batch.drop_constraint(op.f("ck_decisions_source"), type_="check")
        batch.drop_column("source")
