"""The site's pages: what each one shows, and a compact summary that says when it changed.

A page's template context is built only when the page is rendered: on a rebuild most pages
are unchanged, and their compact `key_data` is enough to know it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, TypedDict

from ..config import SiteConfig
from ..dates import MONTH_NAMES
from ..model import Digest, Library, Paper
from ..render.markdown import MdText
from ..urls import FEED, digest_name, md_link, paper_name

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DESCRIPTION_CHARS = 160


def date_words(day: date) -> str:
    """A date in words without the locale's help: `Friday, 14 March 2025`."""
    return f"{DAY_NAMES[day.weekday()]}, {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def month_words(day: date) -> str:
    """A month in words: `March 2025`."""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


@dataclass(frozen=True, slots=True)
class Page:
    """One page to render: where it goes, which template, and how to get its data."""

    name: str
    """The page name (see `urls`): `papers/<slug>`, `digests/<date>`, `archive` or `` (home)."""
    template: str
    """The Markdown template that renders its body."""
    title: str
    """The plain-text title for `<title>` and link previews."""
    description: str
    """A plain-text summary for link previews."""
    lastmod: date
    """When its content last changed, from the content's dates (for the sitemap)."""
    key_data: str
    """Everything its context is made from, compactly: equal key data, equal page."""
    make_context: Callable[[], dict[str, Any]]
    """Builds exactly the data its template reads."""
    indexed: bool = False
    """Whether search indexes it (paper pages only)."""

    @property
    def context(self) -> dict[str, Any]:
        """The template context."""
        return self.make_context()


def plan_pages(library: Library, site: SiteConfig) -> Iterator[Page]:
    """Every page of the site, in a fixed order."""
    yield home_page(library, site)
    yield archive_page(library)
    digests = library.digests
    for index, digest in enumerate(digests):
        older = digests[index - 1] if index > 0 else None
        newer = digests[index + 1] if index + 1 < len(digests) else None
        yield digest_page(digest, older, newer)
    for paper in library.papers:
        yield paper_page(paper)


def paper_page(paper: Paper) -> Page:
    """A paper's page: title, current abstract, digests, and earlier abstract versions."""
    # Unit separators keep the parts apart; none can occur in a title or abstract.
    parts = [paper.title, *map(date.isoformat, paper.dates)]
    for version in paper.abstracts:
        parts += ["\x1e", version.text, *map(date.isoformat, version.dates)]
    return Page(
        name=paper_name(paper.slug),
        template="paper.md",
        title=paper.title,
        description=_summary(paper.abstract.text),
        lastmod=paper.last_seen,
        key_data="\x1f".join(parts),
        make_context=partial(_paper_context, paper),
        indexed=True,
    )


def _paper_context(paper: Paper) -> dict[str, Any]:
    name = paper_name(paper.slug)
    return {
        "title": paper.title,
        "abstract": paper.abstract.text,
        "first_seen": _date_view(paper.first_seen, name),
        "appearances": [_date_view(day, name) for day in reversed(paper.dates)],
        "other_versions": [
            {"text": version.text, "dates": [_date_view(d, name) for d in reversed(version.dates)]}
            for version in paper.abstracts[1:]
        ],
        "archive_link": MdText(md_link(name, "archive")),
    }


def digest_page(digest: Digest, older: Digest | None, newer: Digest | None) -> Page:
    """A digest's page: the day's papers in order, new ones marked."""
    words = date_words(digest.date)
    new_count = sum(digest.is_new(paper) for paper in digest.papers)
    neighbours = [d.date.isoformat() if d else None for d in (older, newer)]
    return Page(
        name=digest_name(digest.date),
        template="digest.md",
        title=f"Papers of {words}",
        description=f"{len(digest.papers)} papers listed on {words}, {new_count} of them new.",
        lastmod=digest.date,
        key_data=json.dumps([_digest_key(digest), neighbours]),
        make_context=partial(_digest_context, digest, older, newer),
    )


def _digest_context(digest: Digest, older: Digest | None, newer: Digest | None) -> dict[str, Any]:
    name = digest_name(digest.date)
    items = _paper_items(digest, name)
    new_count = sum(item["new"] for item in items)
    return {
        "date": _date_view(digest.date, name),
        "papers": items,
        "new_count": new_count,
        "seen_count": len(items) - new_count,
        "older": _date_view(older.date, name) if older else None,
        "newer": _date_view(newer.date, name) if newer else None,
        "archive_link": MdText(md_link(name, "archive")),
    }


def home_page(library: Library, site: SiteConfig) -> Page:
    """The home page: the latest digest's papers, then links to recent digests."""
    latest = library.digests[-1]
    recent = library.digests[::-1][: site.home_digests]
    key: list[Any] = [site.title, site.description, _digest_key(latest)]
    key.append([_summary_key(d) for d in recent])
    key += [len(library.digests), len(library.papers)]
    return Page(
        name="",
        template="home.md",
        title=site.title,
        description=site.description,
        lastmod=latest.date,
        key_data=json.dumps(key),
        make_context=partial(_home_context, library, site),
    )


def _home_context(library: Library, site: SiteConfig) -> dict[str, Any]:
    latest = library.digests[-1]
    items = _paper_items(latest, "")
    return {
        "site_title": site.title,
        "description": site.description,
        "latest": _date_view(latest.date, ""),
        "papers": items,
        "new_count": sum(item["new"] for item in items),
        "recent": [_digest_summary(d, "") for d in library.digests[::-1][: site.home_digests]],
        "digest_count": len(library.digests),
        "paper_count": len(library.papers),
        "archive_link": MdText(md_link("", "archive")),
        "feed_link": MdText(FEED),
    }


def archive_page(library: Library) -> Page:
    """The archive: every digest, newest first, grouped by month, with paper counts."""
    key = [[_summary_key(d) for d in library.digests], len(library.papers)]
    return Page(
        name="archive",
        template="archive.md",
        title="Archive",
        description=f"All {len(library.digests)} digests, {len(library.papers)} papers.",
        lastmod=library.digests[-1].date,
        key_data=json.dumps(key),
        make_context=partial(_archive_context, library),
    )


def _archive_context(library: Library) -> dict[str, Any]:
    months: dict[str, list[dict[str, Any]]] = {}
    for digest in reversed(library.digests):
        months.setdefault(month_words(digest.date), []).append(_digest_summary(digest, "archive"))
    return {
        "months": [{"name": name, "digests": digests} for name, digests in months.items()],
        "digest_count": len(library.digests),
        "paper_count": len(library.papers),
    }


class DateView(TypedDict):
    iso: str
    words: str
    link: MdText


def _date_view(day: date, from_name: str) -> DateView:
    return {
        "iso": day.isoformat(),
        "words": date_words(day),
        "link": MdText(md_link(from_name, digest_name(day))),
    }


class PaperItem(TypedDict):
    title: str
    link: MdText
    new: bool
    first_seen: DateView


def _paper_items(digest: Digest, from_name: str) -> list[PaperItem]:
    return [
        {
            "title": paper.title,
            "link": MdText(md_link(from_name, paper_name(paper.slug))),
            "new": digest.is_new(paper),
            "first_seen": _date_view(paper.first_seen, from_name),
        }
        for paper in digest.papers
    ]


def _digest_summary(digest: Digest, from_name: str) -> dict[str, Any]:
    return {
        "date": _date_view(digest.date, from_name),
        "count": len(digest.papers),
        "new_count": sum(digest.is_new(paper) for paper in digest.papers),
    }


def _digest_key(digest: Digest) -> list[Any]:
    listed = [[p.slug, p.title, p.first_seen.isoformat()] for p in digest.papers]
    return [digest.date.isoformat(), listed]


def _summary_key(digest: Digest) -> list[Any]:
    new = sum(digest.is_new(paper) for paper in digest.papers)
    return [digest.date.isoformat(), len(digest.papers), new]


def _summary(text: str) -> str:
    """The start of a text with one space between words, cut at a word boundary."""
    words = text[: 2 * DESCRIPTION_CHARS]
    # Splitting into words is the slow part, and abstracts seldom need it: the parser
    # already joined their lines with single spaces.
    if "  " in words or not words.isprintable():
        words = " ".join(words.split())
        if len(words) <= DESCRIPTION_CHARS < len(text):  # whitespace runs shrank the slice
            words = " ".join(text.split())
    if len(words) <= DESCRIPTION_CHARS:
        return words
    return words[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"
