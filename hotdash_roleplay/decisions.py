"""The four decisions an operator can take on an AI draft (scenarios, store and UI share them)."""

from __future__ import annotations

from enum import StrEnum


class Decision(StrEnum):
    """Stored by value; shown to people by ``label`` (the approval queue's own wording)."""

    APPROVE = "approve"
    EDIT_APPROVE = "edit_approve"
    REJECT = "reject"
    ESCALATE = "escalate"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS: dict[Decision, str] = {
    Decision.APPROVE: "Approve",
    Decision.EDIT_APPROVE: "Edit & approve",
    Decision.REJECT: "Reject",
    Decision.ESCALATE: "Escalate",
}
