"""The certification scenario assessment: 8 complex scenarios, 90 %+ correct decisions.

Each decision is marked correct or not by the assessor, pre-filled from whether it matched the
scenario's expert decision; a mark that differs from that needs a written reason (the rule
lives in services/decisions.py, where marks are stored)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from hotdash_roleplay.certification.program import SCENARIO_COUNT, SCENARIO_PASS_PERCENT, number


def score_percent(correct: int, rounds: int) -> float:
    """Correct decisions out of the scenarios played, never fewer than the 8 required."""
    return 100.0 * correct / max(rounds, SCENARIO_COUNT)


def passed(rounds: int, marked: int, correct: int) -> bool:
    """Every one of (at least) 8 decisions marked, and 90 % or more of them correct: 8 of 8
    passes, 7 of 8 (87.5 %) does not."""
    return (
        rounds >= SCENARIO_COUNT
        and marked == rounds
        and score_percent(correct, rounds) >= SCENARIO_PASS_PERCENT
    )


class AssessedRound(BaseModel):
    model_config = ConfigDict(frozen=True)

    round_id: int
    number: int  # 1-based
    scenario_title: str
    decision: str | None  # a Decision value; None: not decided yet
    expert_decision: str  # worded as everywhere else ("" where the scenario has none)
    matched_expert: bool | None
    correct: bool | None  # the assessor's mark (pre-filled from matched_expert)
    reason: str  # the assessor's written reason for an override

    @property
    def overridden(self) -> bool:
        return (
            self.correct is not None
            and self.matched_expert is not None
            and self.correct != self.matched_expert
        )


class Assessment(BaseModel):
    """One certification-assessment session of one candidate, with its running score."""

    model_config = ConfigDict(frozen=True)

    session_id: int
    title: str
    held_on: date
    candidate: str
    assessor: str  # the session's trainer
    rounds: tuple[AssessedRound, ...]

    @property
    def marked(self) -> int:
        return sum(1 for r in self.rounds if r.correct is not None)

    @property
    def correct(self) -> int:
        return sum(1 for r in self.rounds if r.correct)

    @property
    def complete(self) -> bool:
        return len(self.rounds) >= SCENARIO_COUNT and self.marked == len(self.rounds)

    @property
    def percent(self) -> float:
        return score_percent(self.correct, len(self.rounds))

    @property
    def passed(self) -> bool:
        return passed(len(self.rounds), self.marked, self.correct)

    @property
    def can_still_pass(self) -> bool:
        wrong = self.marked - self.correct
        total = max(len(self.rounds), SCENARIO_COUNT)
        return 100.0 * (total - wrong) / total >= SCENARIO_PASS_PERCENT

    @property
    def verdict(self) -> str:
        """ "Passed: 8 of 8 correct (100 %)", "Not passed: 7 of 8 correct (87.5 %; 90 %
        required)", "6 of 8 marked, 6 correct so far" """
        total = max(len(self.rounds), SCENARIO_COUNT)
        score = f"{self.correct} of {total} correct ({number(self.percent)} %"
        if self.passed:
            return f"Passed: {score})"
        if self.complete:
            return f"Not passed: {score}; {number(SCENARIO_PASS_PERCENT)} % required)"
        state = "can still pass" if self.can_still_pass else "can no longer pass"
        return f"{self.marked} of {total} marked, {self.correct} correct so far ({state})"
