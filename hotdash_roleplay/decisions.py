"""The four decisions an operator can take on an AI draft (scenarios, store and UI share them),
and how an expert decision of one or several of them is worded and matched."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_REPLY = 20_000


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


NoteText = Annotated[str, Field(max_length=10_000)]
NoteFields = dict[Annotated[str, Field(max_length=40)], NoteText]


class DecisionDraft(BaseModel):
    """The decision form as typed, not recorded yet: any state, however incomplete."""

    model_config = ConfigDict(extra="forbid")

    decision: Decision | None = None
    final_reply: str = Field(default="", max_length=MAX_REPLY)
    rejection: NoteFields = Field(default_factory=dict, max_length=20)
    escalation: NoteFields = Field(default_factory=dict, max_length=20)

    def summary(self) -> str:
        """What was typed for the chosen decision, in one line, each field by its form title."""
        from hotdash_roleplay.notes import EscalationNote, RejectionNote

        chosen: dict[Decision, tuple[dict[str, str], type[BaseModel] | None]] = {
            Decision.EDIT_APPROVE: ({"final_reply": self.final_reply}, None),
            Decision.REJECT: (self.rejection, RejectionNote),
            Decision.ESCALATE: (self.escalation, EscalationNote),
        }
        fields, note = chosen.get(self.decision, ({}, None)) if self.decision else ({}, None)
        titles = {k: f.title or k for k, f in note.model_fields.items()} if note else {}
        titles["final_reply"] = "Edited reply"
        return "; ".join(
            f"{titles.get(k, k)}: {' '.join(v.split())}" for k, v in fields.items() if v.strip()
        )


def parse_draft(raw: Any) -> DecisionDraft | None:
    """A stored draft, or None when there is none or it is from an older form (dropped)."""
    if raw is None:
        return None
    try:
        return DecisionDraft.model_validate(raw)
    except ValidationError:
        return None


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
