"""How the records word the room's first-hand evidence, the same in the console and the PDFs:
where the operator's decision was recorded and their time to decide, the trainer's correction
of it, and an observer's note on the role-play clock."""

from __future__ import annotations

from datetime import datetime

from hotdash_roleplay.clock import clock_stamp, format_duration
from hotdash_roleplay.status import DecisionSource

CORRECTED = "Corrected by the trainer"
DECISION_ENTRY = "Decision"  # the decision's own line in a round's notes timeline


def time_of_day(when: datetime) -> str:
    """The local time on a 24-hour clock: 14:05."""
    local = when.astimezone()
    return f"{local.hour:02d}:{local.minute:02d}"


def recorded_line(
    operator: str, source: DecisionSource, seconds: float | None, recorded_at: datetime
) -> str:
    """Who recorded the decision, where and when, and the operator's time to decide:
    "Recorded by Dev on their own device at 14:05 — time to decide 1:12"."""
    if source is DecisionSource.DEVICE:
        said = f"Recorded by {operator} on their own device at {time_of_day(recorded_at)}"
    else:
        said = f"Recorded by the trainer in the console at {time_of_day(recorded_at)}"
    if seconds is None:
        return said
    return f"{said} — time to decide {format_duration(seconds)}"


def correction_line(reason: str) -> str:
    """ "Corrected by the trainer: <reason>"."""
    return f"{CORRECTED}: {reason}"


def previous_line(previous_label: str, corrected_by: str, corrected_at: datetime) -> str:
    """What a correction replaced, and who corrected it when: "Before: Approve · corrected at
    14:07 by Ann"."""
    by = f" by {corrected_by}" if corrected_by.strip() else ""
    return f"Before: {previous_label} · corrected at {time_of_day(corrected_at)}{by}"


def decision_moment(original_label: str, source: DecisionSource, current_label: str) -> str:
    """The decision's line in a round's timeline, as it was taken at that moment: "Approve, on
    their own device (corrected to Reject)"."""
    where = "on their own device" if source is DecisionSource.DEVICE else "recorded in the console"
    corrected = f" (corrected to {current_label})" if current_label != original_label else ""
    return f"{original_label}, {where}{corrected}"


def note_line(at_seconds: float, topic: str, author: str, text: str) -> str:
    """One line of a round's timeline: "02:13 · Tone · Ann: interrupted the customer"."""
    return f"{clock_stamp(at_seconds)} · {topic} · {author}: {text}"


__all__ = [
    "CORRECTED",
    "DECISION_ENTRY",
    "correction_line",
    "decision_moment",
    "note_line",
    "previous_line",
    "recorded_line",
    "time_of_day",
]
