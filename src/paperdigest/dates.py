"""Digest dates: reading them from headers and file names, and settling each file's date."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from .errors import ContentError, ContentWarning, raise_if_any
from .model import DigestFile, HeaderDate, Source

# Fixed English names: the dumps are English, and the locale must not change parsing.
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTH_ABBR = tuple(name[:3] for name in MONTH_NAMES)
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


def parse_header_date(path: str, number: int, line: str) -> HeaderDate | ContentError | None:
    """A HeaderDate if `line` is a date, an error if it is an impossible one, else None."""
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
    return HeaderDate(month=month, day=day, year=year, text=line, source=Source(path, number))


def resolve_date(
    file: DigestFile, year: int | None, warnings: list[ContentWarning] | None = None
) -> date:
    """The digest date of a file: its file-name date if any, else its header date and `year`."""
    header = file.header_date
    where = header.source
    if file.name_date is not None:
        named = file.name_date
        disagrees = (header.month, header.day) != (named.month, named.day) or (
            header.year not in (None, named.year)
        )
        if disagrees and warnings is not None:
            warnings.append(
                ContentWarning(
                    where.path,
                    where.line,
                    f"the header date {header.text!r} disagrees with the file name's "
                    f"{named.isoformat()}; using the file name's date",
                )
            )
        return named
    chosen = header.year if header.year is not None else year
    if chosen is None:
        raise ContentError(
            where.path,
            where.line,
            f"the date {header.text!r} has no year: set `year` in site.yml, "
            "or start the file name with YYYY-MM-DD",
        )
    try:
        return date(chosen, header.month, header.day)
    except ValueError:
        raise ContentError(
            where.path, where.line, f"impossible date {header.text!r}: not a day in {chosen}"
        ) from None


DatedFile = tuple[date, DigestFile]


def resolve_dates(
    files: Sequence[DigestFile], year: int | None
) -> tuple[list[DatedFile], list[ContentWarning]]:
    """Every file with its digest date, ordered by date then path; all date problems at once."""
    errors: list[ContentError] = []
    warnings: list[ContentWarning] = []
    dated: list[DatedFile] = []
    for file in files:
        try:
            dated.append((resolve_date(file, year, warnings), file))
        except ContentError as exc:
            errors.append(exc)
    raise_if_any(errors)
    dated.sort(key=lambda pair: (pair[0], pair[1].sort_key))
    return dated, warnings
