"""Date lines and file names: the dates a content file states, read without the locale."""

from __future__ import annotations

import re
from datetime import date

from ..dates import MONTH_ABBR, MONTH_NAMES
from ..errors import ContentError
from ..model import Source, StatedDate

MONTHS = {
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{abbr.lower(): number for number, abbr in enumerate(MONTH_ABBR, start=1)},
    "sept": 9,
}
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29: leap years are checked later

_MONTH_FIRST = re.compile(
    r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?"
)
_DAY_FIRST = re.compile(
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]{3,9})\.?(?:,?\s+(?P<year>\d{4}))?"
)
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DATE_ISH = re.compile(rf"\b{_MONTH_WORD}\b\.?\s*\d|\d\s*{_MONTH_WORD}\b", re.IGNORECASE)
MAX_DATE_LINE_CHARS = 30
"""A longer line is not a malformed date, whatever words it contains."""
_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
_NAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?!\d)")


def parse_name_date(path: str, name: str) -> date | None:
    """The date at the start of a file name (`2025-03-14-anything.txt`), if any."""
    match = _NAME_DATE.match(name)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ContentError(
            path, 1, f"file name starts with {match.group(0)}, which is not a real date"
        ) from None


def parse_date_line(path: str, number: int, line: str) -> StatedDate | ContentError | None:
    """A StatedDate if `line` is a date, an error if it is an impossible one, else None."""
    words = _MONTH_FIRST.fullmatch(line) or _DAY_FIRST.fullmatch(line)
    match = _ISO_DATE.fullmatch(line)
    if match:
        month = int(match.group("month"))
    elif words and words.group("month").lower() in MONTHS:
        match, month = words, MONTHS[words.group("month").lower()]
    else:
        return None
    if not 1 <= month <= 12:
        return ContentError(path, number, f"impossible date {line!r}: there is no month {month}")
    day = int(match.group("day"))
    year = int(match.group("year")) if match.group("year") else None
    if not 1 <= day <= DAYS_IN_MONTH[month - 1]:
        return ContentError(
            path, number, f"impossible date {line!r}: {MONTH_ABBR[month - 1]} has no day {day}"
        )
    return StatedDate(month=month, day=day, year=year, text=line, source=Source(path, number))
