"""What the setup widgets share: a plan's kind and roster size, names split from typed
text, and the mark of a broken rule."""

from __future__ import annotations

from hotdash_roleplay.plans import CERTIFICATION_CANDIDATES, PlanMode, SessionPlan
from hotdash_roleplay.rotation import MAX_PEOPLE, MIN_PEOPLE

WARN = "⚠"  # with the highlight, so a flagged cell does not rely on colour alone


def split_names(text: str) -> list[str]:
    """Names typed into one field: commas, semicolons or new lines separate them."""
    for sep in (";", "\n"):
        text = text.replace(sep, ",")
    return [" ".join(part.split()) for part in text.split(",") if part.strip()]


def is_certification(plan: SessionPlan) -> bool:
    return plan.mode == PlanMode.CERTIFICATION


def roster_limits(plan: SessionPlan) -> tuple[int, int]:
    one = CERTIFICATION_CANDIDATES
    return (one, one) if is_certification(plan) else (MIN_PEOPLE, MAX_PEOPLE)
