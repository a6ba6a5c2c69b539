"""Weekly figures against the expert thresholds, and runs of consecutive qualifying weeks.

A run is a sequence of calendar weeks, each right after the previous one, each meeting every
threshold. A missing week or a week below any one threshold ends it; the next qualifying week
starts a new one. The current run is the one that ends with the latest week on record (none
when that week misses)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hotdash_roleplay.certification.program import (
    APPROVAL_CAUTION,
    APPROVAL_CAUTION_ABOVE,
    CONSECUTIVE_WEEKS,
    ESCALATION_BAND,
    ESCALATION_TOO_HIGH,
    ESCALATION_TOO_LOW,
    METRIC_LABELS,
    METRIC_UNITS,
    THRESHOLDS,
    Metric,
    Threshold,
    number,
)
from hotdash_roleplay.dates import WEEK, day_month, week_start

# What a figure can be at all (not what it should be): a value outside is a typing mistake.
RANGES: dict[Metric, tuple[float, float]] = {
    Metric.APPROVAL_RATE: (0.0, 100.0),
    Metric.AVG_REVIEW_SECONDS: (0.0, 86_400.0),
    Metric.CSAT: (1.0, 5.0),
    Metric.FIRST_CONTACT_RESOLUTION: (0.0, 100.0),
    Metric.DECISION_ACCURACY: (0.0, 100.0),
    Metric.ESCALATION_RATE: (0.0, 100.0),
}
REQUIRED_METRICS: tuple[Metric, ...] = tuple(t.metric for t in THRESHOLDS)


def range_problem(metric: Metric, value: float) -> str | None:
    """Why `value` cannot be a `metric` figure, or None."""
    lo, hi = RANGES[metric]
    if value != value or not lo <= value <= hi:  # NaN compares unequal to itself
        unit = " seconds" if METRIC_UNITS[metric] == " s" else ""
        return f"{metric.value} must be between {number(lo)} and {number(hi)}{unit}"
    return None


class WeekFigures(BaseModel):
    """One person's figures for one week (Monday to Sunday); any date in the week names it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    week_start: date
    approval_rate: float
    avg_review_seconds: float
    csat: float
    first_contact_resolution: float
    decision_accuracy: float
    escalation_rate: float | None = None

    @field_validator("week_start")
    @classmethod
    def _monday(cls, day: date) -> date:
        return week_start(day)

    @model_validator(mode="after")
    def _in_range(self) -> WeekFigures:
        for metric in Metric:
            value = self.value(metric)
            problem = None if value is None else range_problem(metric, value)
            if problem:
                raise ValueError(problem)
        return self

    def value(self, metric: Metric) -> float | None:
        return getattr(self, metric.value)  # type: ignore[no-any-return]

    def figures(self) -> tuple[float, ...]:
        """The required figures in THRESHOLDS order."""
        return tuple(getattr(self, m.value) for m in REQUIRED_METRICS)


_LIMITS: tuple[tuple[float, bool], ...] = tuple((t.value, t.strict) for t in THRESHOLDS)


def qualifies(figures: Sequence[float]) -> bool:
    """Every required figure (THRESHOLDS order) meets its threshold. The same comparison as
    Threshold.met, unrolled: the team overview makes it for every week of 200 people."""
    for (limit, strict), value in zip(_LIMITS, figures, strict=True):
        if (value >= limit) if strict else (value < limit):
            return False
    return True


class FigureCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    metric: Metric
    label: str
    value: float
    rule: str  # "≥ 85 %"
    met: bool
    text: str  # "CSAT 4.7 < 4.8" when missed, "CSAT 4.9" when met


def figure_check(threshold: Threshold, value: float) -> FigureCheck:
    met = threshold.met(value)
    shown = f"{threshold.label} {number(value)}{threshold.unit}"
    if not met:
        shown += f" {threshold.failed_sign} {number(threshold.value)}{threshold.unit}"
    return FigureCheck(
        metric=threshold.metric,
        label=threshold.label,
        value=value,
        rule=threshold.rule,
        met=met,
        text=shown,
    )


class WeekCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    figures: WeekFigures
    checks: tuple[FigureCheck, ...]
    qualifies: bool
    missed: str  # "CSAT 4.7 < 4.8 in the week of 9 Nov", "" when it qualifies
    caution: str  # the program's caution when approval is above 90 %, else ""
    escalation: str  # the escalation rate against the 12–13 % band, "" when not given
    in_qualifying_run: bool = False

    @property
    def week_start(self) -> date:
        return self.figures.week_start


def check_week(week: WeekFigures) -> WeekCheck:
    checks = tuple(figure_check(t, v) for t, v in zip(THRESHOLDS, week.figures(), strict=True))
    failed = [c.text for c in checks if not c.met]
    return WeekCheck(
        figures=week,
        checks=checks,
        qualifies=not failed,
        missed=f"{', '.join(failed)} in the week of {day_month(week.week_start)}" if failed else "",
        caution=APPROVAL_CAUTION if week.approval_rate > APPROVAL_CAUTION_ABOVE else "",
        escalation=escalation_note(week.escalation_rate),
    )


def escalation_note(rate: float | None) -> str:
    """The escalation rate against the program's optimal band, for information."""
    if rate is None:
        return ""
    lo, hi = ESCALATION_BAND
    shown = f"Escalation rate {number(rate)} %"
    band = f"{number(lo)}–{number(hi)} % optimal"
    if lo <= rate <= hi:
        return f"{shown}: within the {band}"
    advice = ""
    if rate < 10:
        advice = f" ({ESCALATION_TOO_LOW})"
    elif rate > 15:
        advice = f" ({ESCALATION_TOO_HIGH})"
    side = "below" if rate < lo else "above"
    return f"{shown}: {side} the {band}{advice}"


class Run(BaseModel):
    model_config = ConfigDict(frozen=True)

    first_week: date
    last_week: date
    weeks: int = Field(ge=1)


def runs(weeks: Iterable[tuple[date, bool]]) -> list[Run]:
    """Runs of consecutive qualifying weeks from (Monday, qualifies) pairs in date order."""
    out: list[Run] = []
    first: date | None = None
    last: date | None = None
    count = 0
    for monday, ok in weeks:
        if ok and last is not None and first is not None and monday == last + WEEK:
            last, count = monday, count + 1
            continue
        if first is not None and last is not None:
            out.append(Run(first_week=first, last_week=last, weeks=count))
        first, last, count = (monday, monday, 1) if ok else (None, None, 0)
    if first is not None and last is not None:
        out.append(Run(first_week=first, last_week=last, weeks=count))
    return out


def run_lengths(weeks: Sequence[tuple[date, bool]]) -> tuple[int, int]:
    """(longest, current) run length, without building Run objects: the overview's path."""
    longest = current = 0
    previous: date | None = None
    for monday, ok in weeks:
        if not ok:
            current = 0
        elif previous is not None and current and monday == previous + WEEK:
            current += 1
        else:
            current = 1
        previous = monday
        longest = max(longest, current)
    return longest, current


class MetricsSummary(BaseModel):
    """Every week on record, checked, with the runs they form."""

    model_config = ConfigDict(frozen=True)

    weeks: tuple[WeekCheck, ...]
    runs: tuple[Run, ...]
    longest_run_weeks: int
    current_run_weeks: int
    qualifying_run: Run | None  # the latest run of 4 weeks or more

    @property
    def met(self) -> bool:
        return self.qualifying_run is not None

    @property
    def last_missed(self) -> str:
        """Why the latest week that missed did not qualify."""
        return next((w.missed for w in reversed(self.weeks) if w.missed), "")


def summarise(weeks: Iterable[WeekFigures]) -> MetricsSummary:
    ordered = sorted(weeks, key=lambda w: w.week_start)
    found = runs((w.week_start, qualifies(w.figures())) for w in ordered)
    qualifying = next((r for r in reversed(found) if r.weeks >= CONSECUTIVE_WEEKS), None)
    checks = []
    for week in ordered:
        check = check_week(week)
        if qualifying and qualifying.first_week <= week.week_start <= qualifying.last_week:
            check = check.model_copy(update={"in_qualifying_run": True})
        checks.append(check)
    current = 0
    if found and ordered and found[-1].last_week == ordered[-1].week_start:
        current = found[-1].weeks
    return MetricsSummary(
        weeks=tuple(checks),
        runs=tuple(found),
        longest_run_weeks=max((r.weeks for r in found), default=0),
        current_run_weeks=current,
        qualifying_run=qualifying,
    )


def metric_label(metric: Metric) -> str:
    return METRIC_LABELS[metric]
