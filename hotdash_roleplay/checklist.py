"""The Module 4.3 observer checklist: its definition (data), an observer's answers, the rules a
submission must meet, and the trainer's aggregate across observers. Pure: no I/O but loading.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from hotdash_roleplay.paths import CHECKLIST_FILE
from hotdash_roleplay.yamlfile import load_model

MAX_ITEM_CHARS = 2000  # one note or one went-well / could-improve item
MAX_LIST_ITEMS = 10  # drafts may hold more rows than a submission allows; bounded all the same

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=40)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Sentence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_LIST_ITEMS)]
Item = Annotated[str, StringConstraints(max_length=MAX_ITEM_CHARS)]
AnswerKey = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class Mark(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_OBSERVED = "not_observed"

    @property
    def label(self) -> str:
        return {"met": "Met", "not_met": "Not met", "not_observed": "Not observed"}[self.value]


class _Definition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Definition):
    key: Key
    name: Name
    question: Sentence


class ListRule(_Definition):
    """A free-text list with the program's count, e.g. "What Went Well (2-3 specific examples)"."""

    label: Sentence  # shown on the form, the program's wording
    name: Name  # used in messages: "What went well needs at least 2 ..."
    item_noun: Name  # "example" / "suggestion"
    min_items: Count
    max_items: Annotated[int, Field(strict=True, ge=1, le=MAX_LIST_ITEMS)]

    @field_validator("max_items")
    @classmethod
    def _not_below_min(cls, value: int, info: ValidationInfo) -> int:
        low = info.data.get("min_items")
        if low is not None and value < low:
            raise ValueError(f"max_items ({value}) is below min_items ({low})")
        return value


class Checklist(_Definition):
    criteria: Annotated[list[Criterion], Field(min_length=1, max_length=20)]
    went_well: ListRule
    could_improve: ListRule

    @field_validator("criteria")
    @classmethod
    def _unique_keys(cls, criteria: list[Criterion]) -> list[Criterion]:
        keys = [c.key for c in criteria]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"criterion keys must be unique: {', '.join(repeated)} repeated")
        return criteria

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.criteria]

    def criterion(self, key: str) -> Criterion | None:
        return next((c for c in self.criteria if c.key == key), None)


def load_checklist(path: Path | str = CHECKLIST_FILE) -> Checklist:
    """The checklist definition; InvalidFile (one Problem per issue) if the file is bad."""
    checklist, _ = load_model(path, Checklist)
    return checklist


class ChecklistAnswers(BaseModel):
    """One observer's checklist for one round, as drafted (anything may still be missing).

    Items are kept as typed — blank rows are allowed in a draft and simply not counted.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    marks: Annotated[dict[AnswerKey, Mark | None], Field(max_length=40)] = Field(
        default_factory=dict
    )
    notes: Annotated[dict[AnswerKey, Item], Field(max_length=40)] = Field(default_factory=dict)
    went_well: Annotated[list[Item], Field(max_length=MAX_LIST_ITEMS)] = Field(default_factory=list)
    could_improve: Annotated[list[Item], Field(max_length=MAX_LIST_ITEMS)] = Field(
        default_factory=list
    )


def filled(items: list[str]) -> list[str]:
    """The non-blank items, stripped (what counts towards the 2-3 / 1-2 rules)."""
    return [item.strip() for item in items if item.strip()]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _count_problem(items: list[str], rule: ListRule) -> str | None:
    given = len(filled(items))
    if given < rule.min_items:
        return (
            f"{rule.name} needs at least {rule.min_items} specific "
            f"{rule.item_noun if rule.min_items == 1 else rule.item_noun + 's'} ({given} given)"
        )
    if given > rule.max_items:
        return (
            f"{rule.name} allows at most {_plural(rule.max_items, rule.item_noun)} ({given} given)"
        )
    return None


def submission_problems(answers: ChecklistAnswers, checklist: Checklist) -> list[str]:
    """What stops this draft from being submitted; an empty list means it may be submitted."""
    problems: list[str] = []
    unknown = sorted((set(answers.marks) | set(answers.notes)) - set(checklist.keys))
    if unknown:
        problems.append(f"Unknown criteria: {', '.join(unknown)}")
    unmarked = [c.name for c in checklist.criteria if answers.marks.get(c.key) is None]
    if unmarked:
        count = "1 criterion is" if len(unmarked) == 1 else f"{len(unmarked)} criteria are"
        problems.append(
            f"{count} not marked yet (met, not met or not observed): {', '.join(unmarked)}"
        )
    for items, rule in (
        (answers.went_well, checklist.went_well),
        (answers.could_improve, checklist.could_improve),
    ):
        problem = _count_problem(items, rule)
        if problem:
            problems.append(problem)
    return problems


@dataclass(frozen=True)
class CriterionTally:
    key: str
    name: str
    question: str
    met: int
    not_met: int
    not_observed: int
    unmarked: int  # submissions without a mark for it (drafts, or a changed checklist)
    disagreement: bool  # observers split between met and not met: a calibration topic

    @property
    def met_ratio(self) -> float:
        """Share of observers who judged it (met or not met) that saw it met; 1.0 if nobody."""
        judged = self.met + self.not_met
        return self.met / judged if judged else 1.0


@dataclass(frozen=True)
class Aggregate:
    submissions: int
    criteria: tuple[CriterionTally, ...]  # checklist order
    agenda: tuple[CriterionTally, ...]  # debrief order: most-missed first
    went_well: tuple[str, ...]  # every non-blank item, submission by submission
    could_improve: tuple[str, ...]

    def tally(self, key: str) -> CriterionTally | None:
        return next((t for t in self.criteria if t.key == key), None)


def aggregate(submissions: list[ChecklistAnswers], checklist: Checklist) -> Aggregate:
    """Per-criterion counts across observers, calibration flags and the debrief agenda.

    The agenda holds the criteria someone marked not met (or where observers disagree), the
    most not-met first; ties go to the lower met ratio, then to checklist order.
    """
    tallies: list[CriterionTally] = []
    for criterion in checklist.criteria:
        marks = [answers.marks.get(criterion.key) for answers in submissions]
        met, not_met = marks.count(Mark.MET), marks.count(Mark.NOT_MET)
        tallies.append(
            CriterionTally(
                key=criterion.key,
                name=criterion.name,
                question=criterion.question,
                met=met,
                not_met=not_met,
                not_observed=marks.count(Mark.NOT_OBSERVED),
                unmarked=marks.count(None),
                disagreement=met > 0 and not_met > 0,
            )
        )
    order = {t.key: index for index, t in enumerate(tallies)}
    agenda = sorted(
        (t for t in tallies if t.not_met > 0 or t.disagreement),
        key=lambda t: (-t.not_met, t.met_ratio, order[t.key]),
    )
    return Aggregate(
        submissions=len(submissions),
        criteria=tuple(tallies),
        agenda=tuple(agenda),
        went_well=tuple(item for a in submissions for item in filled(a.went_well)),
        could_improve=tuple(item for a in submissions for item in filled(a.could_improve)),
    )
