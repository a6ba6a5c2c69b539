"""Dates in the reports: the day number without a leading zero and the English month, built
without strftime's platform- and locale-dependent codes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from hotdash_roleplay import dates

ROOT = Path(__file__).resolve().parent.parent
# strftime flags that glibc or BSD accept and Windows' C library rejects ("%-d", "%_d", "%^b")
# or that only Windows knows ("%#d").
UNPORTABLE = re.compile(r"%[-_^#0][a-zA-Z]")


def test_single_and_double_digit_days_in_every_month() -> None:
    got = [dates.long_date(date(2026, month, 1 if month % 2 else 28)) for month in range(1, 13)]
    assert got == [
        "1 January 2026", "28 February 2026", "1 March 2026", "28 April 2026", "1 May 2026",
        "28 June 2026", "1 July 2026", "28 August 2026", "1 September 2026",
        "28 October 2026", "1 November 2026", "28 December 2026",
    ]  # fmt: skip
    assert dates.short_date(date(2026, 9, 5)) == "5 Sep 2026"
    assert dates.short_date(date(2031, 12, 31)) == "31 Dec 2031"


def test_a_datetime_is_a_day_too() -> None:
    when = datetime(2026, 3, 5, 9, 7, 59)
    assert dates.long_date(when) == "5 March 2026"
    assert dates.short_date(when) == "5 Mar 2026"


def test_time_of_day_on_a_24_hour_clock_in_the_zone_given() -> None:
    morning = datetime(2026, 3, 5, 9, 7, 59, tzinfo=UTC)
    assert dates.short_date_time(morning) == "5 Mar 2026, 09:07"
    assert dates.short_date_time(datetime(2026, 3, 5, 0, 0)) == "5 Mar 2026, 00:00"
    # Across midnight in another zone, the day follows the zone.
    later = morning.astimezone(timezone(timedelta(hours=-10)))
    assert dates.short_date_time(later) == "4 Mar 2026, 23:07"


def test_no_source_file_uses_a_platform_dependent_strftime_code() -> None:
    offenders = []
    for folder in ("hotdash_roleplay", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name == "dates.py" and path.parent.name == "hotdash_roleplay":
                continue  # its docstring names the code it replaces
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if UNPORTABLE.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "use hotdash_roleplay.dates:\n" + "\n".join(offenders)


def test_weeks_start_on_monday_and_years_keep_the_day() -> None:
    assert dates.week_start(date(2026, 11, 15)) == date(2026, 11, 9)  # a Sunday
    assert dates.week_start(date(2026, 11, 9)) == date(2026, 11, 9)
    assert dates.day_month(date(2026, 11, 9)) == "9 Nov"
    assert dates.add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert dates.add_years(date(2026, 11, 9), 1) == date(2027, 11, 9)
