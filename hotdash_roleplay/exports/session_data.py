"""A whole session as data: JSON (the format `import` reads back) and CSV (for spreadsheets).

The JSON file is a `SessionFile`: the format name, its version, and the session with every
round, decision (with its corrections), checklist, observer note, phase event and debrief
note. People travel by name (they are matched by name on import). The same pydantic models
validate what we write and what we read, with `extra="forbid"` and a length limit on every
string and list, so an export is always importable and a hostile file is refused field by
field.

CSV: one row per checklist criterion answer, per decision (its corrections, and any decision
draft left unrecorded), per observer note and per phase event (plus feedback items and debrief
notes), told apart by `record_type`. A text cell that a
spreadsheet would run as a formula (starting with = + - @) is prefixed with an apostrophe."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hotdash_roleplay import __version__
from hotdash_roleplay.checklist import Mark
from hotdash_roleplay.clock import ClockState, EventKind, clock_stamp
from hotdash_roleplay.decisions import Decision, DecisionDraft, parse_draft
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.exports.certification_data import (
    PersonCertificationData,
    certification_export,
)
from hotdash_roleplay.exports.files import check_target, write_atomically
from hotdash_roleplay.names import name_key
from hotdash_roleplay.notes import EscalationNote, RejectionNote
from hotdash_roleplay.plans import PlanMode
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.scenarios import Scenario
from hotdash_roleplay.status import (
    DebriefKind,
    DecisionSource,
    RoundStatus,
    SessionStatus,
    SubmissionStatus,
)
from hotdash_roleplay.store.models import (
    ChecklistSubmission,
    DecisionCorrection,
    ObserverNote,
    OperatorDecision,
    Participant,
    RoleAssignment,
    Round,
    TrainingSession,
)
from hotdash_roleplay.validation import describe

FORMAT: Final = "hotdash-roleplay-session"
# 2 added rounds[].decision_draft and certification; 3 a decision's source and corrections,
# and rounds[].observer_notes
VERSION: Final = 3
READABLE_VERSIONS = (1, 2, 3)
MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = (".json", ".csv")

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Key = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Short = Annotated[str, StringConstraints(max_length=200)]
Item = Annotated[str, StringConstraints(max_length=2000)]
Note = Annotated[str, StringConstraints(max_length=10_000)]
Reply = Annotated[str, StringConstraints(max_length=20_000)]
LongText = Annotated[str, StringConstraints(max_length=100_000)]
Uid = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,36}$")]
Seconds = Annotated[float, Field(ge=0, le=10_000_000, allow_inf_nan=False)]
Small = Annotated[int, Field(ge=0, le=1000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PhaseData(_Strict):
    key: Key
    title: Short
    seconds: Annotated[int, Field(ge=0, le=36_000)]


class PlanData(_Strict):
    id: Key
    title: Short
    mode: PlanMode
    drill: bool = False
    phases: Annotated[list[PhaseData], Field(min_length=1, max_length=20)]


class ParticipantData(_Strict):
    name: Name
    position: Small
    active: bool = True


class RoleData(_Strict):
    person: Name
    role: Role


class EventData(_Strict):
    seq: Annotated[int, Field(ge=0, le=100_000)]
    kind: EventKind
    phase_index: Annotated[int, Field(ge=0, le=20)]
    at_wall: Annotated[float, Field(allow_inf_nan=False)]
    delta_seconds: Annotated[int, Field(ge=-36_000, le=36_000)] | None = None


class PreviousDecision(_Strict):
    decision: Decision
    final_reply: Reply = ""
    rejection_note: RejectionNote | None = None
    escalation_note: EscalationNote | None = None


class CorrectionData(_Strict):
    """The trainer corrected the decision: why, who, when, and what it was before."""

    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    corrected_by: Name | Literal[""] = ""
    corrected_at: datetime
    previous: PreviousDecision


class DecisionData(_Strict):
    operator: Name
    decision: Decision
    final_reply: Reply = ""
    rejection_note: RejectionNote | None = None
    escalation_note: EscalationNote | None = None
    seconds_to_decide: Seconds | None = None
    matched_expert: bool | None = None
    assessed_correct: bool | None = None
    assessment_reason: Item = ""
    recorded_at: datetime
    source: DecisionSource = DecisionSource.CONSOLE  # version 3
    corrections: Annotated[list[CorrectionData], Field(max_length=100)] = []  # oldest first


class AnswerData(_Strict):
    criterion: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    mark: Mark | None = None
    note: Item = ""


class SubmissionData(_Strict):
    observer: Name
    status: SubmissionStatus
    went_well: Annotated[list[Item], Field(max_length=10)] = []
    could_improve: Annotated[list[Item], Field(max_length=10)] = []
    updated_at: datetime
    submitted_at: datetime | None = None
    answers: Annotated[list[AnswerData], Field(max_length=40)] = []

    @model_validator(mode="after")
    def _unique_criteria(self) -> SubmissionData:
        _unique([a.criterion for a in self.answers], "criterion")
        return self


class ObserverNoteData(_Strict):
    """An observer's note taken during the role-play (version 3)."""

    observer: Name
    criterion: Annotated[str, StringConstraints(min_length=1, max_length=40)]  # or "general"
    text: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    at_seconds: Seconds  # the role-play clock when it was taken
    created_at: datetime


class NoteData(_Strict):
    kind: DebriefKind
    position: Small
    text: Note


class RoundData(_Strict):
    index: Annotated[int, Field(ge=0, le=99)]
    scenario_id: Key
    scenario: Scenario
    status: RoundStatus
    clock_state: ClockState | None = None
    debrief_question: Small = 0
    expert_revealed: bool = False
    roles: Annotated[list[RoleData], Field(max_length=60)] = []
    events: Annotated[list[EventData], Field(max_length=5000)] = []
    decision: DecisionData | None = None
    decision_draft: DecisionDraft | None = None  # typed in the console, never recorded
    submissions: Annotated[list[SubmissionData], Field(max_length=60)] = []
    notes: Annotated[list[NoteData], Field(max_length=200)] = []
    observer_notes: Annotated[list[ObserverNoteData], Field(max_length=20_000)] = []

    @model_validator(mode="after")
    def _consistent(self) -> RoundData:
        n = self.index + 1
        _unique([name_key(r.person) for r in self.roles], f"round {n}: person")
        _unique([e.seq for e in self.events], f"round {n}: event seq")
        _unique([(x.kind, x.position) for x in self.notes], f"round {n}: debrief note")
        _unique([name_key(s.observer) for s in self.submissions], f"round {n}: checklist of")
        operators = [name_key(r.person) for r in self.roles if r.role == Role.OPERATOR]
        if len(operators) > 1:
            raise ValueError(f"round {n} has more than one operator")
        if self.decision and [name_key(self.decision.operator)] != operators:
            raise ValueError(f"round {n}: the decision's operator is not the round's operator")
        observers = {name_key(r.person) for r in self.roles if r.role == Role.OBSERVER}
        for s in self.submissions:
            if name_key(s.observer) not in observers:
                raise ValueError(f"round {n}: {s.observer!r} filled a checklist but is not an "
                                 "observer in it")  # fmt: skip
        for o in self.observer_notes:
            if name_key(o.observer) not in observers:
                raise ValueError(f"round {n}: {o.observer!r} took a note but is not an "
                                 "observer in it")  # fmt: skip
        return self


class SessionData(_Strict):
    uid: Uid
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    trainer: Short = ""
    plan_id: Key
    plan: PlanData
    mode: PlanMode
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0
    status: SessionStatus
    current_round: Annotated[int, Field(ge=0, le=100)] = 0
    anonymous_feedback: bool = False
    notes: LongText = ""
    created_at: datetime
    finished_at: datetime | None = None
    participants: Annotated[list[ParticipantData], Field(max_length=60)]
    rounds: Annotated[list[RoundData], Field(max_length=100)]

    @model_validator(mode="after")
    def _consistent(self) -> SessionData:
        names = {name_key(p.name) for p in self.participants}
        _unique([name_key(p.name) for p in self.participants], "participant")
        if [r.index for r in self.rounds] != list(range(len(self.rounds))):
            raise ValueError("rounds must be numbered 0, 1, 2 ... in order")
        if self.current_round > len(self.rounds):
            raise ValueError("current_round is past the last round")
        keys = [p.key for p in self.plan.phases]
        for r in self.rounds:
            people = {name_key(x.person) for x in r.roles}
            if not people <= names:
                raise ValueError(f"round {r.index + 1} names someone who is not a participant")
            if r.clock_state and r.clock_state.phase_keys != keys:
                raise ValueError(f"round {r.index + 1}: the clock's phases are not the plan's")
        return self


class SessionFile(_Strict):
    format: Literal["hotdash-roleplay-session"]
    version: Literal[1, 2, 3]
    exported_at: datetime
    app_version: Annotated[str, StringConstraints(max_length=40)] = ""
    session: SessionData
    # The participants' certification records (absent from older exports).
    certification: Annotated[list[PersonCertificationData], Field(max_length=60)] = []


def _unique(values: list[Any], what: str) -> None:
    seen: set[Any] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"{what} {v!r} appears twice")
        seen.add(v)


# -- export ---------------------------------------------------------------------------------


def read_session(db: Session, session_id: int) -> SessionFile:
    """The session as its export document, read through an open ORM session."""
    row = db.scalar(
        select(TrainingSession)
        .where(TrainingSession.id == session_id)
        .options(
            selectinload(TrainingSession.participants).selectinload(Participant.person),
            *(
                selectinload(TrainingSession.rounds).selectinload(x)
                for x in (Round.events, Round.notes)
            ),
            selectinload(TrainingSession.rounds)
            .selectinload(Round.roles)
            .selectinload(RoleAssignment.person),
            selectinload(TrainingSession.rounds)
            .selectinload(Round.observer_notes)
            .selectinload(ObserverNote.observer),
            selectinload(TrainingSession.rounds)
            .selectinload(Round.decision)
            .selectinload(OperatorDecision.corrections),
            selectinload(TrainingSession.rounds)
            .selectinload(Round.decision)
            .selectinload(OperatorDecision.operator),
            selectinload(TrainingSession.rounds)
            .selectinload(Round.submissions)
            .selectinload(ChecklistSubmission.answers),
            selectinload(TrainingSession.rounds)
            .selectinload(Round.submissions)
            .selectinload(ChecklistSubmission.observer),
        )
    )
    if row is None:
        raise UserError(f"There is no session {session_id}.")
    raw = _session_dict(row)
    certification = certification_export(db, [p.person for p in row.participants])
    try:
        session = SessionData.model_validate(raw)
    except ValidationError as exc:
        raise UserError(f"This session cannot be exported: {describe(exc)}") from exc
    return SessionFile(
        format=FORMAT,
        version=VERSION,
        exported_at=datetime.now(UTC),
        app_version=__version__,
        session=session,
        certification=certification,
    )


def write_session_file(data: SessionFile, path: Path | str) -> Path:
    """JSON or CSV, by the file name's extension."""
    target = check_target(path, SUFFIXES)
    if target.suffix.lower() == ".csv":
        text = to_csv(data)
        return write_atomically(target, lambda p: p.write_text(text, encoding="utf-8-sig"))
    text = data.model_dump_json(indent=2)
    return write_atomically(target, lambda p: p.write_text(text, encoding="utf-8"))


def _session_dict(row: TrainingSession) -> dict[str, Any]:
    return {
        "uid": row.uid,
        "title": row.title,
        "trainer": row.trainer,
        "plan_id": row.plan_id,
        "plan": row.plan,
        "mode": row.mode,
        "seed": row.seed,
        "status": row.status,
        "current_round": row.current_round,
        "anonymous_feedback": row.anonymous_feedback,
        "notes": row.notes,
        "created_at": row.created_at,
        "finished_at": row.finished_at,
        "participants": [
            {"name": p.person.name, "position": p.position, "active": p.active}
            for p in row.participants
        ],
        "rounds": [_round_dict(r) for r in row.rounds],
    }


def _round_dict(r: Round) -> dict[str, Any]:
    d = r.decision
    return {
        "index": r.index,
        "scenario_id": r.scenario_id,
        "scenario": r.scenario,
        "status": r.status,
        "clock_state": r.clock_state,
        "debrief_question": r.debrief_question,
        "expert_revealed": r.expert_revealed,
        "roles": [
            {"person": a.person.name, "role": a.role}
            for a in sorted(r.roles, key=lambda a: (a.role, a.person.name_key))
        ],
        "events": [
            {
                "seq": e.seq,
                "kind": e.kind,
                "phase_index": e.phase_index,
                "at_wall": e.at_wall,
                "delta_seconds": e.delta_seconds,
            }
            for e in r.events
        ],
        "decision": None
        if d is None
        else {
            "operator": d.operator.name,
            "decision": d.decision,
            "final_reply": d.final_reply,
            "rejection_note": d.rejection_note,
            "escalation_note": d.escalation_note,
            "seconds_to_decide": d.seconds_to_decide,
            "matched_expert": d.matched_expert,
            "assessed_correct": d.assessed_correct,
            "assessment_reason": d.assessment_reason,
            "recorded_at": d.recorded_at,
            "source": d.source,
            "corrections": [_correction_dict(c) for c in d.corrections],
        },
        "decision_draft": parse_draft(r.decision_draft),
        "submissions": [
            {
                "observer": s.observer.name,
                "status": s.status,
                "went_well": list(s.went_well),
                "could_improve": list(s.could_improve),
                "updated_at": s.updated_at,
                "submitted_at": s.submitted_at,
                "answers": [
                    {"criterion": a.criterion, "mark": a.mark, "note": a.note}
                    for a in sorted(s.answers, key=lambda a: a.criterion)
                ],
            }
            for s in sorted(r.submissions, key=lambda s: s.observer.name_key)
        ],
        "notes": [
            {"kind": n.kind, "position": n.position, "text": n.text}
            for n in sorted(r.notes, key=lambda n: (n.kind, n.position))
        ],
        "observer_notes": [
            {
                "observer": o.observer.name,
                "criterion": o.criterion,
                "text": o.text,
                "at_seconds": o.at_seconds,
                "created_at": o.created_at,
            }
            for o in sorted(r.observer_notes, key=lambda o: (o.at_seconds, o.id))
        ],
    }


def _correction_dict(c: DecisionCorrection) -> dict[str, Any]:
    return {
        "reason": c.reason,
        "corrected_by": c.corrected_by,
        "corrected_at": c.corrected_at,
        "previous": c.previous,
    }


# -- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "record_type",
    "session_uid",
    "session_title",
    "round",
    "scenario_id",
    "scenario_title",
    "person",
    "role",
    "status",
    "criterion",
    "mark",
    "decision",
    "seconds_to_decide",
    "expert_decision",
    "matched_expert",
    "event_kind",
    "phase",
    "at",
    "delta_seconds",
    "question",
    "text",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet shows as typed rather than running it as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(data: SessionFile) -> str:
    s = data.session
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    keys = [p.key for p in s.plan.phases]

    def row(record_type: str, r: RoundData, **fields: object) -> None:
        base: dict[str, object] = {
            "record_type": record_type,
            "session_uid": s.uid,
            "session_title": s.title,
            "round": r.index + 1,
            "scenario_id": r.scenario_id,
            "scenario_title": r.scenario.title,
        }
        base.update(fields)
        writer.writerow(
            {k: spreadsheet_safe(v) if isinstance(v, str) else _cell(v) for k, v in base.items()}
        )

    for r in s.rounds:
        if r.decision:
            d = r.decision
            row(
                "decision", r, person=d.operator, role=Role.OPERATOR, decision=d.decision.value,
                seconds_to_decide=d.seconds_to_decide, matched_expert=d.matched_expert,
                expert_decision=r.scenario.expert.wording if r.scenario.expert else "",
                at=d.recorded_at.isoformat(), text=d.final_reply, status=d.source.value,
            )  # fmt: skip
            for c in d.corrections:
                row(
                    "decision_correction", r, person=c.corrected_by, decision=d.decision.value,
                    status=c.previous.decision.value, at=c.corrected_at.isoformat(),
                    text=c.reason,
                )  # fmt: skip
        if r.decision_draft:
            draft = r.decision_draft
            operator = next((x.person for x in r.roles if x.role == Role.OPERATOR), "")
            row(
                "decision_draft", r, person=operator, role=Role.OPERATOR,
                decision=draft.decision.value if draft.decision else "", text=draft.summary(),
            )  # fmt: skip
        for sub in r.submissions:
            for a in sub.answers:
                row(
                    "criterion_answer", r, person=sub.observer, role=Role.OBSERVER,
                    status=sub.status, criterion=a.criterion, mark=a.mark or "", text=a.note,
                )  # fmt: skip
            for kind, items in (("went_well", sub.went_well), ("could_improve", sub.could_improve)):
                for item in items:
                    row(kind, r, person=sub.observer, role=Role.OBSERVER, status=sub.status,
                        text=item)  # fmt: skip
        for o in r.observer_notes:
            row(
                "observer_note", r, person=o.observer, role=Role.OBSERVER,
                criterion=o.criterion, at=clock_stamp(o.at_seconds), text=o.text,
            )  # fmt: skip
        for e in r.events:
            row(
                "phase_event", r, event_kind=e.kind,
                phase=keys[e.phase_index] if e.phase_index < len(keys) else e.phase_index,
                at=datetime.fromtimestamp(e.at_wall, UTC).isoformat(),
                delta_seconds=e.delta_seconds,
            )  # fmt: skip
        questions = r.scenario.debrief_questions
        for n in r.notes:
            asked = n.kind == DebriefKind.QUESTION_NOTE and n.position < len(questions)
            row(n.kind, r, question=questions[n.position] if asked else "", text=n.text)
    return out.getvalue()


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}"
    return value
