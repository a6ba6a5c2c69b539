"""Observers' checklists: drafts kept at every change, submission rules, the trainer's summary.

Each observer owns their submission for the round until the trainer closes feedback. A checklist
may be open in two places at once (the console and the observer's browser): every save names the
version it started from and is a conditional update, so neither side overwrites the other
silently; a stale save is refused with `ChangedElsewhere`, carrying what is stored now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, NoReturn

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from hotdash_roleplay.checklist import Aggregate, Checklist, ChecklistAnswers, Mark, aggregate
from hotdash_roleplay.checklist import submission_problems as rule_problems
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.names import name_key
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.services.people import find_person
from hotdash_roleplay.services.views import View
from hotdash_roleplay.status import ChecklistState, FilledIn, SubmissionStatus
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import (
    ChecklistSubmission,
    CriterionAnswer,
    Person,
    RoleAssignment,
    Round,
    utcnow,
)

# The hot save path writes through Core: no identity map or unit of work for a roomful of saves.
_SUBMISSIONS = ChecklistSubmission.metadata.tables[ChecklistSubmission.__tablename__]
_ANSWERS = CriterionAnswer.metadata.tables[CriterionAnswer.__tablename__]


class SubmissionView(View):
    round_id: int
    observer: str
    status: ChecklistState
    answers: ChecklistAnswers
    updated_at: datetime | None
    submitted_at: datetime | None
    version: int = 0  # 0: nothing stored yet; a save that saw this version may write
    filled_in: FilledIn = FilledIn.CONSOLE


class ChangedElsewhere(UserError):
    """A save started from an older version than the one stored: someone else saved first."""

    def __init__(self, current: SubmissionView) -> None:
        where = (
            "in their browser"
            if current.filled_in == FilledIn.BROWSER
            else "on the trainer's computer"
        )
        super().__init__(
            f"{current.observer}'s checklist was changed on another device ({where}) since it "
            "was loaded here. Reload it, or keep yours and save it over that change."
        )
        self.current = current


class NotSubmitted(UserError):
    """A submit refused by the checklist's rules; the answers are kept as a draft, `current`."""

    def __init__(self, problems: Sequence[str], current: SubmissionView) -> None:
        super().__init__("Not submitted yet: " + "; ".join(problems) + ".")
        self.current = current


@dataclass(frozen=True)
class FeedbackSave:
    """One save of an observer's checklist: a draft, or a submit (`save_many`).

    `seen` is the version the writer loaded (0 for none stored); the save is refused with
    `ChangedElsewhere` when the stored version differs. None writes whatever is stored (only
    for callers that read and write in one go, such as `submit` without answers)."""

    round_id: int
    observer: str
    answers: ChecklistAnswers
    submit: bool = False
    seen: int | None = None
    source: FilledIn = FilledIn.CONSOLE


class ObserverStatus(View):
    observer: str
    status: ChecklistState


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
                    status=ChecklistState.NONE,
                    answers=ChecklistAnswers(),
                    updated_at=None,
                    submitted_at=None,
                )
            return _view(row, name)

    def save_draft(
        self,
        round_id: int,
        observer: str,
        answers: ChecklistAnswers,
        *,
        seen: int | None = None,
        source: FilledIn = FilledIn.CONSOLE,
    ) -> SubmissionView:
        """Keep what the observer has so far. A submitted checklist that still meets the rules
        stays submitted (a revision); one that no longer does goes back to draft."""
        return self._save(FeedbackSave(round_id, observer, answers, False, seen, source))

    def submit(
        self,
        round_id: int,
        observer: str,
        answers: ChecklistAnswers | None = None,
        *,
        seen: int | None = None,
        source: FilledIn = FilledIn.CONSOLE,
    ) -> SubmissionView:
        """Submit (saving `answers` first, in the same transaction); refused with what is
        missing, in which case the answers are still kept as a draft. Without `answers`, what is
        stored is submitted (and nothing else can have changed it in between)."""
        if answers is None:
            stored = self.get(round_id, observer)
            answers, seen = stored.answers, stored.version
        return self._save(FeedbackSave(round_id, observer, answers, True, seen, source))

    def save_many(self, saves: Sequence[FeedbackSave]) -> list[SubmissionView | Exception]:
        """Group commit: many saves in ONE transaction (a roomful of observers' browsers saving
        at once), written with a handful of set-wise Core statements whatever their number.

        Each save gets its own result, exactly as `save_draft`/`submit` would give it alone, in
        order (a later save of the same observer sees the earlier one): its view, or the
        UserError they would raise (a refused submit still keeps its draft). Should the shared
        transaction fail for another reason, each save is retried alone, so one bad save cannot
        sink the others (a row changed by another writer between this batch's read and its
        conditional update fails the batch the same way, and the retry reports the conflict)."""
        try:
            return self._transaction(saves)
        except _Overtaken:
            if len(saves) == 1:  # read again: the save now sees the other write and says so
                return self._transaction(saves)
        except Exception:
            if len(saves) == 1:
                raise
        results: list[SubmissionView | Exception] = []
        for save in saves:
            try:
                results.append(self._save(save))
            except Exception as exc:
                results.append(exc)
        return results

    def _transaction(self, saves: Sequence[FeedbackSave]) -> list[SubmissionView | Exception]:
        with self._store.session() as db:
            results = self._apply_all(db, saves)
            db.commit()
        return results

    def _save(self, save: FeedbackSave) -> SubmissionView:
        (result,) = self.save_many([save])
        if isinstance(result, Exception):
            raise result
        return result

    def _apply_all(
        self, db: Session, saves: Sequence[FeedbackSave]
    ) -> list[SubmissionView | Exception]:
        """Work out every save's outcome in order, then write the last state of each touched
        submission: one query for who may write and the rows they have, then inserts, updates
        and the answers replaced, each one statement for the whole batch."""
        conn = db.connection()
        now = utcnow()
        allowed = self._open_observers(conn, saves)
        rows = {(rid, pid): row for (rid, _), (pid, _, row) in allowed.items() if row is not None}
        read = {key: row.version for key, row in rows.items()}  # what the update is conditional on
        written: dict[_Key, tuple[_Row, ChecklistAnswers]] = {}
        results: list[SubmissionView | Exception] = []
        for save in saves:
            try:
                answers = self._validated(save.answers)
                found = allowed.get((save.round_id, name_key(save.observer)))
                if found is None:
                    self._refuse(db, save.round_id, save.observer)
            except UserError as exc:  # refused before anything of it is written
                results.append(exc)
                continue
            person_id, name, _ = found
            problems = rule_problems(answers, self.checklist)
            row = rows.get((save.round_id, person_id)) or _Row(
                None, SubmissionStatus.DRAFT, None, 0, FilledIn.CONSOLE
            )
            if save.seen is not None and save.seen != row.version:
                stored = written.get((save.round_id, person_id))
                results.append(
                    ChangedElsewhere(
                        _batch_view(save.round_id, name, row, stored[1])
                        if stored
                        else self._stored_view(db, save.round_id, person_id, name)
                    )
                )
                continue
            status, submitted_at = row.status, row.submitted_at
            if problems:
                status, submitted_at = SubmissionStatus.DRAFT, None
            elif save.submit:
                status, submitted_at = SubmissionStatus.SUBMITTED, now
            row = _Row(row.id, status, submitted_at, row.version + 1, save.source, now)
            rows[(save.round_id, person_id)] = row
            written[(save.round_id, person_id)] = (row, answers)
            view = _batch_view(save.round_id, name, row, answers)
            if save.submit and problems:
                results.append(NotSubmitted(problems, view))
            else:
                results.append(view)
        if written:
            self._write(conn, now, written, read)
        return results

    @staticmethod
    def _write(
        conn: Connection,
        now: datetime,
        written: dict[_Key, tuple[_Row, ChecklistAnswers]],
        read: dict[_Key, int],
    ) -> None:
        def values(row: _Row, answers: ChecklistAnswers) -> dict[str, object]:
            return {
                "went_well": list(answers.went_well),
                "could_improve": list(answers.could_improve),
                "updated_at": now,
                "status": row.status,
                "submitted_at": row.submitted_at,
                "version": row.version,
                "filled_in": row.filled_in,
            }

        new = [
            {"round_id": rid, "observer_id": pid, **values(row, answers)}
            for (rid, pid), (row, answers) in written.items()
            if row.id is None
        ]
        old = [
            {
                "b_id": row.id,
                "b_read": read[key],
                **{f"b_{k}": v for k, v in values(row, answers).items()},
            }
            for key, (row, answers) in written.items()
            if row.id is not None
        ]
        ids = {key: row.id for key, (row, _) in written.items() if row.id is not None}
        if old:
            c = _SUBMISSIONS.c
            # Conditional on the version this batch read: a write by anyone else in between
            # (the console on its own connection) leaves the row alone and fails the batch.
            stmt = (
                update(_SUBMISSIONS)
                .where(c.id == bindparam("b_id"), c.version == bindparam("b_read"))
                .values(
                    {
                        col: bindparam(f"b_{col}", type_=c[col].type)
                        for col in (
                            "went_well",
                            "could_improve",
                            "updated_at",
                            "status",
                            "submitted_at",
                            "version",
                            "filled_in",
                        )
                    }
                )
            )
            if conn.dialect.supports_sane_multi_rowcount:
                if conn.execute(stmt, old).rowcount != len(old):
                    raise _Overtaken
            else:  # this driver cannot count an executemany: one statement per row
                for params in old:
                    if conn.execute(stmt, params).rowcount != 1:
                        raise _Overtaken
            conn.execute(delete(_ANSWERS).where(_ANSWERS.c.submission_id.in_(list(ids.values()))))
        if new:
            FeedbackService._insert(conn, new, ids)
        answer_rows = [
            {
                "submission_id": ids[key],
                "criterion": criterion,
                "mark": mark.value if mark else None,
                "note": answers.notes.get(criterion, ""),
            }
            for key, (_, answers) in written.items()
            for criterion, mark in _answered(answers).items()
        ]
        if answer_rows:
            conn.execute(insert(_ANSWERS), answer_rows)

    @staticmethod
    def _insert(conn: Connection, new: list[dict[str, object]], ids: dict[_Key, int]) -> None:
        """First saves of these checklists. Another writer inserting the same one first breaks
        the unique (round, observer) key: the batch is then overtaken, not broken."""
        try:
            FeedbackService._insert_rows(conn, new, ids)
        except IntegrityError:
            raise _Overtaken from None

    @staticmethod
    def _insert_rows(conn: Connection, new: list[dict[str, object]], ids: dict[_Key, int]) -> None:
        if conn.dialect.insert_executemany_returning_sort_by_parameter_order:
            inserted = conn.execute(
                insert(_SUBMISSIONS).returning(
                    _SUBMISSIONS.c.round_id,
                    _SUBMISSIONS.c.observer_id,
                    _SUBMISSIONS.c.id,
                    sort_by_parameter_order=True,
                ),
                new,
            )
            ids.update({(r.round_id, r.observer_id): r.id for r in inserted})
        else:  # no RETURNING for many rows here: read the new ids back
            conn.execute(insert(_SUBMISSIONS), new)
            for r in conn.execute(
                select(
                    _SUBMISSIONS.c.id, _SUBMISSIONS.c.round_id, _SUBMISSIONS.c.observer_id
                ).where(
                    _SUBMISSIONS.c.round_id.in_({n["round_id"] for n in new}),
                    _SUBMISSIONS.c.observer_id.in_({n["observer_id"] for n in new}),
                )
            ):
                ids.setdefault((r.round_id, r.observer_id), r.id)

    # -- the trainer's view -------------------------------------------------------------------

    def statuses(self, round_id: int) -> list[ObserverStatus]:
        """Every observer of the round with where their checklist stands. One column query:
        the console re-reads this on the Qt thread while observers' saves pour in."""
        stmt = (
            select(Person.name, _SUBMISSIONS.c.status)
            .select_from(RoleAssignment)
            .join(Person, Person.id == RoleAssignment.person_id)
            .outerjoin(
                _SUBMISSIONS,
                (_SUBMISSIONS.c.round_id == RoleAssignment.round_id)
                & (_SUBMISSIONS.c.observer_id == RoleAssignment.person_id),
            )
            .where(RoleAssignment.round_id == round_id, RoleAssignment.role == Role.OBSERVER)
        )
        with self._store.engine.connect() as conn:
            rows = conn.execute(stmt).all()
            if not rows and conn.scalar(select(Round.id).where(Round.id == round_id)) is None:
                raise UserError(f"There is no round {round_id}.")
        return sorted(
            (
                ObserverStatus(observer=name, status=status or ChecklistState.NONE)
                for name, status in rows
            ),
            key=lambda s: s.observer,
        )

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
                    if include_drafts or r.status == SubmissionStatus.SUBMITTED
                ),
                key=lambda v: v.observer,
            )

    def summary(self, round_id: int) -> Aggregate:
        """Per-criterion counts over submitted checklists, disagreements and the debrief agenda."""
        return aggregate([s.answers for s in self.submissions(round_id)], self.checklist)

    # -- internals ----------------------------------------------------------------------------

    def _stored_view(self, db: Session, round_id: int, person_id: int, name: str) -> SubmissionView:
        row = self._row(db, round_id, person_id)
        if row is None:  # seen a version of a checklist that is not stored: nothing to show
            return SubmissionView(
                round_id=round_id,
                observer=name,
                status=ChecklistState.NONE,
                answers=ChecklistAnswers(),
                updated_at=None,
                submitted_at=None,
            )
        return _view(row, name)

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
        if not any(a.person_id == person.id and a.role == Role.OBSERVER for a in rnd.roles):
            raise UserError(f"{person.name} is not an observer in round {rnd.index + 1}.")
        return rnd, person.id, person.name

    @staticmethod
    def _open_observers(
        conn: Connection, saves: Sequence[FeedbackSave]
    ) -> dict[tuple[int, str], tuple[int, str, _Row | None]]:
        """(round id, name key) -> (person id, name, their submission row if any) for every
        save's observer who observes an open round, in one query; `_refuse` explains the
        others."""
        if not saves:
            return {}
        sub = _SUBMISSIONS.c
        found = conn.execute(
            select(
                RoleAssignment.round_id,
                Person.name_key,
                Person.id,
                Person.name,
                sub.id.label("submission_id"),
                sub.status,
                sub.submitted_at,
                sub.version,
                sub.filled_in,
            )
            .join(RoleAssignment, RoleAssignment.person_id == Person.id)
            .join(Round, Round.id == RoleAssignment.round_id)
            .outerjoin(
                _SUBMISSIONS,
                (sub.round_id == RoleAssignment.round_id) & (sub.observer_id == Person.id),
            )
            .where(
                Round.id.in_({s.round_id for s in saves}),
                Round.feedback_open.is_(True),
                RoleAssignment.role == Role.OBSERVER,
                Person.name_key.in_({name_key(s.observer) for s in saves}),
            )
        )
        return {
            (r.round_id, r.name_key): (
                r.id,
                r.name,
                None
                if r.submission_id is None
                else _Row(r.submission_id, r.status, r.submitted_at, r.version, r.filled_in),
            )
            for r in found
        }

    def _refuse(self, db: Session, round_id: int, observer: str) -> NoReturn:
        """Why `observer` may not write in this round (the slow path, refusals only)."""
        rnd, _, _ = self._observer_of(db, round_id, observer)  # raises for the wrong person
        self._require_open(rnd)
        raise UserError(f"{observer} cannot give feedback in this round.")

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


_Key = tuple[int, int]  # (round id, observer id): one submission


class _Row(NamedTuple):
    """A submission row's state while a batch is worked out (id None: not stored yet)."""

    id: int | None
    status: SubmissionStatus
    submitted_at: datetime | None
    version: int
    filled_in: FilledIn
    updated_at: datetime | None = None


class _Overtaken(UserError):
    """A conditional update (or a first insert) found the row written by someone else since
    the batch read it. Retried once; a second race in a row reaches the user as this."""

    def __init__(self) -> None:
        super().__init__("This checklist was saved elsewhere at the same moment: try again.")


def _batch_view(round_id: int, name: str, row: _Row, answers: ChecklistAnswers) -> SubmissionView:
    return SubmissionView(
        round_id=round_id,
        observer=name,
        status=ChecklistState(row.status),
        answers=answers,
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        version=row.version,
        filled_in=row.filled_in,
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
        status=ChecklistState(row.status),
        answers=_answers(row),
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        version=row.version,
        filled_in=row.filled_in,
    )
