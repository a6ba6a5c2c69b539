"""Observers' checklists: drafts kept at every change, submission rules, the trainer's summary.

Each observer owns their submission for the round until the trainer closes feedback."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, selectinload

from hotdash_roleplay.checklist import Aggregate, Checklist, ChecklistAnswers, Mark, aggregate
from hotdash_roleplay.checklist import submission_problems as rule_problems
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.people import find_person
from hotdash_roleplay.services.views import View
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import (
    ChecklistSubmission,
    CriterionAnswer,
    Person,
    RoleAssignment,
    Round,
    utcnow,
)

DRAFT, SUBMITTED = "draft", "submitted"


class SubmissionView(View):
    round_id: int
    observer: str
    status: str  # none | draft | submitted
    answers: ChecklistAnswers
    updated_at: datetime | None
    submitted_at: datetime | None


class ObserverStatus(View):
    observer: str
    status: str  # none | draft | submitted


class FeedbackService:
    def __init__(self, store: Store, checklist: Checklist) -> None:
        self._store = store
        self.checklist = checklist

    # -- an observer's own submission ---------------------------------------------------------

    def get(self, round_id: int, observer: str) -> SubmissionView:
        with self._store.session() as db:
            _, person_id, name = self._observer_of(db, round_id, observer)
            row = self._row(db, round_id, person_id)
            if row is None:
                return SubmissionView(
                    round_id=round_id,
                    observer=name,
                    status="none",
                    answers=ChecklistAnswers(),
                    updated_at=None,
                    submitted_at=None,
                )
            return _view(row, name)

    def save_draft(self, round_id: int, observer: str, answers: ChecklistAnswers) -> SubmissionView:
        """Keep what the observer has so far. A submitted checklist that still meets the rules
        stays submitted (a revision); one that no longer does goes back to draft."""
        return self._save(round_id, observer, self._validated(answers), submit=False)

    def submit(
        self, round_id: int, observer: str, answers: ChecklistAnswers | None = None
    ) -> SubmissionView:
        """Submit (saving `answers` first, in the same transaction); refused with what is
        missing, in which case the answers are still kept as a draft."""
        if answers is None:
            answers = self.get(round_id, observer).answers
        return self._save(round_id, observer, self._validated(answers), submit=True)

    def _save(
        self, round_id: int, observer: str, answers: ChecklistAnswers, submit: bool
    ) -> SubmissionView:
        """One transaction of a few lean statements: observers' browsers call this in bursts."""
        problems = rule_problems(answers, self.checklist)
        with self._store.session() as db:
            person_id, name = self._open_observer(db, round_id, observer)
            row = db.scalar(
                select(ChecklistSubmission).where(
                    ChecklistSubmission.round_id == round_id,
                    ChecklistSubmission.observer_id == person_id,
                )
            )
            if row is None:
                row = ChecklistSubmission(round_id=round_id, observer_id=person_id, status=DRAFT)
                db.add(row)
            row.went_well = list(answers.went_well)
            row.could_improve = list(answers.could_improve)
            row.updated_at = utcnow()
            if problems:
                row.status, row.submitted_at = DRAFT, None
            elif submit:
                row.status, row.submitted_at = SUBMITTED, utcnow()
            db.flush()
            db.execute(delete(CriterionAnswer).where(CriterionAnswer.submission_id == row.id))
            rows = [
                {
                    "submission_id": row.id,
                    "criterion": key,
                    "mark": mark.value if mark else None,
                    "note": answers.notes.get(key, ""),
                }
                for key, mark in _answered(answers).items()
            ]
            if rows:
                db.execute(insert(CriterionAnswer), rows)
            db.commit()
            view = SubmissionView(
                round_id=round_id,
                observer=name,
                status=row.status,
                answers=answers,
                updated_at=row.updated_at,
                submitted_at=row.submitted_at,
            )
        if submit and problems:
            raise UserError("Not submitted yet: " + "; ".join(problems) + ".")
        return view

    # -- the trainer's view -------------------------------------------------------------------

    def statuses(self, round_id: int) -> list[ObserverStatus]:
        """Every observer of the round with where their checklist stands."""
        with self._store.session() as db:
            rnd = self._round(db, round_id)
            rows = {s.observer_id: s.status for s in rnd.submissions}
            return [
                ObserverStatus(observer=a.person.name, status=rows.get(a.person_id, "none"))
                for a in sorted(rnd.roles, key=lambda a: a.person.name)
                if a.role == "observer"
            ]

    def submissions(self, round_id: int, include_drafts: bool = False) -> list[SubmissionView]:
        with self._store.session() as db:
            rows = db.scalars(
                select(ChecklistSubmission)
                .where(ChecklistSubmission.round_id == round_id)
                .options(
                    selectinload(ChecklistSubmission.answers),
                    selectinload(ChecklistSubmission.observer),
                )
            ).all()
            return sorted(
                (
                    _view(r, r.observer.name)
                    for r in rows
                    if include_drafts or r.status == SUBMITTED
                ),
                key=lambda v: v.observer,
            )

    def summary(self, round_id: int) -> Aggregate:
        """Per-criterion counts over submitted checklists, disagreements and the debrief agenda."""
        return aggregate([s.answers for s in self.submissions(round_id)], self.checklist)

    # -- internals ----------------------------------------------------------------------------

    def _validated(self, answers: ChecklistAnswers) -> ChecklistAnswers:
        known = {c.key for c in self.checklist.criteria}
        unknown = (set(answers.marks) | set(answers.notes)) - known
        if unknown:
            raise UserError(f"Unknown checklist criteria: {', '.join(sorted(unknown))}.")
        return answers

    def _round(self, db: Session, round_id: int) -> Round:
        rnd = db.get(
            Round, round_id, options=[selectinload(Round.roles).selectinload(RoleAssignment.person)]
        )
        if rnd is None:
            raise UserError(f"There is no round {round_id}.")
        return rnd

    def _observer_of(self, db: Session, round_id: int, observer: str) -> tuple[Round, int, str]:
        rnd = self._round(db, round_id)
        person = find_person(db, observer)
        if not any(a.person_id == person.id and a.role == "observer" for a in rnd.roles):
            raise UserError(f"{person.name} is not an observer in round {rnd.index + 1}.")
        return rnd, person.id, person.name

    def _open_observer(self, db: Session, round_id: int, observer: str) -> tuple[int, str]:
        """(person id, name) of an observer of an open round, in one query; the slower
        `_observer_of` runs only to explain a refusal."""
        found = db.execute(
            select(Person.id, Person.name)
            .join(RoleAssignment, RoleAssignment.person_id == Person.id)
            .join(Round, Round.id == RoleAssignment.round_id)
            .where(
                Round.id == round_id,
                Round.feedback_open.is_(True),
                RoleAssignment.role == "observer",
                Person.name_key == " ".join(observer.split()).casefold(),
            )
        ).first()
        if found is None:
            rnd, _, _ = self._observer_of(db, round_id, observer)  # raises for the wrong person
            self._require_open(rnd)
            raise UserError(f"{observer} cannot give feedback in this round.")
        return found[0], found[1]

    @staticmethod
    def _require_open(rnd: Round) -> None:
        if not rnd.feedback_open:
            raise UserError(f"Feedback for round {rnd.index + 1} is closed.")

    @staticmethod
    def _row(db: Session, round_id: int, person_id: int) -> ChecklistSubmission | None:
        return db.scalar(
            select(ChecklistSubmission)
            .where(
                ChecklistSubmission.round_id == round_id,
                ChecklistSubmission.observer_id == person_id,
            )
            .options(selectinload(ChecklistSubmission.answers))
        )


def _answered(answers: ChecklistAnswers) -> dict[str, Mark | None]:
    """Every criterion with a mark or a note (a note may come before the mark)."""
    return {key: answers.marks.get(key) for key in [*answers.marks, *answers.notes]}


def _answers(row: ChecklistSubmission) -> ChecklistAnswers:
    return ChecklistAnswers(
        marks={a.criterion: Mark(a.mark) if a.mark else None for a in row.answers},
        notes={a.criterion: a.note for a in row.answers if a.note},
        went_well=list(row.went_well),
        could_improve=list(row.could_improve),
    )


def _view(row: ChecklistSubmission, observer: str) -> SubmissionView:
    return SubmissionView(
        round_id=row.round_id,
        observer=observer,
        status=row.status,
        answers=_answers(row),
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
    )
