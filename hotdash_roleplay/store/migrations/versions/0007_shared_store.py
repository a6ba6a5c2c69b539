"""A store shared by several apps: session leases (one console per session), a change stamp on
sessions (other apps refresh their lists), a version on decisions (conditional records).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A batch rebuild of the parent table: safe because migrate.py turns foreign keys off.
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE sessions SET updated_at = COALESCE(finished_at, created_at)")
    with op.batch_alter_table("sessions") as batch:
        batch.alter_column("updated_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.create_index(op.f("ix_sessions_updated_at"), ["updated_at"])
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "session_leases",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.String(length=32), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("machine", sa.String(length=32), nullable=False),
        sa.Column("user", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_leases_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_session_leases")),
    )


def downgrade() -> None:
    op.drop_table("session_leases")
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_index(op.f("ix_sessions_updated_at"))
        batch.drop_column("updated_at")
