"""What the certification service hands out: plain frozen data for screens, the command line
and the record PDF (never ORM objects)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from hotdash_roleplay.certification.assessment import Assessment
from hotdash_roleplay.certification.evidence import (
    AIReport,
    Contribution,
    Mentorship,
    ModuleCompletion,
    PlayedSession,
    StepRecord,
)
from hotdash_roleplay.certification.metrics import MetricsSummary
from hotdash_roleplay.certification.program import (
    RECERTIFICATION_WARNING_DAYS,
    CertificationState,
    RequirementKey,
    RequirementStatus,
    Step,
)
from hotdash_roleplay.certification.requirements import RequirementResult
from hotdash_roleplay.dates import short_date


class View(BaseModel):
    model_config = ConfigDict(frozen=True)


class StepView(View):
    step: Step
    record: StepRecord | None  # None: not recorded yet
    refusal: str | None  # why it cannot be recorded now; None when it can (or is recorded)

    @property
    def done(self) -> bool:
        return self.record is not None


class AwardRevoked(View):
    """The award's certificate revoked: when, by whom and why."""

    revoked_at: datetime
    revoked_by: str
    reason: str

    @property
    def revoked_on(self) -> date:
        """The day, on this machine's calendar."""
        return self.revoked_at.astimezone().date()

    @property
    def verdict(self) -> str:
        """ "Certification revoked on 28 Nov 2026: metrics were misreported" """
        return f"Certification revoked on {short_date(self.revoked_on)}: {self.reason}"


class MetricChange(View):
    """A stored week's figures replaced by later ones (typed or imported)."""

    week_start: date
    changed_at: datetime
    changed_by: str
    source: str  # "typed" or the CSV file's name
    old: dict[str, float | None]
    new: dict[str, float | None]


class PersonCertification(View):
    """Everything the person's Certification page and record PDF show."""

    person_id: int
    name: str
    today: date
    state: CertificationState
    requirements: tuple[RequirementResult, ...]  # in RequirementKey order
    modules: tuple[ModuleCompletion, ...]
    played_sessions: tuple[PlayedSession, ...]  # Module 4's evidence
    metrics: MetricsSummary
    metric_changes: tuple[MetricChange, ...]
    assessments: tuple[Assessment, ...]  # oldest first
    reports: tuple[AIReport, ...]
    mentorships: tuple[Mentorship, ...]
    contributions: tuple[Contribution, ...]
    steps: tuple[StepView, ...]  # in the program's order
    awarded_on: date | None  # kept after a revocation: the steps stay as recorded
    recertification_due_on: date | None  # None once revoked
    revoked: AwardRevoked | None

    @property
    def certified(self) -> bool:
        return self.awarded_on is not None and self.revoked is None

    @property
    def eligible(self) -> bool:
        return all(r.met for r in self.requirements)

    def requirement(self, key: RequirementKey | str) -> RequirementResult:
        key = RequirementKey(key)
        return next(r for r in self.requirements if r.key is key)

    @property
    def next_step(self) -> Step | None:
        return next((s.step for s in self.steps if not s.done), None)

    @property
    def verdict(self) -> str:
        """ "Certified on 9 Nov 2026", "Certification revoked on 28 Nov 2026: <reason>", "Every
        requirement met: eligible for the award", "Not eligible yet: 2 of 6 requirements not
        met" """
        if self.revoked is not None:
            return self.revoked.verdict
        if self.awarded_on:
            return f"Certified on {short_date(self.awarded_on)}"
        if self.eligible:
            return "Every requirement met: eligible for the award"
        left = sum(1 for r in self.requirements if not r.met)
        return f"Not eligible yet: {left} of {len(self.requirements)} requirements not met"

    @property
    def recertification_note(self) -> str:
        """ "", "Recertification due within 30 days (by 9 Nov 2027)" or "... overdue" """
        due = self.recertification_due_on
        if due is None:
            return ""
        if self.state is CertificationState.RECERTIFICATION_OVERDUE:
            return f"Recertification overdue since {short_date(due)}"
        if self.state is CertificationState.RECERTIFICATION_DUE:
            return (
                f"Recertification due within {RECERTIFICATION_WARNING_DAYS} days "
                f"(by {short_date(due)})"
            )
        return f"Annual recertification by {short_date(due)}"

    def status_json(self) -> dict[str, Any]:
        """The `certification status --json` document (docs/certification.md)."""
        run = self.metrics.qualifying_run
        return {
            "person": self.name,
            "eligible": self.eligible,
            "status": self.state.value,
            "requirements": [
                {"key": r.key.value, "met": r.met, "status": r.status.value, "detail": r.detail}
                for r in self.requirements
            ],
            "metrics": {
                "current_run_weeks": self.metrics.current_run_weeks,
                "longest_run_weeks": self.metrics.longest_run_weeks,
                "weeks_on_record": len(self.metrics.weeks),
                "qualifying_run": None
                if run is None
                else {
                    "first_week": run.first_week.isoformat(),
                    "last_week": run.last_week.isoformat(),
                    "weeks": run.weeks,
                },
            },
            "steps": [
                {
                    "step": s.step.value,
                    "done": s.done,
                    "on": s.record.on.isoformat() if s.record else None,
                    "by": s.record.by if s.record else None,
                }
                for s in self.steps
            ],
            "awarded_on": self.awarded_on.isoformat() if self.awarded_on else None,
            "recertification_due_on": (
                self.recertification_due_on.isoformat() if self.recertification_due_on else None
            ),
            "revoked": _revoked_json(self.revoked),
        }


def _revoked_json(revoked: AwardRevoked | None) -> dict[str, str] | None:
    if revoked is None:
        return None
    return {
        "at": revoked.revoked_at.isoformat(),
        "by": revoked.revoked_by,
        "reason": revoked.reason,
    }


class OverviewRow(View):
    """One person in the team overview."""

    person_id: int
    name: str
    state: CertificationState
    statuses: dict[RequirementKey, RequirementStatus]
    weeks_on_record: int
    latest_week: date | None
    current_run_weeks: int
    longest_run_weeks: int
    awarded_on: date | None
    recertification_due_on: date | None  # None once revoked
    next_step: Step | None
    revoked: AwardRevoked | None

    @property
    def certified(self) -> bool:
        return self.awarded_on is not None and self.revoked is None

    @property
    def status_text(self) -> str:
        """The status as a list shows it: "Revoked 28 Nov 2026" once revoked."""
        if self.revoked is not None:
            return f"{self.state.label} {short_date(self.revoked.revoked_on)}"
        return self.state.label

    @property
    def eligible(self) -> bool:
        return all(s is RequirementStatus.MET for s in self.statuses.values())

    @property
    def met_count(self) -> int:
        return sum(1 for s in self.statuses.values() if s is RequirementStatus.MET)

    @property
    def ready_for_nomination(self) -> bool:
        """Every requirement met and not awarded yet: the manager can nominate."""
        return self.state is CertificationState.ELIGIBLE

    def readiness_order(self) -> tuple[int, int, int, str]:
        """The team overview's default order: ready for nomination first, then the most
        requirements met, the longest current run, then by name."""
        return (
            0 if self.ready_for_nomination else 1,
            -self.met_count,
            -self.current_run_weeks,
            self.name.casefold(),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.name,
            "eligible": self.eligible,
            "status": self.state.value,
            "requirements_met": [k.value for k, s in self.statuses.items() if s is
                                 RequirementStatus.MET],
            "current_run_weeks": self.current_run_weeks,
            "longest_run_weeks": self.longest_run_weeks,
            "next_step": self.next_step.value if self.next_step else None,
            "recertification_due_on": (
                self.recertification_due_on.isoformat() if self.recertification_due_on else None
            ),
            "revoked": _revoked_json(self.revoked),
        }  # fmt: skip


class TeamOverview(View):
    today: date
    rows: tuple[OverviewRow, ...]  # by name


class MetricsImportResult(View):
    file: str
    rows: int
    added: int
    replaced: int
    unchanged: int
    people_created: tuple[str, ...]

    @property
    def message(self) -> str:
        made = f"; new people: {', '.join(self.people_created)}" if self.people_created else ""
        return (
            f"{self.file}: {self.rows} rows, {self.added} weeks added, {self.replaced} replaced, "
            f"{self.unchanged} unchanged{made}."
        )
