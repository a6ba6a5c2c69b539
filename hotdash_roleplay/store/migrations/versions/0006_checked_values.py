"""Checked values: a CHECK constraint on every column that holds one of a fixed set of values
(statuses, roles, kinds, modes, marks), and name keys wide enough for any casefolded name
(casefold() lengthens "ß" to "ss": a 120-character name's key can outgrow 120 characters).

The values are written out here, not read from the enums: a migration must keep meaning what
it meant when it was written.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# table -> column -> (constraint name, allowed values)
CHECKED: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "sessions": {
        "mode": ("mode", ("practice", "certification", "drill")),
        "status": ("status", ("planned", "live", "finished")),
    },
    "rounds": {"status": ("status", ("pending", "live", "done"))},
    "role_assignments": {"role": ("role", ("operator", "ai_system", "facilitator", "observer"))},
    "phase_events": {
        "kind": ("kind", ("start", "pause", "resume", "adjust", "next", "back", "finish")),
    },
    "decisions": {"decision": ("decision", ("approve", "edit_approve", "reject", "escalate"))},
    "checklist_submissions": {
        "status": ("status", ("draft", "submitted")),
        "filled_in": ("filled_in", ("console", "browser")),
    },
    "criterion_answers": {"mark": ("mark", ("met", "not_met", "not_observed"))},
    "debrief_items": {"kind": ("kind", ("question_note", "takeaway", "action"))},
    "cert_contributions": {"kind": ("kind", ("faq_addition", "scenario", "improvement"))},
    "cert_steps": {
        "step": (
            "step",
            (
                "self_assessment",
                "manager_nomination",
                "certification_review",
                "scenario_assessment",
                "peer_review",
                "awarded",
            ),
        ),
    },
}

# (table, column): a name key holds names.name_key() of a name of up to 120 characters, and
# casefold() turns one character into at most three.
NAME_KEYS = (("people", "name_key"), ("cert_mentorships", "mentee_key"))
NAME_KEY_LENGTH = 480
OLD_NAME_KEY_LENGTH = 120


def _condition(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def upgrade() -> None:
    for table, column in NAME_KEYS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column,
                existing_type=sa.String(length=OLD_NAME_KEY_LENGTH),
                type_=sa.String(length=NAME_KEY_LENGTH),
                existing_nullable=False,
            )
    for table, columns in CHECKED.items():
        with op.batch_alter_table(table) as batch:
            for column, (name, values) in columns.items():
                batch.create_check_constraint(
                    op.f(f"ck_{table}_{name}"), _condition(column, values)
                )


def downgrade() -> None:
    for table, columns in CHECKED.items():
        with op.batch_alter_table(table) as batch:
            for _column, (name, _values) in columns.items():
                batch.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
    for table, column in NAME_KEYS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column,
                existing_type=sa.String(length=NAME_KEY_LENGTH),
                type_=sa.String(length=OLD_NAME_KEY_LENGTH),
                existing_nullable=False,
            )
