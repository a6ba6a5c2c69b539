"""Observers' notes taken during the role-play, each stamped with the role-play clock, and how
they pre-fill the observer's checklist when feedback opens.

A note names a checklist criterion or is general. When the round's feedback opens, each
observer's per-criterion notes become that criterion's checklist note, one line per note
("02:13 interrupted the customer"), only where the checklist's note is still empty: nothing
typed is ever overwritten, and the save is the feedback service's conditional one, so a
checklist saved meanwhile on another device is left alone. General notes stay notes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select

from hotdash_roleplay.checklist import MAX_ITEM_CHARS, Checklist, ChecklistAnswers
from hotdash_roleplay.clock import clock_stamp
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.names import name_key
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.services.feedback import FeedbackSave, FeedbackService
from hotdash_roleplay.services.views import View
from hotdash_roleplay.status import ChecklistState, FilledIn
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import ObserverNote, Person, RoleAssignment, utcnow

GENERAL = "general"
GENERAL_NAME = "General"


def note_topic(criterion: str, names: Mapping[str, str]) -> str:
    """What a note is about, as shown: "General", the criterion's name, or its key when the
    checklist no longer has that criterion (a note kept from an older checklist)."""
    return GENERAL_NAME if criterion == GENERAL else names.get(criterion, criterion)


MAX_NOTE_CHARS = 500
MAX_NOTES_PER_ROUND = 300  # per observer: a note every two seconds of a ten-minute role-play


class NotesFull(UserError):
    def __init__(self) -> None:
        super().__init__(
            f"You have taken {MAX_NOTES_PER_ROUND} notes in this round, the most one round keeps."
        )


@dataclass(frozen=True)
class NoteAdd:
    """One note to keep: whose, for which round, about what, when on the role-play clock."""

    round_id: int
    observer: str
    criterion: str  # a checklist criterion key, or GENERAL
    text: str
    at_seconds: float


class NoteView(View):
    id: int
    round_id: int
    observer: str
    criterion: str  # a checklist criterion key, or GENERAL
    criterion_name: str
    text: str
    at_seconds: float  # running time since the role-play began, pauses not counted
    created_at: datetime

    @property
    def stamp(self) -> str:
        return clock_stamp(self.at_seconds)

    @property
    def line(self) -> str:
        """The note as it pre-fills a checklist and reads in a timeline: "02:13 text"."""
        return f"{self.stamp} {self.text}"


class NoteService:
    def __init__(self, store: Store, feedback: FeedbackService) -> None:
        self._store = store
        self._feedback = feedback
        self._names = {c.key: c.name for c in feedback.checklist.criteria}

    @property
    def checklist(self) -> Checklist:
        return self._feedback.checklist

    def criterion_name(self, criterion: str) -> str:
        return note_topic(criterion, self._names)

    def add(
        self, round_id: int, observer: str, criterion: str, text: str, at_seconds: float
    ) -> NoteView:
        """Keep one note of an observer of the round. Refused in words: an unknown criterion,
        blank or too long text, someone not observing the round, a round's worth of notes."""
        (result,) = self.add_many([NoteAdd(round_id, observer, criterion, text, at_seconds)])
        if isinstance(result, Exception):
            raise result
        return result

    def add_many(self, adds: Sequence[NoteAdd]) -> list[NoteView | UserError]:
        """Group commit: many observers' notes in ONE transaction, each with the outcome it
        would have had alone (its view, or the UserError `add` would raise), in order."""
        now = utcnow()
        results: list[NoteView | UserError] = []
        with self._store.engine.begin() as conn:
            observers = self._observers(conn, adds)
            counts: dict[tuple[int, int], int] = {
                (r.round_id, r.observer_id): r.taken
                for r in conn.execute(
                    select(
                        ObserverNote.round_id,
                        ObserverNote.observer_id,
                        func.count(ObserverNote.id).label("taken"),
                    )
                    .where(
                        ObserverNote.round_id.in_({a.round_id for a in adds}),
                        ObserverNote.observer_id.in_({pid for pid, _ in observers.values()}),
                    )
                    .group_by(ObserverNote.round_id, ObserverNote.observer_id)
                )
            }
            for add in adds:
                try:
                    text = self._checked(add)
                    found = observers.get((add.round_id, name_key(add.observer)))
                    if found is None:
                        raise UserError(f"{add.observer} is not an observer in this round.")
                    person_id, name = found
                    taken = counts.get((add.round_id, person_id), 0)
                    if taken >= MAX_NOTES_PER_ROUND:
                        raise NotesFull
                except UserError as exc:
                    results.append(exc)
                    continue
                counts[(add.round_id, person_id)] = taken + 1
                at = max(0.0, float(add.at_seconds))
                note_id = conn.execute(
                    insert(ObserverNote)
                    .values(
                        round_id=add.round_id,
                        observer_id=person_id,
                        criterion=add.criterion,
                        text=text,
                        at_seconds=at,
                        created_at=now,
                    )
                    .returning(ObserverNote.id)
                ).scalar_one()
                results.append(
                    NoteView(
                        id=note_id,
                        round_id=add.round_id,
                        observer=name,
                        criterion=add.criterion,
                        criterion_name=self.criterion_name(add.criterion),
                        text=text,
                        at_seconds=at,
                        created_at=now,
                    )
                )
        return results

    def _checked(self, add: NoteAdd) -> str:
        text = add.text.strip()
        if add.criterion != GENERAL and add.criterion not in self._names:
            raise UserError(
                f"Unknown criterion {add.criterion!r}: a checklist criterion or general."
            )
        if not text:
            raise UserError("Write the note first: it is empty.")
        if len(text) > MAX_NOTE_CHARS:
            raise UserError(f"A note can be at most {MAX_NOTE_CHARS} characters long.")
        return text

    @staticmethod
    def _observers(
        conn: Connection, adds: Sequence[NoteAdd]
    ) -> dict[tuple[int, str], tuple[int, str]]:
        """(round id, name key) -> (person id, name) of everyone in `adds` who observes that
        round, in one query."""
        rows = conn.execute(
            select(RoleAssignment.round_id, Person.name_key, Person.id, Person.name)
            .join(RoleAssignment, RoleAssignment.person_id == Person.id)
            .where(
                RoleAssignment.round_id.in_({a.round_id for a in adds}),
                RoleAssignment.role == Role.OBSERVER,
                Person.name_key.in_({name_key(a.observer) for a in adds}),
            )
        )
        return {(r.round_id, r.name_key): (r.id, r.name) for r in rows}

    def notes(self, round_id: int, observer: str | None = None) -> list[NoteView]:
        """A round's notes in the order they were taken: one observer's, or everyone's (the
        records' timeline)."""
        stmt = (
            select(ObserverNote, Person.name)
            .join(Person, Person.id == ObserverNote.observer_id)
            .where(ObserverNote.round_id == round_id)
            .order_by(ObserverNote.at_seconds, ObserverNote.id)
        )
        if observer is not None:
            stmt = stmt.where(Person.name_key == name_key(observer))
        with self._store.session() as db:
            return [
                NoteView(
                    id=row.id,
                    round_id=row.round_id,
                    observer=name,
                    criterion=row.criterion,
                    criterion_name=self.criterion_name(row.criterion),
                    text=row.text,
                    at_seconds=row.at_seconds,
                    created_at=row.created_at,
                )
                for row, name in db.execute(stmt).all()
            ]

    def prefill(self, round_id: int) -> list[str]:
        """Fill the round's checklists' empty per-criterion notes from their observer's notes
        (feedback must be open). Returns whose checklist changed. Safe to call again: a filled
        note is not empty any more, and a checklist saved meanwhile elsewhere is skipped."""
        by_observer: dict[str, dict[str, list[str]]] = {}
        for note in self.notes(round_id):
            if note.criterion in self._names:
                lines = by_observer.setdefault(note.observer, {}).setdefault(note.criterion, [])
                lines.append(note.line)
        saves: list[FeedbackSave] = []
        for observer, lines_by_criterion in by_observer.items():
            stored = self._feedback.get(round_id, observer)
            notes = dict(stored.answers.notes)
            for key, lines in lines_by_criterion.items():
                if not notes.get(key, "").strip():
                    notes[key] = _joined(lines)
            if notes == stored.answers.notes:
                continue
            answers = ChecklistAnswers.model_validate(
                {**stored.answers.model_dump(), "notes": notes}
            )
            # The notes came from the observer's device; a checklist the trainer fills in the
            # app stays theirs.
            source = stored.filled_in if stored.status != ChecklistState.NONE else FilledIn.BROWSER
            saves.append(
                FeedbackSave(round_id, observer, answers, seen=stored.version, source=source)
            )
        results = self._feedback.save_many(saves)
        done = zip(saves, results, strict=True)
        return [save.observer for save, result in done if not isinstance(result, Exception)]


def _joined(lines: list[str]) -> str:
    """One line per note, as many whole lines as a checklist note holds."""
    kept: list[str] = []
    size = 0
    for line in lines:
        line = line[:MAX_ITEM_CHARS]
        if size + len(line) + (1 if kept else 0) > MAX_ITEM_CHARS:
            break
        size += len(line) + (1 if kept else 0)
        kept.append(line)
    return "\n".join(kept)
