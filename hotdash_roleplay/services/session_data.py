"""A whole session as a file: exported as JSON or CSV, and a JSON export imported back, so a
trainer can merge a colleague's session (the format is exports/session_data.py's).

Importing is all or nothing: the file is checked whole before anything is written, and the rows
go in one transaction. Idempotent: the session's uid is kept, so importing the same file again
finds it and adds nothing. People are matched by name, case-insensitively (the store's
name_key), and created when new."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.exports.certification_data import merge_certification
from hotdash_roleplay.exports.session_data import (
    SessionData,
    SessionFile,
    read_session,
    write_session_file,
)
from hotdash_roleplay.exports.session_import import add_session, read_session_file
from hotdash_roleplay.names import name_key
from hotdash_roleplay.services.people import get_or_create_person
from hotdash_roleplay.services.room_notes import GENERAL
from hotdash_roleplay.services.sessions import new_join_code
from hotdash_roleplay.services.views import View
from hotdash_roleplay.store.engine import Store, store_failure
from hotdash_roleplay.store.models import Person, TrainingSession


class ImportResult(View):
    imported: bool  # False: the session was already in this store
    session_id: int
    uid: str
    title: str
    rounds: int
    people_added: int
    certification_records: int = 0  # certification records the store did not have yet

    @property
    def message(self) -> str:
        certification = (
            f" {self.certification_records} certification records added."
            if self.certification_records
            else ""
        )
        if not self.imported:
            nothing = "" if certification else " nothing imported."
            return (
                f"Session {self.title!r} is already in this store (session {self.session_id});"
                f"{nothing}{certification}"
            )
        people = f"{self.people_added} new " + ("person" if self.people_added == 1 else "people")
        return (
            f"Imported session {self.title!r} as session {self.session_id}: "
            f"{self.rounds} rounds, {people}.{certification}"
        )


class SessionDataService:
    """Export a session as JSON or CSV, and import a JSON export."""

    def __init__(self, store: Store, known_criteria: list[str]) -> None:
        self._store = store
        self._criteria = known_criteria

    def export(self, session_id: int, path: Path | str) -> Path:
        """JSON or CSV, by the file name's extension."""
        return self.write(self.session_file(session_id), path)

    @staticmethod
    def write(file: SessionFile, path: Path | str) -> Path:
        """A session file already read, as JSON or CSV by the name's extension (no store work:
        the app reads on its store worker and writes off it)."""
        return write_session_file(file, path)

    def session_file(self, session_id: int) -> SessionFile:
        with self._store.session() as db:
            return read_session(db, session_id)

    def import_file(self, path: Path | str) -> ImportResult:
        path = Path(path)
        file = read_session_file(path)
        data = file.session
        self._check_criteria(data, path.name)
        try:
            with self._store.session() as db:
                existing = db.scalar(select(TrainingSession).where(TrainingSession.uid == data.uid))
                result = _already(existing, data) if existing is not None else _insert(db, data)
                added = merge_certification(
                    db, file.certification, lambda n: get_or_create_person(db, n)
                )
                db.commit()
                return result.model_copy(update={"certification_records": added})
        except IntegrityError:  # imported by someone else meanwhile: the uid is taken now
            with self._store.session() as db:
                existing = db.scalar(select(TrainingSession).where(TrainingSession.uid == data.uid))
                if existing is not None:
                    return _already(existing, data)
            raise UserError("The session could not be stored; nothing imported.") from None
        except DBAPIError as exc:  # damage, a full disk, a lost server: said plainly
            raise store_failure(self._store, exc) from exc
        except SQLAlchemyError as exc:
            raise UserError(f"The session could not be stored ({exc.__class__.__name__}); "
                            "nothing imported.") from exc  # fmt: skip

    def _check_criteria(self, data: SessionData, name: str) -> None:
        unknown = sorted(
            {
                a.criterion
                for r in data.rounds
                for s in r.submissions
                for a in s.answers
                if a.criterion not in self._criteria
            }
            | {
                n.criterion
                for r in data.rounds
                for n in r.observer_notes
                if n.criterion != GENERAL and n.criterion not in self._criteria
            }
        )
        if unknown:
            raise UserError(
                f"{name} has checklist criteria this app does not know: "
                f"{', '.join(unknown)}. Nothing imported."
            )


def _already(row: TrainingSession, data: SessionData) -> ImportResult:
    return ImportResult(
        imported=False,
        session_id=row.id,
        uid=row.uid,
        title=row.title,
        rounds=len(data.rounds),
        people_added=0,
    )


def _insert(db: Session, data: SessionData) -> ImportResult:
    before = set(db.scalars(select(Person.id)).all())
    people: dict[str, Person] = {}

    def person(name: str) -> Person:
        key = name_key(name)
        if key not in people:
            people[key] = get_or_create_person(db, name)
        return people[key]

    row = add_session(db, data, person, new_join_code())
    db.flush()
    added = len(set(db.scalars(select(Person.id)).all()) - before)
    return ImportResult(
        imported=True,
        session_id=row.id,
        uid=row.uid,
        title=row.title,
        rounds=len(data.rounds),
        people_added=added,
    )
