"""What each role may see of the round being played: one card per role, built from the live
round, its clock and the scenario as played. Pure: the routes fetch, this decides.

The rules: the expert decision reaches no card before the trainer reveals it; the AI's guidance
only the AI System's; the decision form only the operator's; observers see their own notes;
someone without a role this round sees what the projector shows, no more."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

from annotated_types import MaxLen
from pydantic import BaseModel

from hotdash_roleplay.checklist import Aggregate, Checklist
from hotdash_roleplay.clock import ClockView, Status, format_duration
from hotdash_roleplay.decisions import MAX_REPLY, Decision
from hotdash_roleplay.notes import EscalationNote, RejectionNote
from hotdash_roleplay.observer.api_models import CriterionBody, NoteBody
from hotdash_roleplay.observer.room_models import (
    AgendaItem,
    AiSystemCard,
    CardBody,
    ChoiceBody,
    CorrectionBody,
    DebriefBody,
    DecisionBody,
    ExpertBody,
    FacilitatorCard,
    FieldBody,
    ObserverCard,
    OperatorCard,
    RoleCard,
    RoleNames,
    RoomText,
    SittingOutCard,
    TemplateBody,
)
from hotdash_roleplay.plans import PhaseKey
from hotdash_roleplay.room_screen import debrief_question, room_screen
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.scenarios import Scenario
from hotdash_roleplay.services.live import DECISION_PHASES
from hotdash_roleplay.services.room_notes import NoteView
from hotdash_roleplay.services.views import DecisionView, RoundView

SITTING_OUT = "sitting_out"
SITTING_OUT_LABEL = "Not playing this round"
LINE_CHARS = 500  # a template field this short is one line on the form

AI_GUIDANCE = (
    "You are the AI System (Module 4.1: you provide the draft response). Present the draft "
    "exactly as written, with its confidence. When the operator asks, answer as the AI would: "
    "only from the setup facts and the customer's message, without the judgement a person would "
    "add. Never decide for the operator and never hint at what the expert would do."
)


def in_play(view: ClockView) -> bool:
    """The Role-play or Decision phase of a round that is not over: when the operator decides
    and observers take notes."""
    return view.phase_key in DECISION_PHASES and view.status is not Status.FINISHED


def role_of(name: str, rnd: RoundView) -> Role | None:
    if name == rnd.operator:
        return Role.OPERATOR
    if name == rnd.ai_system:
        return Role.AI_SYSTEM
    if name == rnd.facilitator:
        return Role.FACILITATOR
    if name in rnd.observers:
        return Role.OBSERVER
    return None


@dataclass(frozen=True)
class CardFacts:
    """Everything a card may be built from; the routes fetch only what the role needs."""

    name: str
    rnd: RoundView
    round_count: int
    clock: ClockView
    seq: int
    scenario: Scenario
    checklist: Checklist
    decision: DecisionView | None = None  # the operator's card
    notes: tuple[NoteView, ...] = ()  # the observer's card: their own
    summary: Aggregate | None = None  # the facilitator's card, in the debrief


def card(facts: CardFacts) -> CardBody:
    rnd, clock = facts.rnd, facts.clock
    role = role_of(facts.name, rnd)
    builders: dict[Role, Callable[[CardFacts], RoleCard]] = {
        Role.OPERATOR: _operator,
        Role.AI_SYSTEM: _ai_system,
        Role.OBSERVER: _observer,
        Role.FACILITATOR: _facilitator,
    }
    body = builders[role](facts) if role is not None else SittingOutCard(room=room_text(facts))
    return CardBody(
        name=facts.name,
        round=rnd.number,
        round_count=facts.round_count,
        scenario_title=facts.scenario.title,
        phase=clock.phase_key,
        phase_title=clock.phase_title,
        status=clock.status.value,
        seq=facts.seq,
        role=role.value if role else SITTING_OUT,
        role_label=role.label if role else SITTING_OUT_LABEL,
        roles=_roles(rnd),
        card=body,
        expert=_expert(facts.scenario) if rnd.expert_revealed else None,
    )


def decision_body(view: DecisionView) -> DecisionBody:
    correction = view.correction
    return DecisionBody(
        decision=view.decision.value,
        label=view.decision.label,
        final_reply=view.final_reply,
        rejection=_texts(view.rejection_note),
        escalation=_texts(view.escalation_note),
        seconds=view.seconds_to_decide,
        time_text=(
            format_duration(view.seconds_to_decide) if view.seconds_to_decide is not None else None
        ),
        source=view.source.value,
        recorded_at=view.recorded_at.isoformat(),
        correction=None
        if correction is None
        else CorrectionBody(
            reason=correction.reason,
            corrected_by=correction.corrected_by,
            corrected_at=correction.corrected_at.isoformat(),
            previous=ChoiceBody(
                value=correction.previous_decision.value,
                label=correction.previous_decision.label,
            ),
        ),
    )


def note_body(note: NoteView) -> NoteBody:
    return NoteBody(
        id=note.id,
        criterion=note.criterion,
        criterion_name=note.criterion_name,
        text=note.text,
        at_seconds=note.at_seconds,
        stamp=note.stamp,
        created_at=note.created_at.isoformat(),
    )


@cache
def templates() -> dict[str, TemplateBody]:
    """The console form's fields for each decision that needs any, from the same models."""
    reply = FieldBody(
        key="final_reply",
        label="Edited reply",
        kind="text",
        required=True,
        max_length=MAX_REPLY,
    )
    return {
        Decision.EDIT_APPROVE.value: TemplateBody(title="Edited reply", fields=[reply]),
        Decision.REJECT.value: TemplateBody(
            title="Rejection note", fields=_fields(RejectionNote, RejectionNote.REQUIRED)
        ),
        Decision.ESCALATE.value: TemplateBody(
            title="Escalation note", fields=_fields(EscalationNote, EscalationNote.REQUIRED)
        ),
    }


def room_text(facts: CardFacts) -> RoomText:
    """What the projector shows now (for someone without a role this round)."""
    rnd, clock = facts.rnd, facts.clock
    if clock.status is Status.FINISHED:
        return RoomText(title=f"Round {rnd.number} complete", lines=[])
    screen = room_screen(rnd, facts.scenario, clock.phase_key)
    return RoomText(title=screen.title, lines=screen.lines)


# -- the role cards -----------------------------------------------------------------------------


def _operator(facts: CardFacts) -> OperatorCard:
    scenario = facts.scenario
    return OperatorCard(
        setup_facts=list(scenario.setup),
        customer_message=scenario.customer_message,
        ai_draft=scenario.ai_draft.text,
        confidence=scenario.ai_draft.confidence,
        decisions=[ChoiceBody(value=d.value, label=d.label) for d in Decision],
        templates=templates(),
        can_decide=in_play(facts.clock) and facts.decision is None,
        decision=decision_body(facts.decision) if facts.decision else None,
    )


def _ai_system(facts: CardFacts) -> AiSystemCard:
    scenario = facts.scenario
    confidence = scenario.ai_draft.confidence
    stated = (
        f"Its confidence is {confidence}%."
        if confidence is not None
        else "The program states no confidence for this draft: say so if asked."
    )
    return AiSystemCard(
        ai_draft=scenario.ai_draft.text,
        confidence=confidence,
        setup_facts=list(scenario.setup),
        guidance=f"{AI_GUIDANCE} {stated}",
    )


def _observer(facts: CardFacts) -> ObserverCard:
    return ObserverCard(
        operator=facts.rnd.operator,
        criteria=[
            CriterionBody(key=c.key, name=c.name, question=c.question)
            for c in facts.checklist.criteria
        ],
        can_note=in_play(facts.clock),
        notes=[note_body(n) for n in facts.notes],
        feedback_open=facts.rnd.feedback_open,
    )


def _facilitator(facts: CardFacts) -> FacilitatorCard:
    debrief = None
    if facts.clock.phase_key == PhaseKey.DEBRIEF and facts.clock.status is not Status.FINISHED:
        index, questions = debrief_question(facts.rnd, facts.scenario)
        agenda = facts.summary.agenda if facts.summary else ()
        debrief = DebriefBody(
            index=index,
            count=len(questions),
            question=questions[index] if questions else "",
            questions=questions,
            agenda=[
                AgendaItem(name=t.name, met=t.met, not_met=t.not_met, disagreement=t.disagreement)
                for t in agenda
            ],
        )
    return FacilitatorCard(introduction=list(facts.scenario.setup), debrief=debrief)


# -- helpers ----------------------------------------------------------------------------------


def _roles(rnd: RoundView) -> list[RoleNames]:
    names: dict[Role, list[str]] = {
        Role.OPERATOR: [rnd.operator] if rnd.operator else [],
        Role.AI_SYSTEM: [rnd.ai_system] if rnd.ai_system else [],
        Role.FACILITATOR: [rnd.facilitator] if rnd.facilitator else [],
        Role.OBSERVER: list(rnd.observers),
    }
    return [RoleNames(role=r.value, label=r.label, names=n) for r, n in names.items()]


def _expert(scenario: Scenario) -> ExpertBody:
    expert = scenario.expert
    if expert is None:
        return ExpertBody(wording=None, rationale=None, approach=None)
    return ExpertBody(wording=expert.wording, rationale=expert.rationale, approach=expert.approach)


def _texts(note: dict[str, Any] | None) -> dict[str, str] | None:
    return None if note is None else {k: str(v) for k, v in note.items()}


def _fields(model: type[BaseModel], required: tuple[str, ...]) -> list[FieldBody]:
    fields = []
    for key, info in model.model_fields.items():
        kind_type = info.annotation
        limit = next((m.max_length for m in info.metadata if isinstance(m, MaxLen)), None)
        if isinstance(kind_type, type) and issubclass(kind_type, Enum):
            members: list[Any] = list(kind_type)
            fields.append(
                FieldBody(
                    key=key,
                    label=str(info.title),
                    kind="choice",
                    required=True,
                    max_length=None,
                    options=[ChoiceBody(value=m.value, label=m.label) for m in members],
                    default=info.default.value if isinstance(info.default, Enum) else None,
                )
            )
            continue
        fields.append(
            FieldBody(
                key=key,
                label=str(info.title),
                kind="line" if limit is not None and limit <= LINE_CHARS else "text",
                required=key in required,
                max_length=limit,
            )
        )
    return fields
