"""Read digest dumps: a short header ending in a date, then title and abstract paragraphs.

The format, as scraped from a trending-papers page::

    new
    Get trending papers in your email inbox!
    ...
    Mar 14

    A Paper Title

    Its abstract, on one line (or a paragraph wrapped over several).

Blank lines separate titles and abstracts; runs of them are fine.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import ContentError, ContentErrors, ContentWarning, raise_if_any
from .model import DigestFile, Entry, HeaderDate, Source

MAX_LINE_CHARS = 100_000
"""Longer lines are refused: no real title or abstract comes close."""
MAX_ERRORS_PER_FILE = 20
"""Beyond this many line-level problems a file is reported as a whole."""
HEADER_LINES = 12
"""How many non-blank lines may precede the date line."""
MAX_HEADER_LINE_CHARS = 120
"""A longer line before the date is an entry, not header boilerplate."""
SUSPICIOUS_TITLE_CHARS = 300
"""A title this long, longer than its abstract, suggests entries are out of step."""

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
_DATE_ISH = re.compile(rf"\b{_MONTH_WORD}\b\.?\s*\d|\d\s*{_MONTH_WORD}\b", re.IGNORECASE)
MAX_DATE_LINE_CHARS = 30
"""A longer line is not a malformed date, whatever words it contains."""
_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
# Invisible characters that scraped text carries at line edges: a line of nothing else is blank.
_EDGE_JUNK = " \t\ufeff\u200b\u200c\u200d\u2060"
_NAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?!\d)")


def decode(path: str, data: bytes) -> str:
    """Decode a digest file's bytes as UTF-8 (a BOM is allowed), or say where it is not."""
    for bom, encoding in _OTHER_BOMS:
        if data.startswith(bom):
            raise ContentError(path, 1, f"the file is {encoding} text; save it as UTF-8")
    nul = data.find(b"\0")
    if nul >= 0:
        raise ContentError(path, _line_at(data, nul), "binary file (NUL byte), not a text digest")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_at(data, exc.start)
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(
            path,
            line,
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at column {column} "
            "(save the file as UTF-8)",
        ) from None


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


def parse_digest(
    path: str, text: str, sort_key: str | None = None
) -> tuple[DigestFile, list[ContentWarning]]:
    """Parse one digest file's text; raise every problem found in it at once."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    # One scan of the whole text clears almost every file; only a suspect one is read by line.
    suspect = _FORBIDDEN.search(text) or max(map(len, lines)) > MAX_LINE_CHARS
    errors = list(_check_lines(path, lines)) if suspect else []
    if not any(line.strip() for line in lines):
        errors.append(ContentError(path, 1, "empty file: expected a header, a date and entries"))
    raise_if_any(errors)

    warnings: list[ContentWarning] = []
    name = (sort_key or path).replace("\\", "/").rsplit("/", 1)[-1]
    name_date = _name_date_or_error(path, name, errors)
    blocks = list(_blocks(lines))
    header_date, body = _split_header(path, blocks, errors)
    entries = _entries(path, body, errors, warnings)
    if header_date is not None and not entries and not errors:
        errors.append(ContentError(path, header_date.source.line, "no entries after the date line"))
    raise_if_any(errors)
    assert header_date is not None
    digest = DigestFile(
        path=path,
        sort_key=sort_key or path,
        header_date=header_date,
        name_date=name_date,
        entries=tuple(entries),
    )
    return digest, warnings


@dataclass(frozen=True, slots=True)
class _Block:
    line: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def _check_lines(path: str, lines: list[str]) -> Iterator[ContentError]:
    count = 0
    for number, line in enumerate(lines, start=1):
        problem = _line_problem(line)
        if problem:
            count += 1
            if count > MAX_ERRORS_PER_FILE:
                yield ContentError(path, number, "too many problems; stopped checking this file")
                return
            yield ContentError(path, number, problem)


# C0 and C1 controls other than tab, surrogates, and the BMP's noncharacters: XML (the
# feed) forbids most of them, HTML calls them errors, and in a dump they mean a broken
# file. (Newlines never reach a line; the whole text is searched at once with this too.)
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def _line_problem(line: str) -> str | None:
    if len(line) > MAX_LINE_CHARS:
        return f"line is {len(line):,} characters long (the limit is {MAX_LINE_CHARS:,})"
    match = _FORBIDDEN.search(line)
    if match:
        return (
            f"control character U+{ord(match.group()):04X} at column {match.start() + 1} "
            "(is this a binary or mis-encoded file?)"
        )
    return None


def _name_date_or_error(path: str, name: str, errors: list[ContentError]) -> date | None:
    try:
        return parse_name_date(path, name)
    except ContentError as exc:
        errors.append(exc)
        return None


def _blocks(lines: list[str]) -> Iterator[_Block]:
    start = 0
    current: list[str] = []
    for number, line in enumerate(lines, start=1):
        stripped = _strip(line)
        if stripped:
            if not current:
                start = number
            current.append(stripped)
        elif current:
            yield _Block(start, tuple(current))
            current = []
    if current:
        yield _Block(start, tuple(current))


def _strip(line: str) -> str:
    """A line without surrounding whitespace or invisible format characters."""
    previous = None
    while previous != line:
        previous, line = line, line.strip().strip(_EDGE_JUNK)
    return line


def _split_header(
    path: str, blocks: list[_Block], errors: list[ContentError]
) -> tuple[HeaderDate | None, list[_Block]]:
    """Find the date line that ends the header; return it and the blocks after it."""
    header_lines = [
        (block.line + offset, line)
        for block in blocks[:HEADER_LINES]
        for offset, line in enumerate(block.lines)
    ][:HEADER_LINES]
    for number, line in header_lines:
        if len(line) > MAX_HEADER_LINE_CHARS:
            errors.append(
                ContentError(
                    path,
                    number,
                    "expected the header's date (such as 'Mar 14') before the first entry",
                )
            )
            return None, []
        parsed = _parse_header_date(path, number, line)
        if parsed is None:
            continue
        if isinstance(parsed, ContentError):
            errors.append(parsed)
            return None, []
        rest = _drop_second_date(path, parsed, _blocks_after(blocks, number), errors)
        return parsed, rest
    for number, line in header_lines:
        if len(line) <= MAX_DATE_LINE_CHARS and _DATE_ISH.search(line):
            errors.append(
                ContentError(path, number, f"cannot read the date {line!r}; write it like 'Mar 14'")
            )
            return None, []
    first = blocks[0].line if blocks else 1
    errors.append(
        ContentError(path, first, "no date line: the header must end with a date such as 'Mar 14'")
    )
    return None, []


def _blocks_after(blocks: list[_Block], line_number: int) -> list[_Block]:
    rest: list[_Block] = []
    for block in blocks:
        last = block.line + len(block.lines) - 1
        if last <= line_number:
            continue
        if block.line <= line_number:
            # The date line shares a paragraph with what follows; keep only the lines after it.
            skip = line_number - block.line + 1
            rest.append(_Block(line_number + 1, block.lines[skip:]))
        else:
            rest.append(block)
    return rest


def _drop_second_date(
    path: str, first: HeaderDate, rest: list[_Block], errors: list[ContentError]
) -> list[_Block]:
    """Report a second date line right after the first, and leave it out of the entries."""
    if rest and len(rest[0].lines) == 1:
        second = _parse_header_date(path, rest[0].line, rest[0].lines[0])
        if second is not None:
            errors.append(
                ContentError(
                    path,
                    rest[0].line,
                    f"a second date line {rest[0].lines[0]!r}; the header already gave "
                    f"{first.text!r} on line {first.source.line}",
                )
            )
            return rest[1:]
    return rest


def _parse_header_date(path: str, number: int, line: str) -> HeaderDate | ContentError | None:
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


def _entries(
    path: str, body: list[_Block], errors: list[ContentError], warnings: list[ContentWarning]
) -> list[Entry]:
    entries: list[Entry] = []
    for index in range(0, len(body), 2):
        title = body[index]
        if _parse_header_date(path, title.line, title.lines[0]) is not None:
            errors.append(
                ContentError(
                    path,
                    title.line,
                    f"a date line {title.lines[0]!r} among the entries; "
                    "is a second digest pasted into this file?",
                )
            )
            break
        if len(title.lines) > 1:
            errors.append(
                ContentError(
                    path,
                    title.line,
                    f"a title runs onto line {title.line + 1}; "
                    "separate each title from its abstract with a blank line",
                )
            )
            continue
        if index + 1 == len(body):
            errors.append(
                ContentError(path, title.line, f"the title {_quote(title.text)} has no abstract")
            )
            break
        abstract = body[index + 1]
        if len(title.text) > SUSPICIOUS_TITLE_CHARS and len(title.text) > len(abstract.text):
            warnings.append(
                ContentWarning(
                    path,
                    title.line,
                    f"this title is {len(title.text):,} characters long and longer than its "
                    "abstract; is a title or an abstract missing above it?",
                )
            )
        entries.append(Entry(title.text, abstract.text, Source(path, title.line)))
    return entries


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def find_digests(content_dir: Path) -> tuple[list[str], list[str]]:
    """The `*.txt` files under the content folder, and the other files that will be ignored.

    Both are sorted paths relative to the folder; dotfiles and site.yml are left out.
    """
    digests: list[str] = []
    others: list[str] = []
    for folder, subfolders, names in os.walk(content_dir):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in names:
            relative = (Path(folder) / name).relative_to(content_dir).as_posix()
            if name.lower().endswith(".txt") and not name.startswith("."):
                digests.append(relative)
            elif not name.startswith(".") and relative != "site.yml":
                others.append(relative)
    return sorted(digests), sorted(others)


def read_digests(
    content_dir: Path, shown_dir: str
) -> tuple[list[DigestFile], list[ContentWarning], list[ContentError]]:
    """Read and parse every digest file; return the good files, the warnings and the errors.

    Nothing is raised for a broken file, so the caller can go on checking the good ones.
    """
    files: list[DigestFile] = []
    warnings: list[ContentWarning] = []
    errors: list[ContentError] = []
    digests, others = find_digests(content_dir)
    for relative in others:
        shown = f"{shown_dir.rstrip('/')}/{relative}"
        warnings.append(
            ContentWarning(shown, 1, "not a digest (only *.txt files are read); ignored")
        )
    for relative in digests:
        shown = f"{shown_dir.rstrip('/')}/{relative}"
        try:
            data = (content_dir / relative).read_bytes()
            digest, file_warnings = parse_digest(shown, decode(shown, data), relative)
        except ContentErrors as exc:
            errors.extend(exc.errors)
        except ContentError as exc:
            errors.append(exc)
        except OSError as exc:
            errors.append(ContentError(shown, 1, f"cannot read the file: {exc.strerror}"))
        else:
            files.append(digest)
            warnings.extend(file_warnings)
    return files, warnings, errors
