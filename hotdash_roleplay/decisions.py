"""The four decisions an operator can take on an AI draft (scenarios, store and UI share them),
and how an expert decision of one or several of them is worded and matched."""

from __future__ import annotations

from collections.abc import Sequence
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


def expert_wording(decisions: Sequence[Decision], sequence: bool) -> str:
    """The expert decision in words, the same on the console, the projector, PDFs and CSV:
    steps taken one after another read "Reject, then Escalate"; alternatives read "Reject or
    Escalate"."""
    return (", then " if sequence else " or ").join(d.label for d in decisions)


def matches_expert(choice: Decision, decisions: Sequence[Decision], sequence: bool) -> bool:
    """Whether the operator's decision matches the expert's. Of a sequence of steps the operator
    records one decision, the one the sequence ends on (rejecting the draft, then escalating,
    is recorded as the escalation); of alternatives, any one matches."""
    if not decisions:
        return False
    return choice is decisions[-1] if sequence else choice in decisions
