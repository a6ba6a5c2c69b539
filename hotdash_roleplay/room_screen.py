"""What the room sees in each phase of a round: the projector's words, and the same words on the
device of someone sitting the round out (docs/room-api.md, "the sitting-out card"). Only what
the room may see: never observers' feedback, and the expert decision only once revealed."""

from __future__ import annotations

from dataclasses import dataclass

from hotdash_roleplay.names import names_in_line
from hotdash_roleplay.plans import PhaseKey
from hotdash_roleplay.rotation import TRAINER
from hotdash_roleplay.scenarios import Scenario
from hotdash_roleplay.services.views import RoundView

FEEDBACK_LINE = "Observers fill in their checklists."
NO_EXPERT = "The program gives no expert decision for this scenario."


@dataclass(frozen=True)
class RoomScreen:
    """A phase as the room sees it: a title, the main lines, and the lines under them."""

    title: str
    body: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()

    @property
    def lines(self) -> list[str]:
        return [*self.body, *self.extra]


def role_names(rnd: RoundView) -> list[tuple[str, str]]:
    """(role, who) for a round; an empty seat is taken by the trainer."""
    return [
        ("Operator", rnd.operator or TRAINER),
        ("AI System", rnd.ai_system or TRAINER),
        ("Facilitator", rnd.facilitator or TRAINER),
        ("Observers", names_in_line(rnd.observers) or "—"),
    ]


def confidence_text(confidence: int | None) -> str:
    return f"{confidence}%" if confidence is not None else "not stated"


def debrief_question(rnd: RoundView, scenario: Scenario) -> tuple[int, list[str]]:
    """The index of the question the room is on (within the scenario's), and the questions."""
    questions = list(scenario.debrief_questions)
    return max(0, min(rnd.debrief_question, len(questions) - 1)), questions


def room_screen(rnd: RoundView, scenario: Scenario, phase: str) -> RoomScreen:
    """The round's running phase (a PhaseKey value) as the room sees it."""
    if phase == PhaseKey.BRIEF:
        roles = tuple(f"{role}: {who}" for role, who in role_names(rnd))
        return RoomScreen(scenario.title, tuple(f"• {item}" for item in scenario.setup), roles)
    if phase == PhaseKey.ROLEPLAY:
        draft = scenario.ai_draft
        return RoomScreen(
            "The customer writes",
            (f"“{scenario.customer_message}”",),
            (f"AI draft (confidence {confidence_text(draft.confidence)}):", draft.text),
        )
    if phase == PhaseKey.DECISION:
        operator = rnd.operator or "The trainer"
        return RoomScreen(
            "Decision", (f"{operator} decides: approve, edit & approve, reject or escalate?",)
        )
    if phase == PhaseKey.FEEDBACK:
        return RoomScreen("Observer feedback", (FEEDBACK_LINE,))
    index, questions = debrief_question(rnd, scenario)
    asked = (f"Question {index + 1} of {len(questions)}", questions[index]) if questions else ()
    if not rnd.expert_revealed:
        return RoomScreen("Debrief", asked)
    # The expert decision is the debrief's last word: only once the trainer revealed it.
    expert = scenario.expert
    if expert is None:
        return RoomScreen("Debrief", asked, (NO_EXPERT,))
    return RoomScreen(
        f"Expert decision: {expert.wording}",
        (f"Approach: {expert.approach}",),
        (f"Why: {expert.rationale}",),
    )
