"""The six requirements of the Certification Path, each judged from its evidence: met, in
progress or not started, the evidence in words, and what is missing in plain words."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from hotdash_roleplay.certification.assessment import Assessment
from hotdash_roleplay.certification.evidence import (
    AIReport,
    Contribution,
    Mentorship,
    ModuleCompletion,
    PlayedSession,
)
from hotdash_roleplay.certification.metrics import MetricsSummary
from hotdash_roleplay.certification.program import (
    CONSECUTIVE_WEEKS,
    MIN_CONTRIBUTIONS,
    MIN_MENTEES,
    MODULES,
    ROLE_PLAY_MODULE,
    SCENARIO_COUNT,
    SCENARIO_PASS_PERCENT,
    RequirementKey,
    RequirementStatus,
    number,
)
from hotdash_roleplay.dates import short_date


class RequirementResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: RequirementKey
    status: RequirementStatus
    evidence: tuple[str, ...]  # one line per piece of evidence
    missing: str  # plain words; "" when met

    @property
    def met(self) -> bool:
        return self.status is RequirementStatus.MET

    @property
    def label(self) -> str:
        return self.key.label

    @property
    def detail(self) -> str:
        """What is missing, or (when met) the evidence in one line."""
        return self.missing if not self.met else "; ".join(self.evidence)


def _status(met: bool, started: bool) -> RequirementStatus:
    if met:
        return RequirementStatus.MET
    return RequirementStatus.IN_PROGRESS if started else RequirementStatus.NOT_STARTED


# Each requirement's status from counts alone: the team overview judges 200 people this way
# without building their evidence; the full rules below use the same functions.


def modules_status(modules_done: int, sessions_played: int) -> RequirementStatus:
    return _status(modules_done >= len(MODULES), modules_done > 0 or sessions_played > 0)


def metrics_status(weeks: int, longest_run: int) -> RequirementStatus:
    return _status(longest_run >= CONSECUTIVE_WEEKS, weeks > 0)


def scenarios_status(assessments: int, passed: int) -> RequirementStatus:
    return _status(passed > 0, assessments > 0)


def ai_report_status(reports: int) -> RequirementStatus:
    return _status(reports > 0, reports > 0)


def mentoring_status(mentorships: int, graduated: int) -> RequirementStatus:
    return _status(graduated >= MIN_MENTEES, mentorships > 0)


def contribution_status(contributions: int) -> RequirementStatus:
    return _status(contributions >= MIN_CONTRIBUTIONS, contributions > 0)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def modules_requirement(
    completions: Sequence[ModuleCompletion], played: Sequence[PlayedSession]
) -> RequirementResult:
    done = {c.module: c for c in completions}
    evidence = [
        f"{c.title}: completed {short_date(c.completed_on)}, confirmed by {c.confirmed_by}"
        for c in sorted(done.values(), key=lambda c: c.module)
    ]
    if played:
        sessions = ", ".join(f"{p.title} ({short_date(p.played_on)})" for p in played)
        evidence.append(f"Practice sessions played in this app: {sessions}")
    left = [MODULES[m] for m in MODULES if m not in done]
    missing = ""
    if left:
        missing = f"Not completed yet: {', '.join(left)}."
        if ROLE_PLAY_MODULE in [m for m in MODULES if m not in done] and not played:
            missing += " No practice session has been played in this app yet (Module 4)."
    return RequirementResult(
        key=RequirementKey.MODULES,
        status=modules_status(len(set(done) & set(MODULES)), len(played)),
        evidence=tuple(evidence),
        missing=missing,
    )


def metrics_requirement(summary: MetricsSummary) -> RequirementResult:
    run = summary.qualifying_run
    evidence: list[str] = []
    if run is not None:
        evidence.append(
            f"{run.weeks} consecutive weeks at expert level, weeks of "
            f"{short_date(run.first_week)} to {short_date(run.last_week)}"
        )
    if summary.weeks:
        evidence.append(
            f"{_plural(len(summary.weeks), 'week')} on record; longest run "
            f"{summary.longest_run_weeks}, current run {summary.current_run_weeks}"
        )
    missing = ""
    if run is None:
        if not summary.weeks:
            missing = (
                f"No weekly metrics yet: {CONSECUTIVE_WEEKS} consecutive weeks at expert level "
                "are needed."
            )
        else:
            missing = (
                f"{CONSECUTIVE_WEEKS} consecutive weeks at expert level are needed; the longest "
                f"run so far is {summary.longest_run_weeks} "
                f"(current {summary.current_run_weeks})."
            )
            if summary.last_missed:
                missing += f" Latest miss: {summary.last_missed}."
    return RequirementResult(
        key=RequirementKey.METRICS,
        status=metrics_status(len(summary.weeks), summary.longest_run_weeks),
        evidence=tuple(evidence),
        missing=missing,
    )


def best_assessment(assessments: Sequence[Assessment]) -> Assessment | None:
    """The latest passed assessment, else the latest one."""
    passed = [a for a in assessments if a.passed]
    pool = passed or list(assessments)
    return max(pool, key=lambda a: (a.held_on, a.session_id), default=None)


def scenarios_requirement(assessments: Sequence[Assessment]) -> RequirementResult:
    best = best_assessment(assessments)
    evidence = tuple(
        f"{a.title} ({short_date(a.held_on)}): {a.verdict}"
        for a in sorted(assessments, key=lambda a: (a.held_on, a.session_id))
    )
    missing = ""
    if best is None:
        missing = (
            f"No certification assessment yet: {SCENARIO_COUNT} complex scenarios with "
            f"{number(SCENARIO_PASS_PERCENT)} % or more correct decisions are needed."
        )
    elif not best.passed:
        missing = (
            f"No passed assessment yet ({number(SCENARIO_PASS_PERCENT)} % or more of "
            f"{SCENARIO_COUNT} needed); latest: {best.verdict}."
        )
    return RequirementResult(
        key=RequirementKey.SCENARIOS,
        status=scenarios_status(len(assessments), sum(1 for a in assessments if a.passed)),
        evidence=evidence,
        missing=missing,
    )


def ai_report_requirement(reports: Sequence[AIReport]) -> RequirementResult:
    evidence = tuple(
        f"{r.title}: submitted {short_date(r.submitted_on)}, "
        + (f"reviewed by {r.reviewer}" if r.reviewer else "not reviewed yet")
        for r in reports
    )
    return RequirementResult(
        key=RequirementKey.AI_REPORT,
        status=ai_report_status(len(reports)),
        evidence=evidence,
        missing="" if reports else "No AI improvement report submitted yet.",
    )


def mentoring_requirement(mentorships: Sequence[Mentorship]) -> RequirementResult:
    graduated = [m for m in mentorships if m.graduated]
    evidence = tuple(
        f"{m.mentee}: mentored from {short_date(m.started_on)}, "
        + (
            f"graduated to independent operation {short_date(m.graduated_on)}"
            if m.graduated_on
            else "not graduated yet"
        )
        for m in mentorships
    )
    missing = ""
    if len(graduated) < MIN_MENTEES:
        missing = (
            "No mentee has graduated to independent operation yet."
            if mentorships
            else "No operator mentored yet."
        )
    return RequirementResult(
        key=RequirementKey.MENTORING,
        status=mentoring_status(len(mentorships), len(graduated)),
        evidence=evidence,
        missing=missing,
    )


def contribution_requirement(contributions: Sequence[Contribution]) -> RequirementResult:
    evidence = tuple(
        f"{c.kind.label}: {c.title} ({short_date(c.contributed_on)})" for c in contributions
    )
    status = contribution_status(len(contributions))
    met = status is RequirementStatus.MET
    return RequirementResult(
        key=RequirementKey.CONTRIBUTION,
        status=status,
        evidence=evidence,
        missing="" if met else "No contribution to training materials yet.",
    )
