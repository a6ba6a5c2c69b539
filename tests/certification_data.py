"""Building a certification candidate through the services, as the app would."""

from __future__ import annotations

from datetime import date, timedelta

from hotdash_roleplay.certification.metrics import WeekFigures
from hotdash_roleplay.certification.program import MODULES, ContributionKind, Step
from hotdash_roleplay.credentials.badge import IssuerDetails
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.notes import EscalationNote, RejectionNote
from hotdash_roleplay.services import Services

TODAY = date(2026, 11, 30)  # a Monday
ISSUER = IssuerDetails(name="HotDash Support Academy", url="https://academy.hotdash.example")
EXPERT = dict(
    approval_rate=86.0,
    avg_review_seconds=75.0,
    csat=4.9,
    first_contact_resolution=92.0,
    decision_accuracy=99.5,
)


def week(monday: date, **figures: float | None) -> WeekFigures:
    return WeekFigures(week_start=monday, **(EXPERT | figures))


def play_practice(svc: Services, name: str) -> int:
    """A Module 4 practice session with `name` in it, its first round played through."""
    others = [n for n in ("Pat", "Quinn", "Rue", "Sol") if n != name][:3]
    sid = svc.sessions.create_session("module4-practice", [name, *others]).id
    live = svc.live(sid)
    live.toggle()
    live.next_round()
    return sid


def decide(svc: Services, round_id: int, choice: Decision) -> None:
    if choice is Decision.ESCALATE:
        note = EscalationNote(
            type="Policy exception",
            situation_summary="Customer outside the window",
            customer_request="A refund",
            recommendation="Approve as goodwill",
        )
        svc.decisions.record(round_id, choice, escalation_note=note, seconds_to_decide=80)
    elif choice is Decision.REJECT:
        rejection = RejectionNote(
            customer_question="Where is my order?", ai_response="Wrong", problem="Facts wrong"
        )
        svc.decisions.record(round_id, choice, rejection_note=rejection, seconds_to_decide=80)
    elif choice is Decision.EDIT_APPROVE:
        svc.decisions.record(round_id, choice, final_reply="Edited reply", seconds_to_decide=70)
    else:
        svc.decisions.record(round_id, choice, seconds_to_decide=60)


def play_assessment(svc: Services, name: str, wrong: int = 0, decided: int = 8) -> int:
    """A certification assessment of `name`: the first `wrong` decisions differ from the
    expert's (approve, which no certification scenario expects), the rest match it."""
    detail = svc.sessions.create_session("certification-assessment", [name], trainer="Asa")
    for i, rnd in enumerate(detail.rounds[:decided]):
        experts = svc.sessions.round_scenario(rnd.id).expert
        assert experts is not None
        choice = Decision.APPROVE if i < wrong else Decision(experts.decisions[-1])
        decide(svc, rnd.id, choice)
    return detail.id


def qualify(
    svc: Services, name: str, today: date = TODAY, *, award: bool = False, email: str = ""
) -> None:
    """Every requirement met for `name` (and every step recorded when `award`)."""
    cert = svc.certification
    play_practice(svc, name)
    for module in MODULES:
        cert.record_module(name, module, today - timedelta(days=60 - module), "Mona Manager")
    monday = today - timedelta(days=today.weekday())
    for i in range(5, 0, -1):
        cert.record_week(name, week(monday - timedelta(weeks=i)), "Tess")
    play_assessment(svc, name)
    cert.submit_ai_report(
        name,
        "Refund pattern report",
        today - timedelta(days=20),
        text="Patterns <b>&",
        reviewer="Rita",
    )
    m = cert.add_mentorship(name, "Mia Mentee", today - timedelta(days=50))
    cert.record_graduation(m.id, today - timedelta(days=10))
    cert.add_contribution(
        name, ContributionKind.FAQ_ADDITION, "FAQ: late returns", today - timedelta(days=15),
        text="Q: ... A: ...",
    )  # fmt: skip
    if award:
        day = today - timedelta(days=5)
        cert.record_step(name, Step.SELF_ASSESSMENT, day, name)
        cert.record_step(name, Step.MANAGER_NOMINATION, day, "Mona Manager")
        cert.record_step(name, Step.CERTIFICATION_REVIEW, day, "Rita Reviewer")
        cert.record_step(name, Step.SCENARIO_ASSESSMENT, day, "Asa")
        cert.record_step(name, Step.PEER_REVIEW, day, "Mia Mentee", "Patient and clear.")
        cert.record_step(name, Step.AWARDED, day, "Rita Reviewer", issuer=ISSUER, email=email)
