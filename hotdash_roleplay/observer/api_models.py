"""Request and response bodies of the observer API. Every request model refuses unknown fields
and bounds every string, so nothing unexpected reaches the services."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hotdash_roleplay.checklist import MAX_ITEM_CHARS, ChecklistAnswers

# The version of the checklist the page last loaded or saved; a save from an older one is
# refused (409, reason "changed"). Optional so older pages keep working; the page always sends it.
SeenVersion = Annotated[int | None, Field(default=None, ge=0, le=2**31)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12)]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Response(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- requests ---------------------------------------------------------------------------------


class JoinRequest(_Request):
    code: Code


class ClaimRequest(_Request):
    code: Code
    name: PersonName


class DraftRequest(_Request):
    answers: ChecklistAnswers  # itself extra="forbid", with count and length limits
    version: SeenVersion = None


class SubmitRequest(_Request):
    answers: ChecklistAnswers | None = None  # None: submit what is saved
    version: SeenVersion = None


# -- responses --------------------------------------------------------------------------------


class ErrorBody(_Response):
    error: str
    # Which 409 it is, for the page: "closed" | "taken" | "in_app" | "changed".
    reason: str | None = None
    missing: list[str] = Field(default_factory=list)  # submit: what the rules still need
    retry_after: int | None = None  # lock-out: seconds to wait
    submission: SubmissionBody | None = None  # "changed": what is stored now


class JoinBody(_Response):
    round: int | None
    observers: list[str]  # this round's
    people: list[str]  # the session's roster: any of them may claim their name


class ClaimBody(_Response):
    name: str


class CriterionBody(_Response):
    key: str
    name: str
    question: str


class ListRuleBody(_Response):
    label: str
    name: str
    item_noun: str
    min_items: int
    max_items: int


class ChecklistBody(_Response):
    criteria: list[CriterionBody]
    went_well: ListRuleBody
    could_improve: ListRuleBody
    marks: list[dict[str, str]]  # [{value: "met", label: "Met"}, ...]
    max_chars: int = MAX_ITEM_CHARS


class SubmissionBody(_Response):
    status: str  # none | draft | submitted
    answers: ChecklistAnswers
    updated_at: str | None
    submitted_at: str | None
    problems: list[str]  # what stops a submission now; [] = may be submitted
    version: int  # send it back with the next save; 0 = nothing stored yet


class NoteBody(_Response):
    """An observer's note, stamped with the role-play clock."""

    id: int
    criterion: str  # a checklist criterion key, or "general"
    criterion_name: str
    text: str
    at_seconds: float
    stamp: str  # "02:13"
    created_at: str


class MeBody(_Response):
    name: str
    round: int
    scenario_title: str
    operator: str | None
    feedback_open: bool
    checklist: ChecklistBody
    submission: SubmissionBody
    notes: list[NoteBody] = Field(default_factory=list)  # mine, this round, oldest first
