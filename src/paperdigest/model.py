"""The data model: what readers parse from files and what dedupe makes of it."""

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
class Link:
    """A link a listing gives for a paper, such as its code repository."""

    kind: str
    """What it points at, in a word: `code`, `project`, `model`, `dataset`, `demo`."""
    url: str
    """The absolute http(s) URL."""

    __reduce__ = _reduce_to_constructor


@dataclass(frozen=True, slots=True)
class Entry:
    """One paper as one listing gives it."""

    title: str
    """The title, stripped of surrounding whitespace."""
    abstract: str
    """The abstract, stripped; a paragraph wrapped over several lines is joined with spaces."""
    source: Source
    """Where the entry starts (a text dump's title line)."""
    arxiv_id: str = ""
    """The arXiv identifier without version (`2403.13187`), when the listing gives one."""
    authors: tuple[str, ...] = ()
    """The authors' names in listing order, when the listing gives them."""
    links: tuple[Link, ...] = ()
    """Links the listing gives (code, project page), in listing order."""
    published: date | None = None
    """The day the paper was submitted to arXiv, when the listing gives it."""
    upvotes: int | None = None
    """Upvotes when this listing was read: a fact of this listing, not of the paper."""
    comments: int | None = None
    """Comments when this listing was read."""
    stars: int | None = None
    """Stars of its code repository when this listing was read."""
    ai_summary: str = ""
    """A one-sentence summary the source generated, if it gives one."""
    keywords: tuple[str, ...] = ()
    """Keywords the source gives."""
    organization: str = ""
    """The organization the source names for the paper."""
    thumbnail: str = ""
    """An image the source made for the paper, by URL."""
    slug: str = ""
    """The slug of the paper's page, if the listing states it: a digest's export does, so
    a site rebuilt from its export keeps its URLs (see `dedupe`)."""

    __reduce__ = _reduce_to_constructor


@dataclass(frozen=True, slots=True)
class StatedDate:
    """A digest's date as its file states it, such as a dump header's `Mar 14`."""

    month: int
    """1 to 12."""
    day: int
    """1 to 31; checked against the month once the year is known."""
    year: int | None
    """The year, when the file states one (`Mar 14, 2025`); a dump's header seldom does."""
    text: str
    """The date as written, for messages."""
    source: Source
    """Where it is written."""

    __reduce__ = _reduce_to_constructor


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """One content file as a reader parsed it, before its date is resolved."""

    path: str
    """The file, as the user named it; files that share a date are ordered by it."""
    name_date: date | None
    """The date from a `YYYY-MM-DD` file-name prefix, if there is one."""
    stated_date: StatedDate | None
    """The date the file's text states, if it states one."""
    entries: tuple[Entry, ...]
    """The entries in listing order."""

    __reduce__ = _reduce_to_constructor


@dataclass(frozen=True, slots=True)
class DigestFile:
    """One content file with its digest date settled."""

    path: str
    """The file, as the user named it."""
    date: date
    """The digest's date."""
    entries: tuple[Entry, ...]
    """The entries in listing order."""


@dataclass(frozen=True, slots=True)
class Appearance:
    """One entry of a paper in one dated digest."""

    date: date
    """The digest's date."""
    entry: Entry
    """The entry exactly as the listing wrote it."""


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
    """What identifies the paper: `arXiv:<id>`, or its normalized title if no listing of
    it gave an ID before a listing of it without one did."""
    slug: str
    """The URL name of its page, from its first listing; see `dedupe`."""
    title: str
    """The title as written in its latest appearance."""
    abstracts: tuple[AbstractVersion, ...]
    """Every distinct abstract; the current one (from the latest appearance) first."""
    dates: tuple[date, ...]
    """The digests it appeared in, oldest first."""
    source: Source
    """Where it first appeared."""
    arxiv_id: str = ""
    """Its arXiv identifier without version, if any listing gave one."""
    authors: tuple[str, ...] = ()
    """Its authors, from the latest listing that named them."""
    links: tuple[Link, ...] = ()
    """Its links, from the latest listing that gave any."""
    published: date | None = None
    """The day it was submitted to arXiv, if a listing said."""
    other_titles: tuple[str, ...] = ()
    """Earlier titles, latest first, if its title was revised."""

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
    entries: tuple[Entry, ...]
    """Each paper's listing that day (its last one that day): its abstract as listed then,
    and the facts of that listing, such as upvotes."""
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
