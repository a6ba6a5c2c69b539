"""Plain data the services hand out: never ORM objects, safe to keep in a widget."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.plans import PhaseKey, PlanMode
from hotdash_roleplay.status import RoundStatus, SessionStatus


class View(BaseModel):
    model_config = ConfigDict(frozen=True)


class PersonView(View):
    id: int
    name: str
    sessions: int = 0


class PhasePlan(View):
    key: PhaseKey
    title: str
    seconds: int


class RoundView(View):
    id: int
    index: int  # 0-based
    scenario_id: str
    scenario_title: str
    status: RoundStatus
    played: bool  # its clock was started (``round_played``): DONE alone may be a skipped round
    operator: str | None
    ai_system: str | None  # None: the trainer plays it
    facilitator: str | None  # None: the trainer facilitates
    observers: tuple[str, ...]
    feedback_open: bool
    debrief_question: int
    expert_revealed: bool

    @property
    def number(self) -> int:
        return self.index + 1


class SessionSummary(View):
    id: int
    uid: str
    title: str
    plan_id: str
    plan_title: str
    mode: PlanMode
    status: SessionStatus
    created_at: datetime
    participants: tuple[str, ...]
    round_count: int
    current_round: int  # 0-based index of the round being played (or next to play)


class SessionListStamp(View):
    """What moves when any app adds or changes a session (the list's refresh cue)."""

    count: int
    latest: datetime | None


class SessionDetail(SessionSummary):
    trainer: str
    seed: int
    anonymous_feedback: bool
    join_code: str
    drill: bool
    phases: tuple[PhasePlan, ...]
    rounds: tuple[RoundView, ...]
    departed: tuple[str, ...]  # people who left mid-session

    @property
    def rounds_played(self) -> int:
        return sum(1 for r in self.rounds if r.played)

    @property
    def current(self) -> RoundView | None:
        if 0 <= self.current_round < len(self.rounds):
            return self.rounds[self.current_round]
        return None


class DecisionView(View):
    round_id: int
    operator: str
    decision: Decision
    final_reply: str
    rejection_note: dict[str, Any] | None
    escalation_note: dict[str, Any] | None
    seconds_to_decide: float | None
    matched_expert: bool | None
    assessed_correct: bool | None
    assessment_reason: str
    recorded_at: datetime
    version: int = 1  # bumped by every record: a record based on an older one is refused


class DebriefView(View):
    question_notes: dict[int, str]
    takeaways: tuple[str, ...]
    actions: tuple[str, ...]
