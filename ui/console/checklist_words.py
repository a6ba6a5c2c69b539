"""The words the checklist widgets show: an observer's status, a save's time, the debrief's
agenda."""

from __future__ import annotations

from datetime import UTC, datetime

from hotdash_roleplay.checklist import Aggregate
from hotdash_roleplay.status import ChecklistState

STATUS_TEXT = {
    ChecklistState.NONE: "not started",
    ChecklistState.DRAFT: "draft",
    ChecklistState.SUBMITTED: "✔ submitted",
}


def agenda_hint(summary: Aggregate) -> str:
    """One line for the top of the debrief: the most-missed criteria first."""
    if summary.submissions == 0:
        return "Agenda: no checklist submitted yet: ask the observers what they saw."
    if not summary.agenda:
        return (
            f"Agenda: nothing marked not met in {summary.submissions} checklist(s): "
            "ask what made it work."
        )
    parts = [f"{c.name} (not met ×{c.not_met})" for c in summary.agenda[:3]]
    return "Agenda, most missed first: " + ", ".join(parts) + "."


def when_text(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:  # the store keeps UTC without a zone
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%H:%M:%S")
