"""Dates as the reports write them ("5 March 2026", "5 Mar 2026, 14:03"), the same on Windows,
macOS and Linux and in any locale.

strftime's "%-d" (the day without a leading zero) is a glibc and BSD extension that Windows'
C library rejects, and "%b"/"%B" follow the process locale (which Qt sets from the user's
environment), so the day number and the English month name are built here instead."""

from __future__ import annotations

from datetime import date, datetime

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def day(when: date) -> str:
    """The day with the month in full: 5 March 2026."""
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


def short_day(when: date) -> str:
    """The day with the month shortened: 5 Mar 2026."""
    return f"{when.day} {MONTHS[when.month - 1][:3]} {when.year}"


def short_day_time(when: datetime) -> str:
    """The short day and the time on a 24-hour clock, in the time zone `when` carries:
    5 Mar 2026, 14:03."""
    return f"{short_day(when)}, {when.hour:02d}:{when.minute:02d}"
