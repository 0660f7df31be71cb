"""Read a Hugging Face daily-papers day: the JSON list `/api/daily_papers?date=D` returns.

Each record is an object whose `paper` holds the arXiv ID, title, abstract, authors and
links; the list's order is the listing's. Unknown fields are ignored; a field of the
wrong type, a record without an ID or a title, and invalid JSON are errors located at the
record's line, all reported at once. Counts that change by the hour (upvotes, comments,
stars) are kept as facts of this one listing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from ..errors import ContentError, ContentWarning, raise_if_any
from ..model import Entry, Link, ParsedFile, Source, StatedDate
from .datelines import parse_name_date
from .json_list import json_records, kind_of
from .text import decode, has_forbidden

MAX_ERRORS_PER_FILE = 20
"""Beyond this many broken records a file is reported as a whole."""
ARXIV_ID_BARE = r"(?:\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})"
"""New-style (`2403.13187`) and old-style (`hep-th/9901001`) arXiv identifiers."""
ARXIV_ID = re.compile(ARXIV_ID_BARE + r"(?:v\d+)?")
"""An arXiv identifier, perhaps with its version (`2403.13187v2`)."""
GITHUB_SHORT = re.compile(r"[\w-]+/[\w.-]+")  # GitHub owners have no dots
BARE_HOST = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}(?:/|$)", re.IGNORECASE)


def parse_hf_day(path: str, data: bytes) -> tuple[ParsedFile, list[ContentWarning]]:
    """Parse one day's daily-papers JSON; raise every problem found in it at once."""
    records = list(json_records(path, decode(path, data)))
    errors: list[ContentError] = []
    warnings: list[ContentWarning] = []
    entries: list[Entry] = []
    days: dict[date, int] = {}
    for number, (line, record) in enumerate(records, start=1):
        reader = _Record(path, line, number, record)
        entry, day = reader.entry()
        errors.extend(reader.errors)
        warnings.extend(reader.warnings)
        if entry is not None:
            entries.append(entry)
        if day is not None:
            days.setdefault(day, line)
        if len(errors) > MAX_ERRORS_PER_FILE:
            errors.append(ContentError(path, line, "too many problems; stopped checking this file"))
            break
    if not records:
        errors.append(ContentError(path, 1, "an empty list: no papers were listed on this day"))
    if len(days) > 1:
        listed = " and ".join(day.isoformat() for day in sorted(days)[:2])
        line = sorted(days.values())[1]
        message = f"the records are listed on several days ({listed}); a file holds one day"
        errors.append(ContentError(path, line, message))
    raise_if_any(errors)
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    stated = None
    if days:
        [(day, line)] = days.items()
        stated = StatedDate(day.month, day.day, day.year, day.isoformat(), Source(path, line))
    file = ParsedFile(path, parse_name_date(path, name), stated, tuple(entries))
    return file, warnings


class _Record:
    """Reads one record, collecting its problems."""

    def __init__(self, path: str, line: int, number: int, record: Any) -> None:
        self.path, self.line, self.number = path, line, number
        self.errors: list[ContentError] = []
        self.warnings: list[ContentWarning] = []
        self.outer = record if isinstance(record, dict) else {}
        paper = self.outer.get("paper")
        self.paper = paper if isinstance(paper, dict) else {}
        self.name = f"record {number}"
        if not isinstance(record, dict):
            self.fail(f"must be an object, not {kind_of(record)}")
        elif not isinstance(paper, dict):
            self.fail(f"`paper` must be an object, not {kind_of(paper)}")

    def fail(self, problem: str) -> None:
        """Note a problem of this record."""
        self.errors.append(ContentError(self.path, self.line, f"{self.name}: {problem}"))

    def entry(self) -> tuple[Entry | None, date | None]:
        """The record as an entry, and the day it was listed on (if it says)."""
        if self.errors:
            return None, None
        arxiv_id = self.arxiv_id()
        if arxiv_id:
            self.name = f"record {self.number} ({arxiv_id})"
        title = self.text("title", required=True)
        abstract = self.text("summary", required=True)
        if title is not None and abstract == "":
            self.warnings.append(
                ContentWarning(
                    self.path,
                    self.line,
                    f"{self.name}: {title[:60]!r} has no abstract; it is published without one",
                )
            )
        entry = Entry(
            title=title or "",
            abstract=abstract or "",
            source=Source(self.path, self.line),
            arxiv_id=arxiv_id or "",
            authors=self.authors(),
            links=tuple(self.links()),
            published=self.day("publishedAt"),
            upvotes=self.count(self.paper, "upvotes"),
            comments=self.count(self.outer, "numComments"),
            stars=self.count(self.paper, "githubStars"),
            ai_summary=self.text("ai_summary", outer=False) or "",
            keywords=self.words("ai_keywords"),
            organization=self.organization(),
            thumbnail=self.url(self.outer, "thumbnail") or "",
        )
        listed = self.day("submittedOnDailyAt")
        return (None if self.errors or not title else entry), listed

    def arxiv_id(self) -> str | None:
        value = self.paper.get("id")
        if not isinstance(value, str) or not value.strip():
            self.fail("`paper.id` (the arXiv ID) is missing")
            return None
        if not ARXIV_ID.fullmatch(value.strip()):
            self.fail(f"`paper.id` {value!r} is not an arXiv ID such as 2403.13187")
            return None
        return re.sub(r"v\d+$", "", value.strip())

    def text(self, key: str, *, required: bool = False, outer: bool = True) -> str | None:
        """`paper.<key>` (else the outer `<key>`), with whitespace runs as single spaces."""
        for where, holder in (("paper", self.paper), ("", self.outer if outer else {})):
            value = holder.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                self.fail(
                    f"`{where + '.' if where else ''}{key}` must be text, not {kind_of(value)}"
                )
                return None
            return self.clean(key, value)
        if required:
            self.fail(f"`paper.{key}` is missing")
        return None

    def clean(self, key: str, value: str) -> str | None:
        text = " ".join(value.split())
        if has_forbidden(text):
            self.fail(f"`{key}` holds a control character")
            return None
        return text

    def authors(self) -> tuple[str, ...]:
        value = self.paper.get("authors")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(f"`paper.authors` must be a list, not {kind_of(value)}")
            return ()
        names = []
        for index, author in enumerate(value, start=1):
            name = author.get("name") if isinstance(author, dict) else None
            hidden = author.get("hidden", False) if isinstance(author, dict) else False
            if not isinstance(name, str) or not isinstance(hidden, bool | None):
                self.fail(f"author {index} must be an object with a `name` and `hidden`")
                continue
            clean = self.clean("name", name)
            if clean and not hidden:  # an author who hid the paper is left out
                names.append(clean)
        return tuple(names)

    def links(self) -> Iterator[Link]:
        for key, kind in (("githubRepo", "code"), ("projectPage", "project")):
            url = self.url(self.paper, key)
            if url:
                yield Link(kind, url)

    def url(self, holder: dict[str, Any], key: str) -> str | None:
        value = holder.get(key)
        if value in (None, ""):
            return None
        where = "paper." if holder is self.paper else ""
        if not isinstance(value, str):
            self.fail(f"`{where}{key}` must be an http(s) URL, not {kind_of(value)}")
            return None
        value = value.strip()
        if key == "githubRepo" and GITHUB_SHORT.fullmatch(value):
            value = f"https://github.com/{value}"  # the owner/repo form some records use
        elif BARE_HOST.match(value):
            value = f"https://{value}"  # `github.com/owner/repo`, written without a scheme
        parts = urlsplit(value)
        if any(ch.isspace() for ch in value) or has_forbidden(value):
            self.fail(f"`{where}{key}` holds spaces or control characters")
        elif parts.scheme in ("http", "https") and parts.netloc:
            return value
        elif parts.scheme and parts.netloc or parts.scheme in ("javascript", "data", "vbscript"):
            self.fail(f"`{where}{key}` must be an http(s) URL, not {value!r}")
        else:  # "N/A", "coming soon": no link at all, and nothing to stop the build for
            self.warnings.append(
                ContentWarning(
                    self.path,
                    self.line,
                    f"{self.name}: `{where}{key}` {value!r} is no link; left out",
                )
            )
        return None

    def day(self, key: str) -> date | None:
        value = self.paper.get(key)
        if value in (None, ""):
            return None
        try:
            return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
        except (TypeError, ValueError):
            self.fail(f"`paper.{key}` must be a date and time such as 2025-03-14T00:00:00Z")
            return None

    def count(self, holder: dict[str, Any], key: str) -> int | None:
        value = holder.get(key)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # the API's schema calls counts numbers
        if type(value) is not int or value < 0:
            where = "paper." if holder is self.paper else ""
            self.fail(f"`{where}{key}` must be a whole number, not {value!r}")
            return None
        return value

    def words(self, key: str) -> tuple[str, ...]:
        value = self.paper.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"`paper.{key}` must be a list of text")
            return ()
        return tuple(word for word in (self.clean(key, v) for v in value) if word)

    def organization(self) -> str:
        value = self.paper.get("organization", self.outer.get("organization"))
        if value is None:
            return ""
        name = value.get("fullname") or value.get("name") if isinstance(value, dict) else None
        if not isinstance(name, str):
            self.fail("`organization` must be an object with a `fullname` or `name`")
            return ""
        return self.clean("organization", name) or ""
