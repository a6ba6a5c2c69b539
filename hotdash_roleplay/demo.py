"""A ready demo session, so a newcomer sees the app working at once (`--demo`).

Six people (names in several scripts, as real rosters have), round 1 played with a decision,
three observers' checklists and debrief notes; round 2 under way in its Role-play phase."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.notes import EscalationNote, Urgency

if TYPE_CHECKING:
    from hotdash_roleplay.services import Services

DEMO_PLAN = "module4-practice"
DEMO_PEOPLE = (
    "Zoë Ødegård",
    "Đorđe Petrović",
    "Юлия Смирнова",
    "Ξανθή Παπαδάκη",
    "Marcus Reed",
    "Priya Nair",
)

MET, NOT, UNSEEN = Mark.MET, Mark.NOT_MET, Mark.NOT_OBSERVED
_FEEDBACK = (
    (
        (MET, MET, MET, MET, NOT, MET, MET, MET),
        [
            "Acknowledged the 13-month age of the headphones before anything else.",
            "Asked for photos of the defect instead of assuming.",
        ],
        ["Escalate for a goodwill exception sooner; the policy discussion ran long."],
    ),
    (
        (MET, MET, MET, NOT, MET, MET, UNSEEN, MET),
        [
            "Calm, warm tone throughout.",
            "Offered a repair as a creative alternative.",
            "Checked the order history.",
        ],
        ["Explain the decision in one plain sentence the customer can repeat."],
    ),
    (
        (MET, NOT, MET, MET, NOT, NOT, MET, MET),
        [
            "Verified the purchase date and the warranty term.",
            "Kept the customer informed of each step.",
        ],
        [
            "Cover the customer's second concern (the replacement timeline).",
            "Look for alternatives before declining.",
        ],
    ),
)


def create_demo_session(services: Services) -> int:
    """Store the demo session and return its id; the clock of round 2 is left running."""
    sessions = services.sessions
    detail = sessions.create_session(
        DEMO_PLAN, list(DEMO_PEOPLE), trainer="Alex Morgan", title="Module 4 practice (demo)"
    )
    live = services.live(detail.id)
    first = live.round
    assert first is not None
    live.toggle()  # Brief
    live.next_phase()  # Role-play
    live.next_phase()  # Decision
    services.decisions.record(
        first.id,
        Decision.ESCALATE,
        escalation_note=EscalationNote(
            type="Policy exception: warranty",
            urgency=Urgency.HIGH,
            situation_summary="Headphones bought 13 months ago failed with an evident "
            "manufacturing defect; the 12-month warranty has expired.",
            customer_request="A free repair or replacement despite the expired warranty.",
            policy_challenge="Warranty is 12 months; an exception needs a manager.",
            recommendation="Approve a one-time goodwill replacement; log the defect.",
        ),
        seconds_to_decide=live.decision_seconds(),
    )
    live.next_phase()  # Observer feedback: opens feedback
    keys = [c.key for c in services.checklist.criteria]
    for observer, (marks, well, improve) in zip(first.observers, _FEEDBACK, strict=False):
        answers = ChecklistAnswers(
            marks=dict(zip(keys, marks, strict=True)),
            notes={keys[4]: "No escalation until minute 7."} if marks[4] is NOT else {},
            went_well=well,
            could_improve=improve,
        )
        services.feedback.submit(first.id, observer, answers)
    live.next_phase()  # Debrief
    services.debrief.set_question_note(
        first.id, 0, "Most wanted to honour the defect; the policy letter held two of them back."
    )
    services.debrief.set_takeaways(
        first.id, ["A clear manufacturing defect is a strong case for an exception."]
    )
    services.debrief.set_actions(
        first.id, ["Draft a goodwill-exception guideline for defects just past warranty."]
    )
    live.reveal_expert()
    live.next_round()
    live.toggle()  # round 2: Brief running
    live.next_phase()  # Role-play under way
    return detail.id
