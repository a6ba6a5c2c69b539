"""Verifiable certificates: each credential as it was issued (signed JSON, digest, issuer),
and its revocation with the reason. The issuer's private key is never stored here: it lives in
the signing machine's data folder (docs/certification.md, "Verifiable certificates").

Revision ID: 0008
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cert_credentials",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("credential_id", sa.String(length=100), nullable=False, unique=True),
        sa.Column("issuer_did", sa.String(length=200), nullable=False),
        sa.Column("awarded_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=80), nullable=False),
        sa.Column("proof_value", sa.String(length=200), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("valid_until > awarded_on", name="valid_after_award"),
    )
    op.create_index(op.f("ix_cert_credentials_proof_value"), "cert_credentials", ["proof_value"])
    op.create_table(
        "cert_revocations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "credential_row_id",
            sa.Integer(),
            sa.ForeignKey("cert_credentials.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("revoked_by", sa.String(length=120), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(reason) > 0", name="reason_given"),
    )


def downgrade() -> None:
    op.drop_table("cert_revocations")
    op.drop_index(op.f("ix_cert_credentials_proof_value"), table_name="cert_credentials")
    op.drop_table("cert_credentials")
