"""What the PDFs print, as plain pydantic models, and the figures the reports derive from them.

The PDF modules never touch the ORM: they lay out a `SessionReport` or a `PersonRecord`, which
the report service (services/reports.py) reads from the store in one go."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from hotdash_roleplay.checklist import Checklist, Mark
from hotdash_roleplay.clock import PhaseSummary
from hotdash_roleplay.figures import CriteriaFigures, DecisionFigures
from hotdash_roleplay.plans import PlanMode
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.status import DecisionSource, RoundStatus, SessionStatus, SubmissionStatus


class Data(BaseModel):
    model_config = ConfigDict(frozen=True)


class PhaseTime(Data):
    """One row of the phase clock's own summary (``PhaseClock.summary``), as the console's
    timeline shows it: the report never measures time or overrun itself."""

    title: str
    planned_seconds: int  # from the plan
    adjusted_seconds: int  # after +/- minute during the run
    actual_seconds: float
    over_seconds: float  # beyond the plan as adjusted (negative: finished early)
    overran: bool

    @classmethod
    def of(cls, phase: PhaseSummary) -> PhaseTime:
        return cls(
            title=phase.title,
            planned_seconds=phase.planned_seconds,
            adjusted_seconds=phase.adjusted_planned_seconds,
            actual_seconds=phase.actual_seconds,
            over_seconds=phase.over_seconds,
            overran=phase.overran,
        )

    @property
    def reached(self) -> bool:
        return self.actual_seconds >= 1


class CriterionLine(Data):
    name: str
    question: str
    mark: Mark | None  # None: left blank
    note: str


class ObserverChecklist(Data):
    observer: str  # a name, or "Observer 1" in an anonymous session
    status: SubmissionStatus
    submitted_at: datetime | None
    operator: str  # whom they observed
    criteria: tuple[CriterionLine, ...]
    went_well: tuple[str, ...]
    could_improve: tuple[str, ...]


class CriterionSummary(Data):
    name: str
    question: str
    met: int
    not_met: int
    not_observed: int
    unmarked: int
    disagreement: bool


class CorrectionInfo(Data):
    """The trainer corrected the decision: why, who and when, and what it was before."""

    reason: str
    corrected_by: str
    corrected_at: datetime
    previous_label: str


class DecisionInfo(Data):
    decision: str
    label: str
    final_reply: str
    note_title: str  # "Rejection note" / "Escalation note" / ""
    note: tuple[tuple[str, str], ...]  # (field title, text), filled fields in form order
    seconds_to_decide: float | None
    matched_expert: bool | None
    assessed_correct: bool | None
    assessment_reason: str
    operator: str
    source: DecisionSource
    recorded_at: datetime
    corrections: tuple[CorrectionInfo, ...] = ()  # oldest first; the fields above are current

    @property
    def original_label(self) -> str:
        """The decision as first recorded (before any correction)."""
        return self.corrections[0].previous_label if self.corrections else self.label


class TimelineEntry(Data):
    """One moment of a round on the role-play clock: an observer's note, or the decision."""

    at_seconds: float
    topic: str  # the criterion's name, "General", or "Decision"
    author: str  # per the session's anonymity, like the checklists
    text: str


class QuestionNote(Data):
    question: str
    note: str


class RoundReport(Data):
    number: int
    scenario_id: str
    scenario_title: str
    status: RoundStatus
    played: bool  # ``round_played``: a round closed without its clock started was not played
    operator: str | None
    ai_system: str | None  # None: the trainer
    facilitator: str | None  # None: the trainer
    observers: tuple[str, ...]
    setup: tuple[str, ...]
    expert_decision: str  # ``ExpertDecision.wording``; "" where the scenario has none
    expert_rationale: str
    expert_approach: str
    decision: DecisionInfo | None
    phases: tuple[PhaseTime, ...]
    submitted: int
    summary: tuple[CriterionSummary, ...]
    checklists: tuple[ObserverChecklist, ...]  # submitted ones, attributed per the session
    timeline: tuple[TimelineEntry, ...]  # observers' notes and the decision, in clock order
    debrief: tuple[QuestionNote, ...]
    takeaways: tuple[str, ...]
    actions: tuple[str, ...]


class MissedCriterion(Data):
    name: str
    not_met: int
    judged: int  # met + not met marks
    rounds: tuple[int, ...]
    disagreements: int


class OffExpert(Data):
    round_number: int
    scenario_title: str
    operator: str
    decision: str
    expert: str  # worded as everywhere else


class PhaseOverrun(Data):
    title: str
    rounds_over: int
    rounds_timed: int
    average_over_seconds: float
    max_over_seconds: float


class Patterns(Data):
    rounds_total: int
    rounds_played: int
    decisions: int
    with_expert: int  # decisions on scenarios that have an expert decision
    matched: int
    average_decision_seconds: float | None
    checklists: int
    missed: tuple[MissedCriterion, ...]
    off_expert: tuple[OffExpert, ...]
    overruns: tuple[PhaseOverrun, ...]


class OperatorTurn(Data):
    round_number: int
    decision: DecisionInfo | None
    expert_decision: str


class ParticipantSummary(Data):
    """One person in one session: the figures of their peer-review record, for this session."""

    name: str
    rounds_by_role: dict[Role, int]  # played rounds only
    turns: tuple[OperatorTurn, ...]  # played rounds as operator, in order
    decisions: DecisionFigures
    received: CriteriaFigures


class SessionReport(Data):
    id: int
    uid: str
    title: str
    trainer: str
    plan_title: str
    mode: PlanMode
    status: SessionStatus
    created_at: datetime
    finished_at: datetime | None
    anonymous_feedback: bool
    participants: tuple[str, ...]
    departed: tuple[str, ...]
    notes: str
    phases: tuple[tuple[str, int], ...]  # planned (title, seconds)
    rounds: tuple[RoundReport, ...]
    people: tuple[ParticipantSummary, ...]  # everyone who took part, those who left too
    patterns: Patterns
    generated_at: datetime


class OperatorRound(Data):
    session_title: str
    session_date: datetime
    round: RoundReport  # with every checklist in full and who gave it


class ObserverRound(Data):
    session_title: str
    session_date: datetime
    round_number: int
    scenario_title: str
    operator: str
    checklist: ObserverChecklist | None  # None: they did not fill one
    notes: tuple[TimelineEntry, ...] = ()  # the notes they took during the role-play


class PersonRecord(Data):
    name: str
    date_from: date | None
    date_to: date | None
    sessions: int
    rounds_by_role: dict[Role, int]
    operator_rounds: tuple[OperatorRound, ...]
    observer_rounds: tuple[ObserverRound, ...]
    generated_at: datetime

    @property
    def decision_figures(self) -> DecisionFigures:
        return decision_figures(r.round for r in self.operator_rounds)

    @property
    def criteria_received(self) -> CriteriaFigures:
        return criteria_received(r.round for r in self.operator_rounds)


def decision_figures(rounds: Iterable[RoundReport]) -> DecisionFigures:
    """The figures of the decisions taken in these rounds (as the People panel gives them)."""
    return DecisionFigures.of(
        (r.decision.matched_expert, r.decision.seconds_to_decide) for r in rounds if r.decision
    )


def criteria_received(rounds: Iterable[RoundReport]) -> CriteriaFigures:
    """Criteria met across the checklists submitted in these rounds."""
    return CriteriaFigures.of(
        (
            sum(1 for line in c.criteria if line.mark == Mark.MET),
            sum(1 for line in c.criteria if line.mark == Mark.NOT_MET),
        )
        for r in rounds
        for c in r.checklists
    )


def participant_summary(name: str, rounds: Sequence[RoundReport]) -> ParticipantSummary:
    played = [r for r in rounds if r.played]
    roles: dict[Role, int] = defaultdict(int)
    for r in played:
        for role, people in (
            (Role.OPERATOR, (r.operator,)),
            (Role.AI_SYSTEM, (r.ai_system,)),
            (Role.FACILITATOR, (r.facilitator,)),
            (Role.OBSERVER, r.observers),
        ):
            roles[role] += name in people
    operated = [r for r in played if r.operator == name]
    return ParticipantSummary(
        name=name,
        rounds_by_role={k: v for k, v in roles.items() if v},
        turns=tuple(
            OperatorTurn(
                round_number=r.number, decision=r.decision, expert_decision=r.expert_decision
            )
            for r in operated
        ),
        decisions=decision_figures(operated),
        received=criteria_received(operated),
    )


def patterns(rounds: Sequence[RoundReport], checklist: Checklist) -> Patterns:
    played = [r for r in rounds if r.played]
    decided = [r for r in played if r.decision]
    with_expert = [r for r in decided if r.decision and r.decision.matched_expert is not None]
    times = [
        r.decision.seconds_to_decide
        for r in decided
        if r.decision and r.decision.seconds_to_decide is not None
    ]
    missed = []
    for i, criterion in enumerate(checklist.criteria):
        tallies = [(r.number, r.summary[i]) for r in played if i < len(r.summary)]
        not_met = sum(t.not_met for _, t in tallies)
        if not_met:
            missed.append(
                MissedCriterion(
                    name=criterion.name,
                    not_met=not_met,
                    judged=sum(t.met + t.not_met for _, t in tallies),
                    rounds=tuple(n for n, t in tallies if t.not_met),
                    disagreements=sum(1 for _, t in tallies if t.disagreement),
                )
            )
    missed.sort(key=lambda m: (-m.not_met, -len(m.rounds), m.name))
    off = [
        OffExpert(
            round_number=r.number,
            scenario_title=r.scenario_title,
            operator=r.operator or "the trainer",
            decision=r.decision.label,
            expert=r.expert_decision,
        )
        for r in with_expert
        if r.decision and r.decision.matched_expert is False
    ]
    by_phase: dict[str, list[PhaseTime]] = defaultdict(list)
    for r in played:
        for p in r.phases:
            by_phase[p.title].append(p)
    overruns = []
    for title, times_ in by_phase.items():
        over = [p.over_seconds for p in times_ if p.overran]
        if over:
            overruns.append(
                PhaseOverrun(
                    title=title,
                    rounds_over=len(over),
                    rounds_timed=len(times_),
                    average_over_seconds=sum(over) / len(over),
                    max_over_seconds=max(over),
                )
            )
    overruns.sort(key=lambda o: (-o.rounds_over, -o.max_over_seconds))
    return Patterns(
        rounds_total=len(rounds),
        rounds_played=len(played),
        decisions=len(decided),
        with_expert=len(with_expert),
        matched=sum(1 for r in with_expert if r.decision and r.decision.matched_expert),
        average_decision_seconds=sum(times) / len(times) if times else None,
        checklists=sum(r.submitted for r in played),
        missed=tuple(missed),
        off_expert=tuple(off),
        overruns=tuple(overruns),
    )
