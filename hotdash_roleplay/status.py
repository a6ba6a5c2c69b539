"""The states a session, a round and a checklist move through, and the kinds of stored rows.

One StrEnum per column: the store's CHECK constraints, the views, the session export and the UI
all take their values from here (a StrEnum compares equal to its value, so stored strings and
JSON read back as members)."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ChecklistState",
    "DebriefKind",
    "DecisionSource",
    "FilledIn",
    "RoundStatus",
    "SessionStatus",
    "SubmissionStatus",
]


class SessionStatus(StrEnum):
    PLANNED = "planned"  # created, no round started yet
    LIVE = "live"  # a round has started
    FINISHED = "finished"  # closed by the trainer: read-only from then on


class RoundStatus(StrEnum):
    PENDING = "pending"
    LIVE = "live"
    DONE = "done"


class SubmissionStatus(StrEnum):
    """An observer's checklist for a round."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class ChecklistState(StrEnum):
    """An observer's checklist as the console and the observer page show it: a stored
    submission's status, or NONE before the first save."""

    NONE = "none"
    DRAFT = "draft"
    SUBMITTED = "submitted"


class FilledIn(StrEnum):
    """Where a checklist is being filled in."""

    CONSOLE = "console"  # on the trainer's laptop
    BROWSER = "browser"  # on an observer's own device that claimed it


class DecisionSource(StrEnum):
    """Where an operator's decision was recorded."""

    CONSOLE = "console"  # by the trainer, in the console's decision panel
    DEVICE = "device"  # by the operator's own click on their device


class DebriefKind(StrEnum):
    """What a debrief row holds."""

    QUESTION_NOTE = "question_note"  # the trainer's note on one debrief question
    TAKEAWAY = "takeaway"
    ACTION = "action"
