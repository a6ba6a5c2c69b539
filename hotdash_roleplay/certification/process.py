"""The Certification Process in the program's order: which steps and requirements each step
waits for, when the credential is due for its annual recertification, and where a person
stands overall."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from hotdash_roleplay.certification.program import (
    RECERTIFICATION_WARNING_DAYS,
    RECERTIFICATION_YEARS,
    CertificationState,
    RequirementKey,
    RequirementStatus,
    Step,
)
from hotdash_roleplay.dates import add_years, long_date

STEPS: tuple[Step, ...] = tuple(Step)

# What each step needs besides every earlier step. Self-Assessment: "Complete all modules,
# track metrics"; the review looks at the submission (report, contribution); the scenario
# assessment step records a passed assessment; the peer review is the mentee's feedback, so a
# mentee must have graduated; the award needs everything.
NEEDS: dict[Step, tuple[RequirementKey, ...]] = {
    Step.SELF_ASSESSMENT: (RequirementKey.MODULES, RequirementKey.METRICS),
    Step.MANAGER_NOMINATION: (),
    Step.CERTIFICATION_REVIEW: (RequirementKey.AI_REPORT, RequirementKey.CONTRIBUTION),
    Step.SCENARIO_ASSESSMENT: (RequirementKey.SCENARIOS,),
    Step.PEER_REVIEW: (RequirementKey.MENTORING,),
    Step.AWARDED: tuple(RequirementKey),
}


def step_refusal(
    step: Step,
    recorded: Mapping[Step, date],
    requirements: Mapping[RequirementKey, tuple[RequirementStatus, str]],
    on: date,
) -> str | None:
    """Why `step` cannot be recorded on `on` now, or None. `requirements` maps each key to its
    status and what is missing."""
    if step in recorded:
        return f"{step.label} is already recorded ({long_date(recorded[step])})."
    earlier = STEPS[: STEPS.index(step)]
    waiting = [s.label for s in earlier if s not in recorded]
    if len(waiting) == 1:
        return f"{step.label} comes after {waiting[0]}: record {waiting[0]} first."
    if waiting:
        return f"{step.label} waits for {len(waiting)} earlier steps: record {waiting[0]} first."
    previous = max((recorded[s] for s in earlier), default=None)
    if previous is not None and on < previous:
        return (
            f"{step.label} cannot be dated {long_date(on)}, before the previous step "
            f"({long_date(previous)})."
        )
    unmet = [
        (key, requirements[key][1])
        for key in NEEDS[step]
        if requirements[key][0] is not RequirementStatus.MET
    ]
    if unmet:
        reasons = " ".join(f"{key.label}: {missing}" for key, missing in unmet)
        return f"{step.label} needs every requirement it depends on to be met. {reasons}"
    return None


def recertification_due(awarded_on: date) -> date:
    """ "Annual recertification": a year after the award."""
    return add_years(awarded_on, RECERTIFICATION_YEARS)


def state(
    recorded: Collection[Step],
    statuses: Collection[RequirementStatus],
    awarded_on: date | None,
    today: date,
    *,
    revoked: bool,
) -> CertificationState:
    """Revoking the award's certificate ends the certification; the steps stay recorded."""
    if awarded_on is not None and revoked:
        return CertificationState.REVOKED
    if awarded_on is not None:
        due = recertification_due(awarded_on)
        if today > due:
            return CertificationState.RECERTIFICATION_OVERDUE
        if (due - today).days <= RECERTIFICATION_WARNING_DAYS:
            return CertificationState.RECERTIFICATION_DUE
        return CertificationState.CERTIFIED
    if statuses and all(s is RequirementStatus.MET for s in statuses):
        return CertificationState.ELIGIBLE
    if recorded or any(s is not RequirementStatus.NOT_STARTED for s in statuses):
        return CertificationState.IN_PROGRESS
    return CertificationState.NOT_STARTED
