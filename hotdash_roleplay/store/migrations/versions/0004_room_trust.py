"""Trust in the room: a session keeps its observer address and port and its projector state;
checklists carry a version (conditional updates) and who fills them; observer tokens expire.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch rebuilds of parent tables: safe because migrate.py turns foreign keys off.
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("observer_address", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("observer_port", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("projector", sa.JSON(), nullable=True))
    with op.batch_alter_table("checklist_submissions") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(
            sa.Column("filled_in", sa.String(length=20), nullable=False, server_default="console")
        )
    with op.batch_alter_table("observer_tokens") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("observer_tokens") as batch:
        batch.drop_column("expires_at")
    with op.batch_alter_table("checklist_submissions") as batch:
        batch.drop_column("filled_in")
        batch.drop_column("version")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("projector")
        batch.drop_column("observer_port")
        batch.drop_column("observer_address")
