"""The figures every record gives about a person's decisions and the feedback they received.

The People panel, the peer-review record and the debrief report's per-participant summary
compute them here, from the same rounds (the played ones), so they cannot disagree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict

from hotdash_roleplay.rotation import Role


class DecisionFigures(BaseModel):
    model_config = ConfigDict(frozen=True)

    decisions: int
    judged: int  # decisions on scenarios that have an expert decision
    matched: int
    average_seconds: float | None  # over the decisions with a recorded time

    @classmethod
    def of(cls, decisions: Iterable[tuple[bool | None, float | None]]) -> DecisionFigures:
        """From (matched the expert, seconds to decide) of each decision."""
        rows = list(decisions)
        times = [s for _, s in rows if s is not None]
        return cls(
            decisions=len(rows),
            judged=sum(1 for m, _ in rows if m is not None),
            matched=sum(1 for m, _ in rows if m),
            average_seconds=sum(times) / len(times) if times else None,
        )

    @property
    def matched_text(self) -> str:
        """ "2 of 3" (decisions matching the expert), or "—" when none could be compared."""
        return f"{self.matched} of {self.judged}" if self.judged else "—"


class CriteriaFigures(BaseModel):
    """Criteria marks received across submitted checklists: met out of those judged."""

    model_config = ConfigDict(frozen=True)

    checklists: int
    met: int
    judged: int  # met + not met (not observed and blank say nothing either way)

    @classmethod
    def of(cls, checklists: Iterable[tuple[int, int]]) -> CriteriaFigures:
        """From (met, not met) of each submitted checklist."""
        rows = list(checklists)
        return cls(
            checklists=len(rows),
            met=sum(m for m, _ in rows),
            judged=sum(m + n for m, n in rows),
        )

    @property
    def met_text(self) -> str:
        return f"{self.met} of {self.judged}" if self.judged else "—"


def roles_text(rounds_by_role: Mapping[Role, int]) -> str:
    """ "Operator 1 · AI System 1 · Facilitator 0 · Observer 2": rounds played in each role."""
    return " · ".join(f"{role.label} {rounds_by_role.get(role, 0)}" for role in Role)
