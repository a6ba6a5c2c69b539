"""The certification records of a session's participants, carried in the session's JSON export
and merged on import, so a colleague's store gets them too.

Merging is idempotent: a record already there is left alone (the same module, week, report,
mentee, contribution or step), so importing twice adds nothing. A week whose figures differ is
replaced only by figures updated later than the stored ones, and the change is kept in the
metrics history like any other."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    model_validator,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotdash_roleplay.certification.evidence import MAX_ATTACHMENT
from hotdash_roleplay.certification.metrics import range_problem
from hotdash_roleplay.certification.program import MODULES, ContributionKind, Metric, Step
from hotdash_roleplay.dates import week_start
from hotdash_roleplay.names import name_key
from hotdash_roleplay.store.models import (
    AIReportRow,
    CertificationStepRow,
    ContributionRow,
    MentorshipRow,
    MetricChangeRow,
    ModuleCompletionRow,
    Person,
    WeeklyMetricRow,
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Source = Annotated[str, StringConstraints(max_length=200)]
FileName = Annotated[str, StringConstraints(max_length=255)]
Text = Annotated[str, StringConstraints(max_length=100_000)]


def _from_base64(value: object) -> object:
    return base64.b64decode(value, validate=True) if isinstance(value, str) else value


# An attached file: bytes in the store, base64 in the JSON file.
File = Annotated[
    bytes,
    BeforeValidator(_from_base64),
    PlainSerializer(lambda b: base64.b64encode(b).decode("ascii"), when_used="json"),
    Field(max_length=MAX_ATTACHMENT),
]
Many = 2000  # records of one kind for one person


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModuleData(_Strict):
    module: Annotated[int, Field(ge=min(MODULES), le=max(MODULES))]
    completed_on: date
    confirmed_by: Name


class WeekData(_Strict):
    week_start: date
    approval_rate: float
    avg_review_seconds: float
    csat: float
    first_contact_resolution: float
    decision_accuracy: float
    escalation_rate: float | None = None
    source: Source
    updated_at: datetime

    @model_validator(mode="after")
    def _in_range(self) -> WeekData:
        if self.week_start != week_start(self.week_start):
            raise ValueError("week_start must be a Monday")
        for metric in Metric:
            value = getattr(self, metric.value)
            problem = None if value is None else range_problem(metric, value)
            if problem:
                raise ValueError(problem)
        return self


class ChangeData(_Strict):
    week_start: date
    changed_at: datetime
    changed_by: Name
    source: Source
    old: dict[Annotated[str, StringConstraints(max_length=40)], float | None]
    new: dict[Annotated[str, StringConstraints(max_length=40)], float | None]


class ReportData(_Strict):
    title: Title
    submitted_on: date
    reviewer: Annotated[str, StringConstraints(max_length=120)] = ""
    text: Text = ""
    file_name: FileName = ""
    file_data: File | None = None


class MentorshipData(_Strict):
    mentee: Name
    started_on: date
    graduated_on: date | None = None


class ContributionData(_Strict):
    kind: ContributionKind
    title: Title
    contributed_on: date
    text: Text = ""
    file_name: FileName = ""
    file_data: File | None = None


class StepData(_Strict):
    step: Step
    on: date
    by: Name
    note: Text = ""


class PersonCertificationData(_Strict):
    person: Name
    modules: Annotated[list[ModuleData], Field(max_length=len(MODULES))] = []
    weeks: Annotated[list[WeekData], Field(max_length=Many)] = []
    changes: Annotated[list[ChangeData], Field(max_length=Many)] = []
    reports: Annotated[list[ReportData], Field(max_length=Many)] = []
    mentorships: Annotated[list[MentorshipData], Field(max_length=Many)] = []
    contributions: Annotated[list[ContributionData], Field(max_length=Many)] = []
    steps: Annotated[list[StepData], Field(max_length=len(Step))] = []

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.modules,
                self.weeks,
                self.reports,
                self.mentorships,
                self.contributions,
                self.steps,
            )
        )


_FIGURES = tuple(m.value for m in Metric)
_Record = TypeVar("_Record", bound=BaseModel)


def _copied(db: Session, model: type[_Record], row_type: type[Any], p: Person) -> list[_Record]:
    """The person's rows of `row_type` as `model`s: each field is the row's column of that
    name, validated as the keyword constructor would."""
    rows = db.scalars(select(row_type).filter_by(person_id=p.id))
    return [model.model_validate(r, from_attributes=True) for r in rows]


def certification_export(db: Session, people: list[Person]) -> list[PersonCertificationData]:
    """The certification records of these people (those with none are left out)."""
    out = []
    for p in people:
        data = PersonCertificationData(
            person=p.name,
            modules=_copied(db, ModuleData, ModuleCompletionRow, p),
            weeks=_copied(db, WeekData, WeeklyMetricRow, p),
            changes=_copied(db, ChangeData, MetricChangeRow, p),
            reports=_copied(db, ReportData, AIReportRow, p),
            mentorships=_copied(db, MentorshipData, MentorshipRow, p),
            contributions=_copied(db, ContributionData, ContributionRow, p),
            steps=[
                StepData(step=r.step, on=r.dated, by=r.by_name, note=r.note)
                for r in db.scalars(select(CertificationStepRow).filter_by(person_id=p.id))
            ],
        )
        if not data.empty:
            out.append(data)
    return out


def merge_certification(
    db: Session, records: list[PersonCertificationData], person: Callable[[str], Person]
) -> int:
    """Add what this store does not have yet; returns how many records were added or updated."""
    changed = 0
    for data in records:
        p = person(data.person)
        db.flush()
        changed += _merge_person(db, p.id, data)
    return changed


def _merge_person(db: Session, pid: int, data: PersonCertificationData) -> int:
    added = 0
    modules = {r.module for r in db.scalars(select(ModuleCompletionRow).filter_by(person_id=pid))}
    for m in data.modules:
        if m.module not in modules:
            db.add(ModuleCompletionRow(person_id=pid, **m.model_dump()))
            added += 1
    weeks = {r.week_start: r for r in db.scalars(select(WeeklyMetricRow).filter_by(person_id=pid))}
    changes = {
        (r.week_start, r.changed_at)
        for r in db.scalars(select(MetricChangeRow).filter_by(person_id=pid))
    }
    for w in data.weeks:
        row = weeks.get(w.week_start)
        figures = {c: getattr(w, c) for c in _FIGURES}
        if row is None:
            db.add(
                WeeklyMetricRow(
                    person_id=pid,
                    week_start=w.week_start,
                    source=w.source,
                    updated_at=w.updated_at,
                    **figures,
                )
            )
            added += 1
        elif w.updated_at > row.updated_at and figures != {c: getattr(row, c) for c in _FIGURES}:
            old = {c: getattr(row, c) for c in _FIGURES}
            db.add(
                MetricChangeRow(
                    person_id=pid,
                    week_start=w.week_start,
                    changed_at=w.updated_at,
                    changed_by="import",
                    source=w.source,
                    old=old,
                    new=figures,
                )
            )
            changes.add((w.week_start, w.updated_at))
            for column, value in figures.items():
                setattr(row, column, value)
            row.source, row.updated_at = w.source, w.updated_at
            added += 1
    for change in data.changes:
        if (change.week_start, change.changed_at) not in changes:
            db.add(MetricChangeRow(person_id=pid, **change.model_dump()))
            added += 1
    reports = {
        (r.title, r.submitted_on) for r in db.scalars(select(AIReportRow).filter_by(person_id=pid))
    }
    for r in data.reports:
        if (r.title, r.submitted_on) not in reports:
            db.add(AIReportRow(person_id=pid, **r.model_dump()))
            added += 1
    mentees = {r.mentee_key: r for r in db.scalars(select(MentorshipRow).filter_by(person_id=pid))}
    for mentorship in data.mentorships:
        key = name_key(mentorship.mentee)
        known = mentees.get(key)
        if known is None:
            db.add(MentorshipRow(person_id=pid, mentee_key=key, **mentorship.model_dump()))
            added += 1
        elif known.graduated_on is None and mentorship.graduated_on is not None:
            known.graduated_on = mentorship.graduated_on
            added += 1
    contributions = {
        (r.kind, r.title, r.contributed_on)
        for r in db.scalars(select(ContributionRow).filter_by(person_id=pid))
    }
    for contribution in data.contributions:
        found = (contribution.kind, contribution.title, contribution.contributed_on)
        if found not in contributions:
            db.add(ContributionRow(person_id=pid, **contribution.model_dump(mode="python")))
            added += 1
    steps = {r.step for r in db.scalars(select(CertificationStepRow).filter_by(person_id=pid))}
    for s in data.steps:
        if s.step.value not in steps:
            db.add(
                CertificationStepRow(
                    person_id=pid, step=s.step.value, dated=s.on, by_name=s.by, note=s.note
                )
            )
            added += 1
    return added
