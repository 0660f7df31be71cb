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

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ..errors import ContentError, ContentWarning, raise_if_any
from ..model import Entry, ParsedFile, StatedDate
from .align import align
from .datelines import DATE_ISH, MAX_DATE_LINE_CHARS, parse_date_line, parse_name_date
from .text import MAX_LINE_CHARS, decode, has_forbidden, line_problems

HEADER_LINES = 12
"""How many non-blank lines may precede the date line."""
MAX_HEADER_LINE_CHARS = 120
"""A longer line before the date is an entry, not header boilerplate."""

# Invisible characters that scraped text carries at line edges: a line of nothing else is blank.
_EDGE_JUNK = " \t\ufeff\u200b\u200c\u200d\u2060"


def parse_text_dump(path: str, data: bytes) -> tuple[ParsedFile, list[ContentWarning]]:
    """Parse a text dump's bytes; raise every problem found in it at once."""
    return parse_dump_text(path, decode(path, data))


def parse_dump_text(path: str, text: str) -> tuple[ParsedFile, list[ContentWarning]]:
    """Parse a text dump's decoded text; raise every problem found in it at once."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    # One scan of the whole text clears almost every file; only a suspect one is read by line.
    suspect = has_forbidden(text) or max(map(len, lines)) > MAX_LINE_CHARS
    errors = list(line_problems(path, lines)) if suspect else []
    if not any(line.strip() for line in lines):
        errors.append(ContentError(path, 1, "empty file: expected a header, a date and entries"))
    raise_if_any(errors)

    warnings: list[ContentWarning] = []
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    name_date = _name_date_or_error(path, name, errors)
    blocks = list(_blocks(lines))
    header_date, body = _split_header(path, blocks, errors)
    entries = _entries(path, body, errors, warnings)
    if header_date is not None and not entries and not errors:
        errors.append(ContentError(path, header_date.source.line, "no entries after the date line"))
    raise_if_any(errors)
    assert header_date is not None
    parsed = ParsedFile(
        path=path, name_date=name_date, stated_date=header_date, entries=tuple(entries)
    )
    return parsed, warnings


@dataclass(frozen=True, slots=True)
class _Block:
    line: int
    lines: tuple[str, ...]


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
) -> tuple[StatedDate | None, list[_Block]]:
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
        parsed = parse_date_line(path, number, line)
        if parsed is None:
            continue
        if isinstance(parsed, ContentError):
            errors.append(parsed)
            return None, []
        rest = _drop_second_date(path, parsed, _blocks_after(blocks, number), errors)
        return parsed, rest
    for number, line in header_lines:
        if len(line) <= MAX_DATE_LINE_CHARS and DATE_ISH.search(line):
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
    path: str, first: StatedDate, rest: list[_Block], errors: list[ContentError]
) -> list[_Block]:
    """Report a second date line right after the first, and leave it out of the entries."""
    if rest and _is_date_line(path, rest[0]):
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


def _entries(
    path: str, body: list[_Block], errors: list[ContentError], warnings: list[ContentWarning]
) -> list[Entry]:
    # A date line where a title or an abstract belongs: another dump follows, whose header
    # lines would otherwise pass for papers and its date be lost. Pairing the rest would only
    # add errors about that header, so this is the file's one problem with its entries.
    pasted = next((block for block in body if _is_date_line(path, block)), None)
    if pasted is not None:
        errors.append(
            ContentError(
                path,
                pasted.line,
                f"a date line {pasted.lines[0]!r} among the entries; "
                "is a second digest pasted into this file?",
            )
        )
        return []
    aligned = align(path, [(block.line, block.lines) for block in body])
    errors.extend(aligned.errors)
    warnings.extend(aligned.warnings)
    return list(aligned.entries)


def _is_date_line(path: str, block: _Block) -> bool:
    return len(block.lines) == 1 and parse_date_line(path, block.line, block.lines[0]) is not None
