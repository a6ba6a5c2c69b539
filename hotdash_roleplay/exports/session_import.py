"""Reading a session JSON export back: the file checked whole, and the rows it becomes.

The file is checked whole (size before parsing, then JSON, format, version, every field)
before anything is written. The transaction around the rows, and what counts as already
imported, is the session data service's (services/session_data.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
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
)
from hotdash_roleplay.store.models import (
    ChecklistSubmission,
    CriterionAnswer,
    DebriefItem,
    DecisionCorrection,
    ObserverNote,
    OperatorDecision,
    Participant,
    Person,
    PhaseEventRow,
    RoleAssignment,
    Round,
    TrainingSession,
)
from hotdash_roleplay.validation import describe


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


def _cut_short(text: str, pos: int) -> bool:
    """Whether the JSON error is the file ending early: nothing after it, or only the start of
    a last word (a file cut inside `null` fails at the `nu`)."""
    rest = text[pos:].rstrip()
    return not rest or any(word.startswith(rest) for word in ("null", "true", "false"))


def _parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        if _cut_short(text, exc.pos):
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


def add_session(
    db: Session, data: SessionData, person: Callable[[str], Person], join_code: str
) -> TrainingSession:
    """Add the file's session with every round to `db`; `person` gives the row for a name."""
    row = TrainingSession(
        uid=data.uid,
        title=data.title,
        trainer=data.trainer,
        plan_id=data.plan_id,
        plan=data.plan.model_dump(mode="json"),
        mode=data.mode,
        seed=data.seed,
        status=data.status,
        current_round=data.current_round,
        anonymous_feedback=data.anonymous_feedback,
        join_code=join_code,
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
    return row


def _round(r: RoundData, person: Callable[[str], Person]) -> Round:
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
            decision=d.decision,
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
            source=d.source,
            corrections=[
                DecisionCorrection(
                    reason=c.reason,
                    corrected_by=c.corrected_by,
                    corrected_at=c.corrected_at,
                    previous=c.previous.model_dump(mode="json"),
                )
                for c in d.corrections
            ],
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
    rnd.observer_notes = [
        ObserverNote(
            observer=person(o.observer),
            criterion=o.criterion,
            text=o.text,
            at_seconds=o.at_seconds,
            created_at=o.created_at,
        )
        for o in r.observer_notes
    ]
    return rnd
