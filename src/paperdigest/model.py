"""The data model: what the parser reads and what dedupe makes of it."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any


def _reduce_to_constructor(self: Any) -> tuple[type, tuple[Any, ...]]:
    """Pickle as a constructor call; slotted dataclasses otherwise unpickle field by field,
    which makes loading the parse cache three times slower."""
    return type(self), tuple(getattr(self, field.name) for field in fields(self))


@dataclass(frozen=True, slots=True)
class Source:
    """A place in an input file."""

    path: str
    """The file, as the user named it (for example `content/2025-03-14.txt`)."""
    line: int
    """The 1-based line number."""

    __reduce__ = _reduce_to_constructor

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One title and its abstract, as written in a digest file."""

    title: str
    """The title, stripped of surrounding whitespace."""
    abstract: str
    """The abstract, stripped; a paragraph wrapped over several lines is joined with spaces."""
    source: Source
    """Where the title line is."""

    __reduce__ = _reduce_to_constructor


@dataclass(frozen=True, slots=True)
class HeaderDate:
    """The date written in a digest's header, such as `Mar 14`."""

    month: int
    """1 to 12."""
    day: int
    """1 to 31; checked against the month once the year is known."""
    year: int | None
    """The year, when the header writes one (`Mar 14, 2025`); usually None."""
    text: str
    """The date as written, for messages."""
    source: Source
    """Where the date line is."""

    __reduce__ = _reduce_to_constructor


@dataclass(frozen=True, slots=True)
class DigestFile:
    """One parsed digest file, before its date is resolved and before dedupe."""

    path: str
    """The file, as the user named it."""
    sort_key: str
    """The path relative to the content folder, which orders files that share a date."""
    header_date: HeaderDate
    """The date line from the header."""
    name_date: date | None
    """The date from a `YYYY-MM-DD` file-name prefix, if there is one."""
    entries: tuple[Entry, ...]
    """The entries in file order."""

    __reduce__ = _reduce_to_constructor


@dataclass(frozen=True, slots=True)
class Appearance:
    """One entry of a paper in one dated digest."""

    date: date
    """The digest's date."""
    title: str
    """The title exactly as this entry wrote it."""
    abstract: str
    """The abstract exactly as this entry wrote it."""
    source: Source
    """Where the entry is."""


@dataclass(frozen=True, slots=True)
class AbstractVersion:
    """One distinct text of a paper's abstract (texts differing only in whitespace are one)."""

    text: str
    """The text, as written in its latest appearance."""
    dates: tuple[date, ...]
    """The digest dates that carried this version, oldest first."""
    source: Source
    """Where its latest appearance is."""


@dataclass(frozen=True, slots=True)
class Paper:
    """A deduplicated paper: every entry whose normalized title is the same."""

    key: str
    """The normalized title that identifies the paper."""
    slug: str
    """The URL name of its page; derived from `key` alone, so it never changes."""
    title: str
    """The title as written in its latest appearance."""
    abstracts: tuple[AbstractVersion, ...]
    """Every distinct abstract; the current one (from the latest appearance) first."""
    dates: tuple[date, ...]
    """The digests it appeared in, oldest first."""
    source: Source
    """Where it first appeared."""

    @property
    def abstract(self) -> AbstractVersion:
        """The current abstract."""
        return self.abstracts[0]

    @property
    def first_seen(self) -> date:
        """The date of its first digest."""
        return self.dates[0]

    @property
    def last_seen(self) -> date:
        """The date of its latest digest."""
        return self.dates[-1]


@dataclass(frozen=True, slots=True)
class Digest:
    """All papers listed on one date, merged from every file with that date."""

    date: date
    """The digest's date."""
    papers: tuple[Paper, ...]
    """The day's papers in order (file name, then position), each once."""
    abstracts: tuple[str, ...]
    """The abstract each paper was listed with that day (its last listing that day)."""
    sources: tuple[str, ...]
    """The files merged into this digest, in order."""

    def is_new(self, paper: Paper) -> bool:
        """Whether this digest is the first one to list `paper`."""
        return paper.first_seen == self.date


@dataclass(frozen=True, slots=True)
class Library:
    """Everything read from the content folder, deduplicated."""

    digests: tuple[Digest, ...]
    """Every digest, oldest first."""
    papers: tuple[Paper, ...]
    """Every paper, ordered by slug."""
    entry_count: int
    """How many entries were read in total, before dedupe."""

    @property
    def merged_count(self) -> int:
        """How many entries were folded into a paper already seen."""
        return self.entry_count - len(self.papers)
