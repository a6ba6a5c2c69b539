"""A person's record across sessions: roles played, decisions, feedback received and given.

Only rounds that were played count (``round_played``), as in the peer-review record."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session, aliased

from hotdash_roleplay.checklist import Mark
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.figures import CriteriaFigures, DecisionFigures
from hotdash_roleplay.plans import PlanMode
from hotdash_roleplay.played import round_played
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.services.people import find_person
from hotdash_roleplay.services.views import View
from hotdash_roleplay.status import RoundStatus, SubmissionStatus
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import (
    ChecklistSubmission,
    CriterionAnswer,
    OperatorDecision,
    Person,
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
    decision: Decision
    seconds_to_decide: float | None
    matched_expert: bool | None


class FeedbackRecord(View):
    session_id: int
    session_title: str
    played_at: datetime
    round_number: int
    scenario_title: str
    other: str  # the observer (feedback received) or the operator (feedback given)
    status: SubmissionStatus
    met: int
    not_met: int
    not_observed: int


class SessionPlayed(View):
    """A session the person took part in with at least one round played."""

    session_id: int
    title: str
    mode: PlanMode
    played_at: datetime
    rounds_played: int


class PersonHistory(View):
    person_id: int
    name: str
    sessions: int
    rounds_by_role: dict[Role, int]
    decisions: tuple[DecisionRecord, ...]
    feedback_received: tuple[FeedbackRecord, ...]  # drafts included, with their status
    feedback_given: tuple[FeedbackRecord, ...]

    @property
    def decision_figures(self) -> DecisionFigures:
        return DecisionFigures.of((d.matched_expert, d.seconds_to_decide) for d in self.decisions)

    @property
    def criteria_received(self) -> CriteriaFigures:
        return CriteriaFigures.of(
            (f.met, f.not_met)
            for f in self.feedback_received
            if f.status == SubmissionStatus.SUBMITTED
        )

    @property
    def checklists_given(self) -> int:
        return sum(1 for f in self.feedback_given if f.status == SubmissionStatus.SUBMITTED)


class HistoryService:
    """Column queries, not ORM objects: a person with hundreds of rounds in a store of 10 000
    sessions must open in well under 150 ms (tests/benchmarks/bench_history.py)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def person_history(self, ref: str) -> PersonHistory:
        with self._store.session() as db:
            person = find_person(db, ref)
            roles = _played(
                db.execute(
                    select(RoleAssignment.role, Round.session_id, *_PLAYED_COLUMNS)
                    .join(Round, Round.id == RoleAssignment.round_id)
                    .where(
                        RoleAssignment.person_id == person.id, Round.status != RoundStatus.PENDING
                    )
                ).all()
            )
            operated = select(RoleAssignment.round_id).where(
                RoleAssignment.person_id == person.id, RoleAssignment.role == Role.OPERATOR
            )
            decisions = _played(
                db.execute(
                    select(
                        *_ROUND_COLUMNS,
                        OperatorDecision.decision,
                        OperatorDecision.seconds_to_decide,
                        OperatorDecision.matched_expert,
                    )
                    .join(Round, Round.id == OperatorDecision.round_id)
                    .join(TrainingSession, TrainingSession.id == Round.session_id)
                    .where(OperatorDecision.round_id.in_(operated))
                    .order_by(TrainingSession.created_at, Round.index)
                ).all()
            )
            observer = aliased(Person)
            received = _feedback_rows(
                db,
                select(
                    *_ROUND_COLUMNS,
                    ChecklistSubmission.id,
                    ChecklistSubmission.status,
                    observer.name,
                )
                .join(observer, observer.id == ChecklistSubmission.observer_id)
                .where(ChecklistSubmission.round_id.in_(operated)),
            )
            operator_role = aliased(RoleAssignment)
            operator = aliased(Person)
            given = _feedback_rows(
                db,
                select(
                    *_ROUND_COLUMNS,
                    ChecklistSubmission.id,
                    ChecklistSubmission.status,
                    operator.name,
                )
                .join(
                    operator_role,
                    (operator_role.round_id == ChecklistSubmission.round_id)
                    & (operator_role.role == Role.OPERATOR),
                )
                .join(operator, operator.id == operator_role.person_id)
                .where(ChecklistSubmission.observer_id == person.id),
            )
            return PersonHistory(
                person_id=person.id,
                name=person.name,
                sessions=len({row.session_id for row in roles}),
                rounds_by_role=dict(Counter(row.role for row in roles)),
                decisions=tuple(
                    DecisionRecord(
                        **_round_fields(row),
                        decision=row.decision,
                        seconds_to_decide=row.seconds_to_decide,
                        matched_expert=row.matched_expert,
                    )
                    for row in decisions
                ),
                feedback_received=received,
                feedback_given=given,
            )

    def sessions_played(self, person_id: int, mode: str | None = None) -> list[SessionPlayed]:
        """Sessions (optionally of one mode) where the person had a role in a finished round,
        oldest first."""
        with self._store.session() as db:
            query = (
                select(
                    TrainingSession.id,
                    TrainingSession.title,
                    TrainingSession.mode,
                    TrainingSession.created_at,
                    func.count(func.distinct(Round.id)),
                )
                .join(Round, Round.session_id == TrainingSession.id)
                .join(RoleAssignment, RoleAssignment.round_id == Round.id)
                .where(RoleAssignment.person_id == person_id, Round.status == RoundStatus.DONE)
                .group_by(TrainingSession.id)
                .order_by(TrainingSession.created_at, TrainingSession.id)
            )
            if mode is not None:
                query = query.where(TrainingSession.mode == mode)
            return [
                SessionPlayed(session_id=i, title=t, mode=m, played_at=at, rounds_played=n)
                for i, t, m, at, n in db.execute(query)
            ]


_PLAYED_COLUMNS = (Round.status.label("round_status"), Round.clock_state)
_ROUND_COLUMNS = (
    *_PLAYED_COLUMNS,
    TrainingSession.id.label("session_id"),
    TrainingSession.title.label("session_title"),
    TrainingSession.created_at.label("played_at"),
    Round.index.label("round_index"),
    Round.scenario_id,
    Round.scenario_title,
)


# A result row of any width (SQLAlchemy 2.1 types a row by its column types).
_AnyRow = Row[*tuple[Any, ...]]


def _played(rows: Sequence[_AnyRow]) -> list[_AnyRow]:
    """The rows of rounds that were played (rows carry ``_PLAYED_COLUMNS``)."""
    return [row for row in rows if round_played(row.round_status, row.clock_state)]


def _round_fields(row: _AnyRow) -> dict[str, Any]:
    return {
        "session_id": row.session_id,
        "session_title": row.session_title,
        "played_at": row.played_at,
        "round_number": row.round_index + 1,
        "scenario_title": row.scenario_title or row.scenario_id,
    }


def _feedback_rows(db: Session, query: Select[Any]) -> tuple[FeedbackRecord, ...]:
    """Submissions (with the other person's name last) and their mark counts, in two queries."""
    rows = _played(
        db.execute(
            query.join(Round, Round.id == ChecklistSubmission.round_id)
            .join(TrainingSession, TrainingSession.id == Round.session_id)
            .order_by(TrainingSession.created_at, Round.index)
        ).all()
    )
    ids = [row[len(_ROUND_COLUMNS)] for row in rows]
    counts: dict[int, Counter[Mark | None]] = {i: Counter() for i in ids}
    for sub_id, mark, n in db.execute(
        select(CriterionAnswer.submission_id, CriterionAnswer.mark, func.count())
        .where(CriterionAnswer.submission_id.in_(ids))
        .group_by(CriterionAnswer.submission_id, CriterionAnswer.mark)
    ):
        if mark is not None:  # an unanswered criterion counts for no mark
            counts[sub_id][mark] = n
    records = []
    for row, sub_id in zip(rows, ids, strict=True):
        marks = counts[sub_id]
        records.append(
            FeedbackRecord(
                **_round_fields(row),
                other=row[-1],
                status=row[-2],
                met=marks[Mark.MET],
                not_met=marks[Mark.NOT_MET],
                not_observed=marks[Mark.NOT_OBSERVED],
            )
        )
    return tuple(records)
