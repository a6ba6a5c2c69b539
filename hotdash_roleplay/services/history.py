"""A person's record across sessions: roles played, decisions, feedback received and given."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hotdash_roleplay.services.people import find_person
from hotdash_roleplay.services.views import View
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import (
    ChecklistSubmission,
    OperatorDecision,
    RoleAssignment,
    Round,
    TrainingSession,
)


class DecisionRecord(View):
    session_id: int
    session_title: str
    played_at: datetime
    round_number: int
    scenario_title: str
    decision: str
    seconds_to_decide: float | None
    matched_expert: bool | None


class FeedbackRecord(View):
    session_id: int
    session_title: str
    played_at: datetime
    round_number: int
    scenario_title: str
    other: str  # the observer (feedback received) or the operator (feedback given)
    status: str
    met: int
    not_met: int
    not_observed: int


class PersonHistory(View):
    person_id: int
    name: str
    sessions: int
    rounds_by_role: dict[str, int]
    decisions: tuple[DecisionRecord, ...]
    feedback_received: tuple[FeedbackRecord, ...]
    feedback_given: tuple[FeedbackRecord, ...]


class HistoryService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def person_history(self, ref: str) -> PersonHistory:
        with self._store.session() as db:
            person = find_person(db, ref)
            roles = db.execute(
                select(RoleAssignment.role, Round.session_id)
                .join(Round, Round.id == RoleAssignment.round_id)
                .where(RoleAssignment.person_id == person.id, Round.status == "done")
            ).all()
            decisions = db.scalars(
                select(OperatorDecision)
                .where(OperatorDecision.operator_id == person.id)
                .options(selectinload(OperatorDecision.round).selectinload(Round.session))
            ).all()
            operated = select(RoleAssignment.round_id).where(
                RoleAssignment.person_id == person.id, RoleAssignment.role == "operator"
            )
            received = db.scalars(
                select(ChecklistSubmission)
                .where(ChecklistSubmission.round_id.in_(operated))
                .options(*_submission_loads())
            ).all()
            given = db.scalars(
                select(ChecklistSubmission)
                .where(ChecklistSubmission.observer_id == person.id)
                .options(*_submission_loads())
            ).all()
            return PersonHistory(
                person_id=person.id,
                name=person.name,
                sessions=len({s for _, s in roles}),
                rounds_by_role=dict(Counter(r for r, _ in roles)),
                decisions=tuple(
                    sorted((_decision(d) for d in decisions), key=lambda d: d.played_at)
                ),
                feedback_received=tuple(_feedback(s, s.observer.name) for s in received),
                feedback_given=tuple(_feedback(s, _operator_of(s.round)) for s in given),
            )


def _submission_loads() -> tuple[object, ...]:
    return (
        selectinload(ChecklistSubmission.answers),
        selectinload(ChecklistSubmission.observer),
        selectinload(ChecklistSubmission.round).selectinload(Round.session),
        selectinload(ChecklistSubmission.round)
        .selectinload(Round.roles)
        .selectinload(RoleAssignment.person),
    )


def _operator_of(rnd: Round) -> str:
    return next((a.person.name for a in rnd.roles if a.role == "operator"), "")


def _session_fields(rnd: Round) -> dict[str, object]:
    session: TrainingSession = rnd.session
    return {
        "session_id": session.id,
        "session_title": session.title,
        "played_at": session.created_at,
        "round_number": rnd.index + 1,
        "scenario_title": str(rnd.scenario.get("title", rnd.scenario_id)),
    }


def _decision(d: OperatorDecision) -> DecisionRecord:
    return DecisionRecord(
        **_session_fields(d.round),
        decision=d.decision,
        seconds_to_decide=d.seconds_to_decide,
        matched_expert=d.matched_expert,
    )


def _feedback(s: ChecklistSubmission, other: str) -> FeedbackRecord:
    marks = Counter(a.mark for a in s.answers)
    return FeedbackRecord(
        **_session_fields(s.round),
        other=other,
        status=s.status,
        met=marks["met"],
        not_met=marks["not_met"],
        not_observed=marks["not_observed"],
    )
