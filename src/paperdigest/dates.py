"""Dates in words and in RFC 822, written out so the locale never changes them."""

from __future__ import annotations

from datetime import date

# Fixed English names: the pages and dumps are English, and the locale must not matter.
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTH_ABBR = tuple(name[:3] for name in MONTH_NAMES)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def date_words(day: date) -> str:
    """A date in words: `Friday, 14 March 2025`."""
    return f"{DAY_NAMES[day.weekday()]}, {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def month_words(day: date) -> str:
    """A month in words: `March 2025`."""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def rfc822(day: date) -> str:
    """Midnight UTC of a date, as RFC 822 wants it: `Fri, 14 Mar 2025 00:00:00 GMT`."""
    # Written out: importing email.utils for this would cost every rebuild 10 ms.
    weekday, month = DAY_NAMES[day.weekday()][:3], MONTH_ABBR[day.month - 1]
    return f"{weekday}, {day.day:02} {month} {day.year:04} 00:00:00 GMT"
