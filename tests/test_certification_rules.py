"""The certification's rules at their boundaries, Qt-free and store-free."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from hotdash_roleplay.certification.assessment import AssessedRound, Assessment, passed
from hotdash_roleplay.certification.metrics import (
    check_week,
    escalation_note,
    qualifies,
    run_lengths,
    summarise,
)
from hotdash_roleplay.certification.process import recertification_due, state, step_refusal
from hotdash_roleplay.certification.program import (
    APPROVAL_CAUTION,
    MODULES,
    CertificationState,
    RequirementKey,
    RequirementStatus,
    Step,
)
from hotdash_roleplay.dates import day_month, long_date, week_start
from tests.certification_data import week

MON = date(2026, 11, 9)  # a Monday


@pytest.mark.parametrize(
    ("figure", "passing", "failing", "text"),
    [
        ("approval_rate", 85.0, 84.9, "Approval rate 84.9 % < 85 %"),
        ("avg_review_seconds", 89.9, 90.0, "Avg review time 90 s ≥ 90 s"),
        ("csat", 4.8, 4.79, "CSAT 4.79 < 4.8"),
        ("first_contact_resolution", 90.0, 89.99, "First contact resolution 89.99 % < 90 %"),
        ("decision_accuracy", 99.0, 98.9, "Decision accuracy 98.9 % < 99 %"),
    ],
)
def test_each_threshold_at_its_boundary(
    figure: str, passing: float, failing: float, text: str
) -> None:
    assert check_week(week(MON, **{figure: passing})).qualifies
    missed = check_week(week(MON, **{figure: failing}))
    assert not missed.qualifies
    assert missed.missed == f"{text} in the week of 9 Nov"
    failed = [c for c in missed.checks if not c.met]
    assert [c.metric.value for c in failed] == [figure]


def test_missed_week_names_the_failing_figure_as_the_issue_says() -> None:
    assert check_week(week(MON, csat=4.7)).missed == "CSAT 4.7 < 4.8 in the week of 9 Nov"


def test_approval_above_90_passes_with_the_programs_caution() -> None:
    assert check_week(week(MON, approval_rate=90.0)).caution == ""
    high = check_week(week(MON, approval_rate=90.1))
    assert high.qualifies and high.caution == APPROVAL_CAUTION
    assert "not approving errors" in APPROVAL_CAUTION


def test_escalation_rate_is_information_against_the_12_13_band() -> None:
    assert escalation_note(None) == ""
    assert "within the 12–13 % optimal" in escalation_note(12.5)
    assert "below" in escalation_note(11) and "Too low" not in escalation_note(11)
    assert "Too low (<10%)" in escalation_note(9)
    assert "Too high (>15%)" in escalation_note(16)
    assert check_week(week(MON, escalation_rate=30)).qualifies  # never a requirement


def test_weeks_are_named_by_their_monday() -> None:
    assert week_start(date(2026, 11, 15)) == MON  # Sunday
    assert week_start(MON) == MON
    assert week(date(2026, 11, 12)).week_start == MON
    assert day_month(date(2026, 3, 1)) == "1 Mar" and long_date(MON) == "9 November 2026"


def test_figures_out_of_range_are_refused() -> None:
    with pytest.raises(ValidationError, match="csat must be between 1 and 5"):
        week(MON, csat=5.1)
    with pytest.raises(ValidationError, match="approval_rate must be between 0 and 100"):
        week(MON, approval_rate=100.5)
    with pytest.raises(ValidationError):
        week(MON, avg_review_seconds=-1)


def _weeks(*ok: bool | None, start: date = MON) -> list:
    """One week per flag (None: the week is missing)."""
    out = []
    for i, flag in enumerate(ok):
        if flag is not None:
            out.append(week(start + timedelta(weeks=i), csat=4.9 if flag else 4.7))
    return out


def test_four_consecutive_weeks_meet_the_requirement_three_do_not() -> None:
    assert summarise(_weeks(True, True, True, True)).met
    three = summarise(_weeks(True, True, True))
    assert not three.met and three.longest_run_weeks == 3 == three.current_run_weeks


def test_a_missing_week_restarts_the_count() -> None:
    s = summarise(_weeks(True, True, None, True, True))
    assert (s.longest_run_weeks, s.current_run_weeks, s.met) == (2, 2, False)
    assert [r.weeks for r in s.runs] == [2, 2]


def test_a_week_below_any_threshold_restarts_the_count() -> None:
    s = summarise(_weeks(True, True, True, False, True, True, True, True, False))
    assert s.longest_run_weeks == 4 and s.current_run_weeks == 0 and s.met
    assert s.qualifying_run is not None and s.qualifying_run.first_week == MON + timedelta(weeks=4)
    marked = [w.week_start for w in s.weeks if w.in_qualifying_run]
    assert marked == [MON + timedelta(weeks=i) for i in range(4, 8)]
    assert s.last_missed.startswith("CSAT 4.7 < 4.8 in the week of")


def test_fast_run_lengths_agree_with_the_full_summary() -> None:
    flags = [True, True, None, True, False, True, True, True, True, True, None, True]
    weeks = _weeks(*flags)
    full = summarise(weeks)
    fast = run_lengths([(w.week_start, qualifies(w.figures())) for w in weeks])
    assert fast == (full.longest_run_weeks, full.current_run_weeks) == (5, 1)


def _assessment(marks: list[bool | None]) -> Assessment:
    rounds = tuple(
        AssessedRound(
            round_id=i,
            number=i + 1,
            scenario_title=f"S{i}",
            decision="approve",
            expert_decision="Approve",
            matched_expert=True,
            correct=m,
            reason="",
        )
        for i, m in enumerate(marks)
    )
    return Assessment(
        session_id=1, title="A", held_on=MON, candidate="Ann", assessor="Asa", rounds=rounds
    )


def test_scenarios_8_of_8_pass_7_of_8_does_not() -> None:
    assert passed(8, 8, 8) and not passed(8, 8, 7)
    best = _assessment([True] * 8)
    assert best.passed and best.verdict == "Passed: 8 of 8 correct (100 %)"
    seven = _assessment([True] * 7 + [False])
    assert not seven.passed
    assert seven.verdict == "Not passed: 7 of 8 correct (87.5 %; 90 % required)"


def test_an_assessment_not_fully_marked_does_not_pass_yet() -> None:
    partial = _assessment([True] * 7 + [None])
    assert not partial.passed and partial.can_still_pass
    assert partial.verdict == "7 of 8 marked, 7 correct so far (can still pass)"
    assert not _assessment([False, None, None, None, None, None, None, None]).can_still_pass
    assert not passed(7, 7, 7)  # fewer than 8 scenarios


MET = (RequirementStatus.MET, "")


def _reqs(**unmet: str) -> dict[RequirementKey, tuple[RequirementStatus, str]]:
    out = dict.fromkeys(RequirementKey, MET)
    for key, missing in unmet.items():
        out[RequirementKey(key)] = (RequirementStatus.IN_PROGRESS, missing)
    return out


def test_steps_follow_the_programs_order() -> None:
    refusal = step_refusal(Step.MANAGER_NOMINATION, {}, _reqs(), MON)
    assert refusal == (
        "Manager Nomination comes after Self-Assessment: record Self-Assessment first."
    )
    assert step_refusal(Step.AWARDED, {}, _reqs(), MON) == (
        "Certification Awarded waits for 5 earlier steps: record Self-Assessment first."
    )
    assert step_refusal(Step.SELF_ASSESSMENT, {}, _reqs(), MON) is None
    done = {Step.SELF_ASSESSMENT: MON}
    assert step_refusal(Step.MANAGER_NOMINATION, done, _reqs(), MON) is None
    assert "before the previous step" in (
        step_refusal(Step.MANAGER_NOMINATION, done, _reqs(), MON - timedelta(days=1)) or ""
    )
    assert "already recorded" in (step_refusal(Step.SELF_ASSESSMENT, done, _reqs(), MON) or "")


def test_a_step_waits_for_the_requirements_it_depends_on() -> None:
    missing = "No operator mentored yet."
    refusal = step_refusal(Step.SELF_ASSESSMENT, {}, _reqs(metrics="Two weeks only."), MON)
    assert refusal is not None and "Two weeks only." in refusal
    done = {s: MON for s in list(Step)[:4]}
    refusal = step_refusal(Step.PEER_REVIEW, done, _reqs(mentoring=missing), MON)
    assert refusal is not None and missing in refusal


def test_award_refused_while_any_requirement_is_unmet_then_allowed() -> None:
    done = {s: MON for s in list(Step)[:5]}
    refusal = step_refusal(Step.AWARDED, done, _reqs(contribution="None yet."), MON)
    assert refusal is not None and "None yet." in refusal and "Contribute to training" in refusal
    assert step_refusal(Step.AWARDED, done, _reqs(), MON) is None


def test_recertification_due_within_30_days_and_overdue() -> None:
    awarded = date(2025, 12, 1)
    assert recertification_due(awarded) == date(2026, 12, 1)
    assert recertification_due(date(2024, 2, 29)) == date(2025, 2, 28)
    met = [RequirementStatus.MET] * 6
    steps = set(Step)

    def on(day: date) -> CertificationState:
        return state(steps, met, awarded, day, revoked=False)

    assert on(date(2026, 10, 31)) is CertificationState.CERTIFIED
    assert on(date(2026, 11, 1)) is CertificationState.RECERTIFICATION_DUE
    assert on(date(2026, 12, 1)) is CertificationState.RECERTIFICATION_DUE
    assert on(date(2026, 12, 2)) is CertificationState.RECERTIFICATION_OVERDUE


def test_a_revoked_award_is_no_longer_certified_whatever_the_date() -> None:
    awarded = date(2025, 12, 1)
    met = [RequirementStatus.MET] * 6
    for day in (date(2026, 1, 5), date(2026, 11, 15), date(2027, 1, 5)):
        revoked = state(set(Step), met, awarded, day, revoked=True)
        assert revoked is CertificationState.REVOKED
        assert revoked.label == "Revoked"


def test_overall_state_before_the_award() -> None:
    today = MON
    none = [RequirementStatus.NOT_STARTED] * 6
    some = [RequirementStatus.IN_PROGRESS, *none[1:]]
    met = [RequirementStatus.MET] * 6
    assert state(set(), none, None, today, revoked=False) is CertificationState.NOT_STARTED
    assert state(set(), some, None, today, revoked=False) is CertificationState.IN_PROGRESS
    assert state(set(), met, None, today, revoked=False) is CertificationState.ELIGIBLE


def test_the_programs_module_titles() -> None:
    assert MODULES[1] == "Module 1: Complex Scenario Mastery"
    assert MODULES[6] == "Module 6: Performance Excellence"
    assert len(MODULES) == 6
