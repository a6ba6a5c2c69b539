"""The operator's written notes, following the program's templates.

Rejection note: Module 2 "Rejection Note Template". Escalation note: Module 3.2 "The Expert
Escalation Template", with its urgency levels (Urgent 15 min, High 2 hrs, Standard 4 hrs)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

Text = Annotated[str, Field(max_length=10_000)]
Line = Annotated[str, Field(max_length=500)]


class Urgency(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    STANDARD = "standard"

    @property
    def label(self) -> str:
        return {"urgent": "Urgent: 15 min", "high": "High: 2 hrs", "standard": "Standard: 4 hrs"}[
            self.value
        ]


class RequestedDecision(StrEnum):
    APPROVE = "approve_recommended"
    APPROVE_MODIFIED = "approve_with_modifications"
    DECLINE = "decline_with_guidance"

    @property
    def label(self) -> str:
        return {
            "approve_recommended": "Approve recommended resolution",
            "approve_with_modifications": "Approve with modifications",
            "decline_with_guidance": "Decline with guidance on alternative",
        }[self.value]


class _Note(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    REQUIRED: ClassVar[tuple[str, ...]] = ()

    def missing(self) -> list[str]:
        """Titles of the required fields left blank, in form order."""
        fields = type(self).model_fields
        return [str(fields[n].title) for n in self.REQUIRED if not str(getattr(self, n)).strip()]


class RejectionNote(_Note):
    REQUIRED = ("customer_question", "ai_response", "problem")

    failure: Line = Field(default="", title="AI draft failure")
    customer_question: Text = Field(default="", title="Customer question")
    ai_response: Text = Field(default="", title="AI response")
    problem: Text = Field(default="", title="Problem")
    root_cause: Text = Field(default="", title="Root cause")
    recommendation: Text = Field(default="", title="Recommendation")
    handling: Text = Field(default="", title="Handling")


class EscalationNote(_Note):
    REQUIRED = ("type", "situation_summary", "customer_request", "recommendation")

    type: Line = Field(default="", title="Escalation type")
    urgency: Urgency = Field(default=Urgency.STANDARD, title="Urgency")
    reason_for_urgency: Text = Field(default="", title="Reason for urgency")
    situation_summary: Text = Field(default="", title="Situation summary")
    customer_request: Text = Field(default="", title="Customer request")
    policy_challenge: Text = Field(default="", title="Policy/process challenge")
    root_cause: Text = Field(default="", title="Root cause analysis")
    customer_context: Text = Field(default="", title="Customer context")
    attempted_resolution: Text = Field(default="", title="Attempted resolution")
    recommendation: Text = Field(default="", title="Recommendation")
    rationale: Text = Field(default="", title="Rationale")
    requested_decision: RequestedDecision = Field(
        default=RequestedDecision.APPROVE, title="Requested decision"
    )
    modifications: Text = Field(default="", title="Modifications or alternative guidance")
