"""Request and response bodies of the room's routes (state, events, cards, decisions, notes).
Requests refuse unknown fields and bound every string, as the checklist's do."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hotdash_roleplay.observer.api_models import CriterionBody, NoteBody
from hotdash_roleplay.services.room_notes import MAX_NOTE_CHARS

NoteText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NOTE_CHARS)
]
CriterionKey = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- requests ---------------------------------------------------------------------------------


class NoteRequest(_Body):
    criterion: CriterionKey  # a checklist criterion key, or "general"
    text: NoteText


# The decision request is the console form's own model: hotdash_roleplay.decisions.DecisionDraft.


# -- responses --------------------------------------------------------------------------------


class StateBody(_Body):
    feedback_open: bool
    round: int | None
    round_count: int
    joined: bool  # the browser holds a valid token for this session
    name: str | None  # whose
    phase: str | None
    phase_title: str | None
    status: str | None  # the round's clock: ready | running | paused | finished
    finished: bool  # the session is over
    seq: int  # bumped on every change a device should see


class ChoiceBody(_Body):
    value: str
    label: str


class FieldBody(_Body):
    key: str
    label: str
    kind: str  # line | text | choice
    required: bool
    max_length: int | None
    options: list[ChoiceBody] = Field(default_factory=list)
    default: str | None = None


class TemplateBody(_Body):
    title: str
    fields: list[FieldBody]


class CorrectionBody(_Body):
    reason: str
    corrected_by: str
    corrected_at: str
    previous: ChoiceBody  # the decision it replaced


class DecisionBody(_Body):
    decision: str
    label: str
    final_reply: str
    rejection: dict[str, str] | None
    escalation: dict[str, str] | None
    seconds: float | None
    time_text: str | None
    source: str  # device | console
    recorded_at: str
    correction: CorrectionBody | None


class NotesBody(_Body):
    notes: list[NoteBody]


class OperatorCard(_Body):
    setup_facts: list[str]
    customer_message: str
    ai_draft: str
    confidence: int | None
    decisions: list[ChoiceBody]
    templates: dict[str, TemplateBody]
    can_decide: bool
    decision: DecisionBody | None


class AiSystemCard(_Body):
    ai_draft: str
    confidence: int | None
    setup_facts: list[str]
    guidance: str


class ObserverCard(_Body):
    operator: str | None
    criteria: list[CriterionBody]
    can_note: bool
    notes: list[NoteBody]
    feedback_open: bool


class AgendaItem(_Body):
    name: str
    met: int
    not_met: int
    disagreement: bool


class DebriefBody(_Body):
    index: int
    count: int
    question: str
    questions: list[str]
    agenda: list[AgendaItem]


class FacilitatorCard(_Body):
    introduction: list[str]
    debrief: DebriefBody | None


class RoomText(_Body):
    title: str
    lines: list[str]


class SittingOutCard(_Body):
    room: RoomText


class RoleNames(_Body):
    role: str
    label: str
    names: list[str]


class ExpertBody(_Body):
    wording: str | None
    rationale: str | None
    approach: str | None


RoleCard = OperatorCard | AiSystemCard | ObserverCard | FacilitatorCard | SittingOutCard


class CardBody(_Body):
    name: str
    round: int
    round_count: int
    scenario_title: str
    phase: str
    phase_title: str
    status: str
    seq: int
    role: str  # operator | ai_system | observer | facilitator | sitting_out
    role_label: str
    roles: list[RoleNames]
    card: RoleCard
    expert: ExpertBody | None
