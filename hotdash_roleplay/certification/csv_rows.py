"""The weekly metrics CSV exported by the support tool, read all or nothing.

Columns (a header row is required, in any order): person, week_start, approval_rate,
avg_review_seconds, csat, first_contact_resolution, decision_accuracy, and optionally
escalation_rate. Percentages are numbers from 0 to 100, a trailing "%" accepted; week_start is
an ISO date naming the week that contains it (weeks start on Monday). UTF-8 with or without a
byte-order mark; comma or semicolon separated (with semicolons, a decimal comma is accepted).
Rows are numbered as a spreadsheet shows them: the header is row 1."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError

from hotdash_roleplay.certification.metrics import WeekFigures, range_problem
from hotdash_roleplay.certification.program import Metric
from hotdash_roleplay.dates import day_month
from hotdash_roleplay.errors import InvalidFile, Problem, UserError
from hotdash_roleplay.names import clean_name, name_key
from hotdash_roleplay.validation import first_problem

PERSON = "person"
WEEK_START = "week_start"
OPTIONAL: frozenset[str] = frozenset({Metric.ESCALATION_RATE.value})
COLUMNS: tuple[str, ...] = (PERSON, WEEK_START, *(m.value for m in Metric))
REQUIRED: tuple[str, ...] = tuple(c for c in COLUMNS if c not in OPTIONAL)
PERCENT_METRICS = frozenset(
    {
        Metric.APPROVAL_RATE,
        Metric.FIRST_CONTACT_RESOLUTION,
        Metric.DECISION_ACCURACY,
        Metric.ESCALATION_RATE,
    }
)
MAX_BYTES = 10 * 1024 * 1024
MAX_PROBLEMS = 20  # listed; a file with more is refused all the same


@dataclass(frozen=True)
class CsvWeek:
    row: int  # as a spreadsheet numbers it (header = 1)
    person: str
    figures: WeekFigures


def parse_metrics_csv(data: bytes, source: str) -> list[CsvWeek]:
    """Every row of the file, or InvalidFile naming each bad row and what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise UserError(f"{source}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidFile(
            [Problem(source, "", f"not UTF-8 text (byte {exc.start + 1}); save it as UTF-8 CSV")]
        ) from None
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InvalidFile([Problem(source, f"row {reader.line_num}", str(exc))]) from None
    header_row = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if header_row is None:
        raise InvalidFile([Problem(source, "", "the file is empty: a header row is required")])
    header = [c.strip().casefold() for c in rows[header_row]]
    problems = _header_problems(header, source, header_row + 1)
    if problems:
        raise InvalidFile(problems)
    out: list[CsvWeek] = []
    seen: dict[tuple[str, date], int] = {}
    for index in range(header_row + 1, len(rows)):
        cells = rows[index]
        number = index + 1
        if not any(c.strip() for c in cells):
            continue  # a blank line (often the last one)
        where = f"row {number}"
        try:
            week = _week(
                dict(zip(header, cells, strict=False)), len(cells), len(header), number, delimiter
            )
        except ValueError as exc:
            problems.append(Problem(source, where, str(exc)))
        else:
            key = (name_key(week.person), week.figures.week_start)
            if key in seen:
                problems.append(
                    Problem(
                        source,
                        where,
                        f"{week.person} and the week of {day_month(key[1])} {key[1].year} are "
                        f"already on row {seen[key]}",
                    )
                )
            else:
                seen[key] = number
                out.append(week)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise InvalidFile(problems)
    if not out:
        raise InvalidFile([Problem(source, "", "no rows of figures below the header")])
    return out


def _header_problems(header: list[str], source: str, row: int) -> list[Problem]:
    where = f"row {row} (header)"
    problems = []
    unknown = [c or "(empty)" for c in header if c not in COLUMNS]
    if unknown:
        problems.append(
            Problem(
                source,
                where,
                f"unknown column {', '.join(unknown)} (columns: {', '.join(COLUMNS)})",
            )
        )
    twice = sorted({c for c in header if header.count(c) > 1 and c in COLUMNS})
    if twice:
        problems.append(Problem(source, where, f"column {', '.join(twice)} appears twice"))
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.append(Problem(source, where, f"missing column {', '.join(missing)}"))
    return problems


def _week(cells: dict[str, str], count: int, expected: int, number: int, delimiter: str) -> CsvWeek:
    if count > expected:
        raise ValueError(f"{count} cells, but the header has {expected} columns")
    try:
        person = clean_name(cells.get(PERSON, ""))
    except UserError as exc:
        raise ValueError(f"person: {exc}") from None
    raw_day = cells.get(WEEK_START, "").strip()
    try:
        day = date.fromisoformat(raw_day)
    except ValueError:
        raise ValueError(f"week_start {raw_day!r} is not a date like 2026-11-09") from None
    values: dict[str, float | None] = {}
    for metric in Metric:
        raw = cells.get(metric.value, "").strip()
        if not raw:
            if metric.value in OPTIONAL:
                values[metric.value] = None
                continue
            raise ValueError(f"{metric.value} is empty")
        values[metric.value] = _number(metric, raw, delimiter)
    try:
        figures = WeekFigures.model_validate({"week_start": day, **values})
    except ValidationError as exc:
        raise ValueError(first_problem(exc)) from None
    return CsvWeek(row=number, person=person, figures=figures)


def _number(metric: Metric, raw: str, delimiter: str) -> float:
    text = raw
    if metric in PERCENT_METRICS and text.endswith("%"):
        text = text[:-1].strip()
    if delimiter == ";":
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{metric.value} {raw!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{metric.value} {raw!r} is not a number")
    problem = range_problem(metric, value)
    if problem:
        raise ValueError(f"{problem} (found {raw})")
    return value
