"""When a round counts as played: one rule for every count the app shows or prints.

A round is played once its phase clock was started. "Next round" also closes a round that
never ran (its status becomes "done" so the rotation moves on), so the status alone cannot
say it; the clock's own log can: a started clock has a "start" event and only a started clock
has one (``PhaseClock.start``). The console's end line, the People panel, the debrief report
and the peer-review record all count with ``round_played``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hotdash_roleplay.clock import EventKind
from hotdash_roleplay.status import RoundStatus


def round_played(status: RoundStatus, clock_state: Mapping[str, Any] | None) -> bool:
    """Whether a stored round (its status and saved clock state) has been played."""
    if status == RoundStatus.PENDING or not clock_state:
        return False
    return any(
        isinstance(e, Mapping) and e.get("kind") == EventKind.START
        for e in clock_state.get("events", ())
    )


def rounds_played_text(played: int, total: int) -> str:
    """ "3 of 5 rounds played": the wording of every count of rounds played."""
    noun = "round" if total == 1 else "rounds"
    return f"{played} of {total} {noun} played"
