"""What a candidate's requirements are judged on: the records the certification keeps.

Plain frozen pydantic models, handed out by the service and read by the requirement rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from hotdash_roleplay.certification.program import MODULES, ContributionKind
from hotdash_roleplay.errors import UserError

MAX_ATTACHMENT = 10 * 1024 * 1024


class Attachment(BaseModel):
    """A file handed in with a report or a contribution, kept in the store as it came."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=255)
    data: bytes = Field(min_length=1, max_length=MAX_ATTACHMENT)


def read_attachment(path: Path | str) -> Attachment:
    """A file handed in (a report, a contribution), read whole; UserError when it cannot be
    read, is empty or is larger than the store keeps."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a folder, not a file.") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    if not data:
        raise UserError(f"{path.name} is empty.")
    if len(data) > MAX_ATTACHMENT:
        raise UserError(
            f"{path.name} is {len(data) / 1024 / 1024:.1f} MB; an attached file can be at most "
            f"{MAX_ATTACHMENT // 1024 // 1024} MB."
        )
    return Attachment(name=path.name[-255:], data=data)


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class ModuleCompletion(Record):
    module: int  # 1..6
    completed_on: date
    confirmed_by: str

    @property
    def title(self) -> str:
        return MODULES[self.module]


class PlayedSession(Record):
    """A practice session the person played in this app (Module 4's evidence)."""

    session_id: int
    title: str
    played_on: date
    rounds_played: int


class AIReport(Record):
    id: int
    title: str
    submitted_on: date
    reviewer: str  # "" while nobody has reviewed it
    text: str
    file_name: str  # "" when the report is typed in
    file_size: int


class Mentorship(Record):
    id: int
    mentee: str
    started_on: date
    graduated_on: date | None  # graduation to independent operation

    @property
    def graduated(self) -> bool:
        return self.graduated_on is not None


class Contribution(Record):
    id: int
    kind: ContributionKind
    title: str
    contributed_on: date
    text: str
    file_name: str
    file_size: int


class StepRecord(Record):
    step: str  # a Step value
    on: date
    by: str  # the manager, reviewer, assessor, mentee or awarding person
    note: str  # the mentee's feedback for the peer review; optional elsewhere
