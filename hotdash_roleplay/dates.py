"""Dates as the app writes them ("5 March 2026", "5 Mar 2026, 14:03", "9 Nov"), the same on
Windows, macOS and Linux and in any locale; and the calendar weeks of the certification metrics.

strftime's "%-d" (the day without a leading zero) is a glibc and BSD extension that Windows'
C library rejects, and "%b"/"%B" follow the process locale (which Qt sets from the user's
environment), so the day number and the English month name are built here instead."""

from __future__ import annotations

from datetime import date, datetime, timedelta

WEEK = timedelta(days=7)

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(when: date) -> str:
    """The day with the month in full: 5 March 2026."""
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


def short_date(when: date) -> str:
    """The day with the month shortened: 5 Mar 2026."""
    return f"{when.day} {MONTHS[when.month - 1][:3]} {when.year}"


def short_date_time(when: datetime) -> str:
    """The short day and the time on a 24-hour clock, in the time zone `when` carries:
    5 Mar 2026, 14:03."""
    return f"{short_date(when)}, {when.hour:02d}:{when.minute:02d}"


def day_month(when: date) -> str:
    """The day and the shortened month: 9 Nov."""
    return f"{when.day} {MONTHS[when.month - 1][:3]}"


def week_start(when: date) -> date:
    """The Monday of the week containing `when` (weeks start on Monday)."""
    return when - timedelta(days=when.weekday())


def add_years(when: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return when.replace(year=when.year + years)
    except ValueError:
        return when.replace(year=when.year + years, day=28)
