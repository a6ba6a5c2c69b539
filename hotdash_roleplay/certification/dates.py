"""Weeks and how dates are written. Day numbers are formatted here, not with strftime's "%-d"
(a glibc extension that Windows does not have)."""

from __future__ import annotations

from datetime import date, timedelta

WEEK = timedelta(days=7)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def week_start(day: date) -> date:
    """The Monday of the week containing `day` (weeks start on Monday)."""
    return day - timedelta(days=day.weekday())


def day_month(day: date) -> str:
    """ "9 Nov" """
    return f"{day.day} {_MONTHS[day.month - 1][:3]}"


def short_date(day: date) -> str:
    """ "9 Nov 2026" """
    return f"{day_month(day)} {day.year}"


def long_date(day: date) -> str:
    """ "9 November 2026" """
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
