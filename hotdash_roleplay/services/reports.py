"""Reading what the PDFs print from the store, in one go, into the report models of
exports/report_data.py; and writing the debrief report and the peer-review record.

In the debrief report (for managers), anonymous sessions (`anonymous_feedback`) never carry
observer names next to feedback: they are labelled "Observer 1", "Observer 2" ... by submission
order, here, so no layout can leak them. The peer-review record is the certification file's
evidence and always says who gave each checklist."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hotdash_roleplay.checklist import Checklist, ChecklistAnswers, Mark, aggregate
from hotdash_roleplay.clock import ClockState, PhaseClock, PhaseSpec
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.exports.files import check_target
from hotdash_roleplay.exports.report_data import (
    CorrectionInfo,
    CriterionLine,
    CriterionSummary,
    DecisionInfo,
    ObserverChecklist,
    ObserverRound,
    OperatorRound,
    PersonRecord,
    PhaseTime,
    QuestionNote,
    RoundReport,
    SessionReport,
    TimelineEntry,
    participant_summary,
    patterns,
)
from hotdash_roleplay.notes import EscalationNote, RejectionNote, RequestedDecision, Urgency
from hotdash_roleplay.played import round_played
from hotdash_roleplay.room_records import DECISION_ENTRY, decision_moment
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.scenarios import expert_of
from hotdash_roleplay.services.people import find_person
from hotdash_roleplay.services.room_notes import note_topic
from hotdash_roleplay.status import DebriefKind, RoundStatus, SubmissionStatus
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import (
    ChecklistSubmission,
    ObserverNote,
    OperatorDecision,
    Participant,
    Person,
    RoleAssignment,
    Round,
    TrainingSession,
)


class ReportService:
    """Reads what the debrief report and the peer-review record print, and writes them."""

    def __init__(
        self, store: Store, checklist: Checklist, wall: Callable[[], float] = time.time
    ) -> None:
        self._store = store
        self._checklist = checklist
        self._wall = wall  # a round still running counts up to now

    def session_report(self, session_id: int) -> SessionReport:
        with self._store.session() as db:
            row = db.scalar(
                select(TrainingSession)
                .where(TrainingSession.id == session_id)
                .options(
                    selectinload(TrainingSession.participants).selectinload(Participant.person),
                    *_round_loads(selectinload(TrainingSession.rounds)),
                )
            )
            if row is None:
                raise UserError(f"There is no session {session_id}.")
            rounds = tuple(self._round(r, row) for r in row.rounds)
            phases = tuple((str(p["title"]), int(p["seconds"])) for p in row.plan["phases"])
            return SessionReport(
                id=row.id,
                uid=row.uid,
                title=row.title,
                trainer=row.trainer,
                plan_title=str(row.plan.get("title", row.plan_id)),
                mode=row.mode,
                status=row.status,
                created_at=row.created_at,
                finished_at=row.finished_at,
                anonymous_feedback=row.anonymous_feedback,
                participants=tuple(p.person.name for p in row.participants if p.active),
                departed=tuple(p.person.name for p in row.participants if not p.active),
                notes=row.notes,
                phases=phases,
                rounds=rounds,
                people=tuple(participant_summary(p.person.name, rounds) for p in row.participants),
                patterns=patterns(rounds, self._checklist),
                generated_at=datetime.now(UTC),
            )

    def person_record(
        self, ref: str, date_from: date | None = None, date_to: date | None = None
    ) -> PersonRecord:
        """One participant's rounds as operator and as observer, oldest first."""
        if date_from and date_to and date_from > date_to:
            raise UserError(f"The period is empty: {date_from} is after {date_to}.")
        with self._store.session() as db:
            person = find_person(db, ref)
            rows = self._person_rounds(db, person)
            operator_rounds: list[OperatorRound] = []
            observer_rounds: list[ObserverRound] = []
            roles: dict[Role, int] = defaultdict(int)
            sessions: set[int] = set()
            for rnd in rows:
                session = rnd.session
                if not _in_period(session.created_at, date_from, date_to):
                    continue
                role = next(a.role for a in rnd.roles if a.person_id == person.id)
                roles[role] += 1
                sessions.add(session.id)
                if role == Role.OPERATOR:
                    operator_rounds.append(
                        OperatorRound(
                            session_title=session.title,
                            session_date=session.created_at,
                            round=self._round(rnd, session, anonymous=False),
                        )
                    )
                elif role == Role.OBSERVER:
                    own = next((s for s in rnd.submissions if s.observer_id == person.id), None)
                    operator = _role_name(rnd, Role.OPERATOR) or "the trainer"
                    observer_rounds.append(
                        ObserverRound(
                            session_title=session.title,
                            session_date=session.created_at,
                            round_number=rnd.index + 1,
                            scenario_title=_title(rnd),
                            operator=operator,
                            checklist=(
                                self._checklist_of(own, person.name, operator) if own else None
                            ),
                            notes=tuple(
                                self._note_entry(n, person.name)
                                for n in rnd.observer_notes
                                if n.observer_id == person.id
                            ),
                        )
                    )
            return PersonRecord(
                name=person.name,
                date_from=date_from,
                date_to=date_to,
                sessions=len(sessions),
                rounds_by_role=dict(roles),
                operator_rounds=tuple(operator_rounds),
                observer_rounds=tuple(observer_rounds),
                generated_at=datetime.now(UTC),
            )

    def export_debrief(self, session_id: int, path: Path | str) -> Path:
        """The session's debrief report as a PDF; a target that cannot be written is refused
        before anything is read."""
        target = check_target(path)
        return self.write_debrief(self.session_report(session_id), target)

    def export_peer_review(
        self,
        ref: str,
        path: Path | str,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> Path:
        """The person's peer-review record (optionally within a period) as a PDF."""
        target = check_target(path)
        return self.write_peer_review(self.person_record(ref, date_from, date_to), target)

    # Building a PDF from what was read is no store work: the app reads on its store worker
    # and builds off it, so a second-long PDF does not hold up the store's other work.

    @staticmethod
    def write_debrief(report: SessionReport, path: Path | str) -> Path:
        """The debrief report PDF of a session report already read."""
        from hotdash_roleplay.exports.debrief_pdf import build_debrief_pdf  # reportlab

        return build_debrief_pdf(report, check_target(path))

    @staticmethod
    def write_peer_review(record: PersonRecord, path: Path | str) -> Path:
        """The peer-review record PDF of a person's record already read."""
        from hotdash_roleplay.exports.peer_review_pdf import build_peer_review_pdf  # reportlab

        return build_peer_review_pdf(record, check_target(path))

    # -- internals ----------------------------------------------------------------------------

    def _phase_times(self, rnd: Round, session: TrainingSession) -> tuple[PhaseTime, ...]:
        """Planned vs actual: the summary of the round's own clock, rebuilt from its saved state
        (a running phase counts up to now)."""
        phases = [
            PhaseSpec(str(p["key"]), str(p["title"]), int(p["seconds"]))
            for p in session.plan["phases"]
        ]
        try:
            state = ClockState.model_validate(rnd.clock_state)
            clock = PhaseClock.from_state(state, phases, wall=self._wall)
        except ValueError:  # a state for other phases than the plan's: nothing to compare
            return ()
        return tuple(PhaseTime.of(p) for p in clock.summary())

    @staticmethod
    def _person_rounds(db: Session, person: Person) -> list[Round]:
        mine = select(RoleAssignment.round_id).where(RoleAssignment.person_id == person.id)
        rows = db.scalars(
            select(Round)
            .join(TrainingSession, TrainingSession.id == Round.session_id)
            .where(Round.id.in_(mine), Round.status != RoundStatus.PENDING)
            .order_by(TrainingSession.created_at, TrainingSession.id, Round.index)
            .options(selectinload(Round.session), *_round_loads(None))
        ).all()
        return [r for r in rows if round_played(r.status, r.clock_state)]

    def _round(
        self, rnd: Round, session: TrainingSession, anonymous: bool | None = None
    ) -> RoundReport:
        operator = _role_name(rnd, Role.OPERATOR)
        submitted = [s for s in rnd.submissions if s.status == SubmissionStatus.SUBMITTED]
        hide = session.anonymous_feedback if anonymous is None else anonymous
        labelled = _observer_labels(submitted, hide)
        checklists = tuple(
            self._checklist_of(s, label, operator or "the trainer") for s, label in labelled
        )
        answers = [_answers(s) for s in submitted]
        agg = aggregate(answers, self._checklist)
        questions = [str(q) for q in rnd.scenario.get("debrief_questions", [])]
        notes = {n.position: n.text for n in rnd.notes if n.kind == DebriefKind.QUESTION_NOTE}
        expert = expert_of(rnd.scenario)
        played = round_played(rnd.status, rnd.clock_state)
        return RoundReport(
            number=rnd.index + 1,
            scenario_id=rnd.scenario_id,
            scenario_title=_title(rnd),
            status=rnd.status,
            played=played,
            operator=operator,
            ai_system=_role_name(rnd, Role.AI_SYSTEM),
            facilitator=_role_name(rnd, Role.FACILITATOR),
            observers=tuple(sorted(a.person.name for a in rnd.roles if a.role == Role.OBSERVER)),
            setup=tuple(str(s) for s in rnd.scenario.get("setup", [])),
            expert_decision=expert.wording if expert else "",
            expert_rationale=expert.rationale if expert else "",
            expert_approach=expert.approach if expert else "",
            decision=_decision_info(rnd.decision) if rnd.decision else None,
            phases=self._phase_times(rnd, session) if played else (),
            submitted=len(submitted),
            summary=tuple(
                CriterionSummary(
                    name=t.name,
                    question=t.question,
                    met=t.met,
                    not_met=t.not_met,
                    not_observed=t.not_observed,
                    unmarked=t.unmarked,
                    disagreement=t.disagreement,
                )
                for t in agg.criteria
            ),
            checklists=checklists,
            timeline=self._timeline(rnd, {s.observer_id: label for s, label in labelled}, hide),
            debrief=tuple(
                QuestionNote(question=q, note=notes.get(i, "")) for i, q in enumerate(questions)
            )
            + tuple(  # notes kept for questions the snapshot no longer has
                QuestionNote(question=f"Question {i + 1}", note=t)
                for i, t in sorted(notes.items())
                if i >= len(questions) and t.strip()
            ),
            takeaways=tuple(n.text for n in rnd.notes if n.kind == DebriefKind.TAKEAWAY),
            actions=tuple(n.text for n in rnd.notes if n.kind == DebriefKind.ACTION),
        )

    def _timeline(
        self, rnd: Round, labels: dict[int, str], anonymous: bool
    ) -> tuple[TimelineEntry, ...]:
        """The round's observer notes and the operator's decision on the role-play clock. In an
        anonymous session a note carries its observer's checklist label ("Observer 2"); one who
        submitted none is numbered after them, by their first note (never by name)."""
        names = dict(labels)
        for n in sorted(rnd.observer_notes, key=lambda n: (n.at_seconds, n.id)):
            if n.observer_id not in names:
                names[n.observer_id] = (
                    f"Observer {len(names) + 1}" if anonymous else n.observer.name
                )
        entries = [
            self._note_entry(n, names[n.observer_id] if anonymous else n.observer.name)
            for n in rnd.observer_notes
        ]
        d = rnd.decision
        if d is not None and d.seconds_to_decide is not None:
            info = _decision_info(d)
            entries.append(
                TimelineEntry(
                    at_seconds=d.seconds_to_decide,
                    topic=DECISION_ENTRY,
                    author=d.operator.name,
                    text=decision_moment(info.original_label, info.source, info.label),
                )
            )
        return tuple(sorted(entries, key=lambda e: e.at_seconds))

    def _note_entry(self, n: ObserverNote, author: str) -> TimelineEntry:
        names = {c.key: c.name for c in self._checklist.criteria}
        topic = note_topic(n.criterion, names)
        return TimelineEntry(at_seconds=n.at_seconds, topic=topic, author=author, text=n.text)

    def _checklist_of(
        self, sub: ChecklistSubmission, label: str, operator: str
    ) -> ObserverChecklist:
        by_key = {a.criterion: a for a in sub.answers}
        lines = []
        for c in self._checklist.criteria:
            answer = by_key.pop(c.key, None)
            lines.append(
                CriterionLine(
                    name=c.name,
                    question=c.question,
                    mark=answer.mark if answer else None,
                    note=answer.note if answer else "",
                )
            )
        for key, answer in sorted(by_key.items()):  # criteria no longer in the checklist
            lines.append(CriterionLine(name=key, question="", mark=answer.mark, note=answer.note))
        return ObserverChecklist(
            observer=label,
            status=sub.status,
            submitted_at=sub.submitted_at,
            operator=operator,
            criteria=tuple(lines),
            went_well=_filled(sub.went_well),
            could_improve=_filled(sub.could_improve),
        )


def _round_loads(base: Any) -> list[Any]:
    """Eager loads for everything a round report reads (one query per relationship)."""

    def chain(attr: Any) -> Any:
        return base.selectinload(attr) if base is not None else selectinload(attr)

    return [
        chain(Round.roles).selectinload(RoleAssignment.person),
        chain(Round.decision).selectinload(OperatorDecision.operator),
        chain(Round.decision).selectinload(OperatorDecision.corrections),
        chain(Round.observer_notes).selectinload(ObserverNote.observer),
        chain(Round.submissions).selectinload(ChecklistSubmission.answers),
        chain(Round.submissions).selectinload(ChecklistSubmission.observer),
        chain(Round.notes),
    ]


def _title(rnd: Round) -> str:
    return rnd.scenario_title or str(rnd.scenario.get("title", rnd.scenario_id))


def _role_name(rnd: Round, role: Role) -> str | None:
    return next((a.person.name for a in rnd.roles if a.role == role), None)


def _filled(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(i.strip() for i in items if isinstance(i, str) and i.strip())


def _answers(sub: ChecklistSubmission) -> ChecklistAnswers:
    return ChecklistAnswers.model_construct(
        marks={a.criterion: Mark(a.mark) if a.mark else None for a in sub.answers},
        notes={},
        went_well=list(sub.went_well),
        could_improve=list(sub.could_improve),
    )


def _observer_labels(
    subs: Sequence[ChecklistSubmission], anonymous: bool
) -> list[tuple[ChecklistSubmission, str]]:
    """Submissions in print order with the label to print: the observer's name, or in an
    anonymous session "Observer n" by submission order (never by name, which would hint)."""
    if not anonymous:
        ordered = sorted(subs, key=lambda s: (s.observer.name_key, s.id))
        return [(s, s.observer.name) for s in ordered]
    far = datetime.max.replace(tzinfo=UTC)
    ordered = sorted(subs, key=lambda s: (s.submitted_at or far, s.id))
    return [(s, f"Observer {i}") for i, s in enumerate(ordered, start=1)]


def _decision_label(value: object) -> str:
    try:
        return Decision(str(value)).label
    except ValueError:
        return str(value)


def _note_fields(
    model: type[RejectionNote] | type[EscalationNote], data: dict[str, Any]
) -> tuple[tuple[str, str], ...]:
    fields = []
    for name, info in model.model_fields.items():
        value = data.get(name)
        if value in (None, ""):
            continue
        if name == "urgency":
            value = _enum_label(Urgency, value)
        elif name == "requested_decision":
            value = _enum_label(RequestedDecision, value)
        fields.append((str(info.title or name), str(value)))
    return tuple(fields)


def _enum_label(enum: type[Urgency] | type[RequestedDecision], value: object) -> str:
    try:
        return enum(str(value)).label
    except ValueError:
        return str(value)


def _decision_info(d: OperatorDecision) -> DecisionInfo:
    note_title = ""
    note: tuple[tuple[str, str], ...] = ()
    if d.rejection_note:
        note_title, note = "Rejection note", _note_fields(RejectionNote, d.rejection_note)
    elif d.escalation_note:
        note_title, note = "Escalation note", _note_fields(EscalationNote, d.escalation_note)
    return DecisionInfo(
        decision=d.decision,
        label=_decision_label(d.decision),
        final_reply=d.final_reply,
        note_title=note_title,
        note=note,
        seconds_to_decide=d.seconds_to_decide,
        matched_expert=d.matched_expert,
        assessed_correct=d.assessed_correct,
        assessment_reason=d.assessment_reason,
        operator=d.operator.name,
        source=d.source,
        recorded_at=d.recorded_at,
        corrections=tuple(
            CorrectionInfo(
                reason=c.reason,
                corrected_by=c.corrected_by,
                corrected_at=c.corrected_at,
                previous_label=_decision_label(c.previous.get("decision")),
            )
            for c in d.corrections
        ),
    )


def _in_period(when: datetime, start: date | None, end: date | None) -> bool:
    day = when.astimezone().date()
    return (start is None or day >= start) and (end is None or day <= end)
