"""Importing a session JSON export into this store, so a trainer can merge a colleague's session.

All or nothing: the file is checked whole (size before parsing, then JSON, format, version,
every field) before anything is written, and the rows go in one transaction. Idempotent: the
session's uid is kept, so importing the same file again finds it and adds nothing. People
are matched by name, case-insensitively (the store's name_key), and created when new."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.exports.session_data import (
    FORMAT,
    MAX_BYTES,
    READABLE_VERSIONS,
    VERSION,
    RoundData,
    SessionData,
    SessionFile,
    describe,
    name_key,
)
from hotdash_roleplay.store.engine import Store, store_failure
from hotdash_roleplay.store.models import (
    ChecklistSubmission,
    CriterionAnswer,
    DebriefItem,
    OperatorDecision,
    Participant,
    Person,
    PhaseEventRow,
    RoleAssignment,
    Round,
    TrainingSession,
)


class ImportResult(BaseModel):
    model_config = ConfigDict(frozen=True)

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


def read_session_file(path: Path) -> SessionFile:
    """The validated file, or UserError saying plainly what is wrong with it."""
    name = path.name or str(path)
    if not path.exists():
        raise UserError(f"There is no file {path}.")
    if not path.is_file():
        raise UserError(f"{path} is not a file.")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise UserError(
            f"{name} is {size / 1_048_576:.1f} MB; a session file can be at most "
            f"{MAX_BYTES // 1_048_576} MB. Nothing imported."
        )
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)  # the file may grow after stat()
    except OSError as exc:
        raise UserError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if len(raw) > MAX_BYTES:
        raise UserError(f"{name} is larger than {MAX_BYTES // 1_048_576} MB. Nothing imported.")
    if not raw.strip():
        raise UserError(f"{name} is empty. Nothing imported.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{name} is not a text (UTF-8) file. Nothing imported.") from None
    data = _parse_json(text, name)
    _check_header(data, name)
    try:
        return SessionFile.model_validate(data)
    except ValidationError as exc:
        raise UserError(f"{name} is not a valid session file: {describe(exc)}.") from None


def _reject_constant(value: str) -> Any:
    raise ValueError(f"{value} is not allowed")


def _parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            raise UserError(
                f"{name} ends too early (line {exc.lineno}): the file is truncated. "
                "Nothing imported."
            ) from None
        raise UserError(
            f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}. "
            "Nothing imported."
        ) from None
    except RecursionError:
        raise UserError(f"{name} is nested too deeply to be a session file.") from None
    except ValueError as exc:  # NaN/Infinity, or a number with thousands of digits
        raise UserError(f"{name} is not a valid session file: {exc}.") from None


def _check_header(data: Any, name: str) -> None:
    """Format and version first, so a wrong file gets one clear line rather than 50 errors."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(
            f'{name} is not a HotDash Role-Play session export (no "format": "{FORMAT}"). '
            "Nothing imported."
        )
    version = data.get("version")
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
        hint = " It was made by a newer version of the app; update to import it." if newer else ""
        raise UserError(
            f"{name} is in session format version {version!r}; this app reads versions "
            f"{READABLE_VERSIONS[0]} to {VERSION}.{hint} Nothing imported."
        )


def import_session(store: Store, path: Path, known_criteria: list[str]) -> ImportResult:
    file = read_session_file(Path(path))
    data = file.session
    unknown = sorted(
        {
            a.criterion
            for r in data.rounds
            for s in r.submissions
            for a in s.answers
            if a.criterion not in known_criteria
        }
    )
    if unknown:
        raise UserError(
            f"{Path(path).name} has checklist criteria this app does not know: "
            f"{', '.join(unknown)}. Nothing imported."
        )
    try:
        with store.session() as db:
            existing = db.scalar(select(TrainingSession).where(TrainingSession.uid == data.uid))
            result = _already(existing, data) if existing is not None else _insert(db, data)
            added = _merge_certification(db, file)
            db.commit()
            return result.model_copy(update={"certification_records": added})
    except IntegrityError:  # imported by someone else meanwhile: the uid is taken now
        with store.session() as db:
            existing = db.scalar(select(TrainingSession).where(TrainingSession.uid == data.uid))
            if existing is not None:
                return _already(existing, data)
        raise UserError("The session could not be stored; nothing imported.") from None
    except DBAPIError as exc:  # damage, a full disk, a lost server: said plainly
        raise store_failure(store, exc) from exc
    except SQLAlchemyError as exc:
        raise UserError(f"The session could not be stored ({exc.__class__.__name__}); "
                        "nothing imported.") from exc  # fmt: skip


def _merge_certification(db: Session, file: SessionFile) -> int:
    from hotdash_roleplay.exports.certification_data import merge_certification
    from hotdash_roleplay.services.people import get_or_create_person  # lazy: import cycle

    return merge_certification(db, file.certification, lambda n: get_or_create_person(db, n))


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
    from hotdash_roleplay.services.people import get_or_create_person  # lazy: import cycle
    from hotdash_roleplay.services.sessions import new_join_code

    before = set(db.scalars(select(Person.id)).all())
    people: dict[str, Person] = {}

    def person(name: str) -> Person:
        key = name_key(name)
        if key not in people:
            people[key] = get_or_create_person(db, name)
        return people[key]

    row = TrainingSession(
        uid=data.uid,
        title=data.title,
        trainer=data.trainer,
        plan_id=data.plan_id,
        plan=data.plan.model_dump(mode="json"),
        mode=data.mode.value,
        seed=data.seed,
        status=data.status,
        current_round=data.current_round,
        anonymous_feedback=data.anonymous_feedback,
        join_code=new_join_code(),
        notes=data.notes,
        created_at=data.created_at,
        finished_at=data.finished_at,
    )
    db.add(row)
    for p in data.participants:
        row.participants.append(Participant(person=person(p.name), position=p.position,
                                            active=p.active))  # fmt: skip
    for r in data.rounds:
        row.rounds.append(_round(r, person))
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


def _round(r: RoundData, person: Any) -> Round:
    rnd = Round(
        index=r.index,
        scenario_id=r.scenario_id,
        scenario_title=r.scenario.title,
        scenario=r.scenario.model_dump(mode="json"),
        status=r.status,
        clock_state=r.clock_state.model_dump(mode="json") if r.clock_state else None,
        feedback_open=False,  # no observer server runs for an imported session
        debrief_question=r.debrief_question,
        expert_revealed=r.expert_revealed,
        decision_draft=r.decision_draft.model_dump(mode="json") if r.decision_draft else None,
    )
    rnd.roles = [RoleAssignment(person=person(x.person), role=x.role) for x in r.roles]
    rnd.events = [
        PhaseEventRow(
            seq=e.seq,
            kind=e.kind,
            phase_index=e.phase_index,
            at_wall=e.at_wall,
            delta_seconds=e.delta_seconds,
        )
        for e in r.events
    ]
    if r.decision:
        d = r.decision
        rnd.decision = OperatorDecision(
            operator=person(d.operator),
            decision=d.decision.value,
            final_reply=d.final_reply,
            rejection_note=d.rejection_note.model_dump(mode="json") if d.rejection_note else None,
            escalation_note=(
                d.escalation_note.model_dump(mode="json") if d.escalation_note else None
            ),
            seconds_to_decide=d.seconds_to_decide,
            matched_expert=d.matched_expert,
            assessed_correct=d.assessed_correct,
            assessment_reason=d.assessment_reason,
            recorded_at=d.recorded_at,
        )
    rnd.submissions = [
        ChecklistSubmission(
            observer=person(s.observer),
            status=s.status,
            went_well=list(s.went_well),
            could_improve=list(s.could_improve),
            updated_at=s.updated_at,
            submitted_at=s.submitted_at,
            answers=[
                CriterionAnswer(criterion=a.criterion, mark=a.mark, note=a.note) for a in s.answers
            ],
        )
        for s in r.submissions
    ]
    rnd.notes = [DebriefItem(kind=n.kind, position=n.position, text=n.text) for n in r.notes]
    return rnd
