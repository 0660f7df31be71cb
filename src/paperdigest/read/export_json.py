"""Read a digest's JSON as the site publishes it (`digests/YYYY-MM-DD.json`), so that a
site can be rebuilt from its own export.

The file is an object that names its schema (`$schema` ends in `digest-v1.schema.json`),
its date and its papers in order, each with its slug, title, arXiv ID, authors and
abstract as listed that day. Each paper keeps its slug (see `dedupe`), so the rebuilt
site's URLs are the exported ones; the URLs written in the file are not read, since the
site being built has its own base URL. Every problem is reported at once, at its line.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..errors import ContentError, ContentWarning, raise_if_any
from ..model import Entry, ParsedFile, Source, StatedDate
from .datelines import parse_name_date
from .hf_json import ARXIV_ID_BARE
from .json_list import Member, json_object, kind_of
from .text import decode, has_forbidden

SCHEMA = "digest-v1.schema.json"
"""What `$schema` names: this reader's version of the format."""
INDEX_SCHEMAS = ("paper-month-v1.schema.json", "paper-index-v1.schema.json")
"""The paper index's files, which are not content."""
FIELDS = frozenset({"$schema", "date", "url", "papers"})
PAPER_FIELDS = frozenset({"slug", "url", "title", "arxiv_id", "authors", "abstract"})
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG_CHARS = 128
ARXIV_ID = re.compile(ARXIV_ID_BARE)
MAX_ERRORS_PER_FILE = 20
"""Beyond this many broken papers a file is reported as a whole."""


def parse_digest_export(path: str, data: bytes) -> tuple[ParsedFile, list[ContentWarning]]:
    """Parse one digest's JSON export; raise every problem found in it at once."""
    members = json_object(path, decode(path, data))
    _check_schema(path, members.get("$schema"))
    errors = [
        ContentError(path, members[key].line, f"unknown field `{key}`")
        for key in sorted(set(members) - FIELDS)
    ]
    stated = _date(path, members.get("date"), errors)
    url = members.get("url")
    if url is None or not isinstance(url.value, str):
        line = url.line if url else 1
        errors.append(ContentError(path, line, "`url` (the digest's page) must be text"))
    entries: list[Entry] = []
    warnings: list[ContentWarning] = []
    papers = members.get("papers")
    if papers is None:
        errors.append(ContentError(path, 1, "`papers` is missing"))
    elif papers.items is None:
        message = f"`papers` must be a list, not {kind_of(papers.value)}"
        errors.append(ContentError(path, papers.line, message))
    elif not papers.items:
        message = "`papers` is an empty list: a digest lists at least one paper"
        errors.append(ContentError(path, papers.line, message))
    else:
        slugs: dict[str, int] = {}  # the line of each slug read so far
        for number, (line, item) in enumerate(papers.items, start=1):
            reader = _Paper(path, line, number, item)
            entry = reader.entry(slugs)
            errors.extend(reader.errors)
            warnings.extend(reader.warnings)
            if entry is not None:
                entries.append(entry)
            if len(errors) > MAX_ERRORS_PER_FILE:
                message = "too many problems; stopped checking this file"
                errors.append(ContentError(path, line, message))
                break
    raise_if_any(errors)
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return ParsedFile(path, parse_name_date(path, name), stated, tuple(entries)), warnings


def _check_schema(path: str, schema: Member | None) -> None:
    """Refuse an object that is not a digest export; nothing else in it would make sense."""
    value = schema.value if schema is not None and isinstance(schema.value, str) else ""
    line = schema.line if schema is not None else 1
    if value.rsplit("/", 1)[-1] == SCHEMA:
        return
    if value.rsplit("/", 1)[-1] in INDEX_SCHEMAS:
        raise ContentError(
            path, line, "a file of the paper index, not a digest: copy only digests' JSON here"
        )
    raise ContentError(
        path,
        line,
        f"a JSON object, but not a digest's export: its `$schema` must name {SCHEMA} "
        "(a day of Hugging Face daily papers is a list)",
    )


def _date(path: str, member: Member | None, errors: list[ContentError]) -> StatedDate | None:
    """The digest's date, as a date the file states."""
    line = member.line if member is not None else 1
    value = member.value if member is not None else None
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        shown = "missing" if member is None else repr(value)
        message = f"`date` must be a date such as 2025-03-14, not {shown}"
        errors.append(ContentError(path, line, message))
        return None
    return StatedDate(day.month, day.day, day.year, day.isoformat(), Source(path, line))


class _Paper:
    """Reads one paper of the list, collecting its problems."""

    def __init__(self, path: str, line: int, number: int, item: Any) -> None:
        self.path, self.line, self.number = path, line, number
        self.name = f"paper {number}"
        self.item = item if isinstance(item, dict) else {}
        self.errors: list[ContentError] = []
        self.warnings: list[ContentWarning] = []
        if not isinstance(item, dict):
            self.fail(f"must be an object, not {kind_of(item)}")
        for key in sorted(set(self.item) - PAPER_FIELDS):
            self.fail(f"unknown field `{key}`")

    def fail(self, problem: str) -> None:
        """Note a problem of this paper."""
        self.errors.append(ContentError(self.path, self.line, f"{self.name}: {problem}"))

    def entry(self, slugs: dict[str, int]) -> Entry | None:
        """The paper as an entry; `slugs` holds the line of each slug read so far."""
        if self.errors:
            return None
        slug = self.slug(slugs)
        title = self.text("title", required=True)
        arxiv_id = self.text("arxiv_id") or ""
        if arxiv_id and not ARXIV_ID.fullmatch(arxiv_id):
            self.fail(f"`arxiv_id` {arxiv_id!r} is not an arXiv ID such as 2403.13187")
        authors = self.authors()
        self.text("url")  # not read (the site being built has its own), but checked
        abstract = self.text("abstract") or ""
        if self.errors or slug is None or title is None:
            return None
        if not abstract:
            message = f"{self.name}: {title[:60]!r} has no abstract; it is published without one"
            self.warnings.append(ContentWarning(self.path, self.line, message))
        source = Source(self.path, self.line)
        return Entry(title, abstract, source, arxiv_id, authors, slug=slug)

    def slug(self, slugs: dict[str, int]) -> str | None:
        """The paper's slug, if it is one and no other paper of the file has it."""
        slug = self.text("slug", required=True)
        if slug is None:
            return None
        if not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG_CHARS:
            self.fail(f"`slug` {slug[:80]!r} is not lowercase letters and digits joined by hyphens")
            return None
        if slug in slugs:
            self.fail(f"the slug {slug!r} is given on line {slugs[slug]} already")
            return None
        slugs[slug] = self.line
        self.name = f"paper {self.number} ({slug})"
        return slug

    def text(self, key: str, *, required: bool = False) -> str | None:
        """The text of field `key`: not empty, on one line, without control characters."""
        value = self.item.get(key)
        if value is None:
            if required:
                self.fail(f"`{key}` is missing")
            return None
        if not isinstance(value, str):
            self.fail(f"`{key}` must be text, not {kind_of(value)}")
        elif not value.strip():
            self.fail(f"`{key}` is empty (leave it out instead)")
        elif has_forbidden(value) or "\n" in value:
            self.fail(f"`{key}` holds a line break or a control character")
        else:
            return value
        return None

    def authors(self) -> tuple[str, ...]:
        """The authors' names, if the paper has any."""
        value = self.item.get("authors")
        if value is None:
            return ()
        names = value if isinstance(value, list) else []
        good = [n for n in names if isinstance(n, str) and n.strip()]
        if not good or len(good) != len(names) or any(has_forbidden(n) or "\n" in n for n in good):
            self.fail("`authors` must be a list of names, each text on one line")
            return ()
        return tuple(good)
