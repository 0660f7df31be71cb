"""The site's pages, each planned as a record of exactly what it shows.

A record's template context is a pure function of it (`context`), and its input key is
derived from it (`keys.record_key`), so what a page shows and what decides whether it is
rendered again cannot drift apart.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from ..abstract_links import artifact_links, merged_links
from ..config import SiteConfig
from ..dates import date_words
from ..markdown import MdText
from ..model import Digest, Library, Link
from ..urls import FEED, digest_name, md_link
from .archive import ArchivePage, MonthPage, month_link, plan_archive
from .paper import PaperPage, Showing, paper_page
from .views import DaySummary, Listed, date_view, listed, paper_items, summary_view


@dataclass(frozen=True, slots=True)
class DigestPage:
    """A digest's page: the day's papers in order, new ones marked."""

    date: datetime.date
    """The digest's date."""
    papers: tuple[Listed, ...]
    """The day's papers in order."""
    older: datetime.date | None
    """The previous digest's date, if any."""
    newer: datetime.date | None
    """The next digest's date, if any."""

    template: ClassVar[str] = "digest.md"
    indexed: ClassVar[bool] = False

    @property
    def name(self) -> str:
        """The page name (see `urls`)."""
        return digest_name(self.date)

    @property
    def title(self) -> str:
        """The plain-text title."""
        return f"Papers of {date_words(self.date)}"

    @property
    def description(self) -> str:
        """A plain-text summary for link previews."""
        new = _new_count(self.papers, self.date)
        words = date_words(self.date)
        return f"{len(self.papers)} papers listed on {words}, {new} of them new."

    @property
    def lastmod(self) -> datetime.date:
        """When its content last changed (for the sitemap)."""
        return self.date

    def context(self) -> dict[str, Any]:
        """The Markdown template's context."""
        name = self.name
        fragments: list[str] = []
        items = paper_items(self.papers, self.date, name, fragments)
        return {
            "date": date_view(self.date, name),
            "papers": items,
            "new": [item for item in items if item["new"]],
            "seen": [item for item in items if not item["new"]],
            "older": date_view(self.older, name) if self.older else None,
            "newer": date_view(self.newer, name) if self.newer else None,
            "month": month_link(self.date, name),
            "fragments": fragments,
        }


@dataclass(frozen=True, slots=True)
class HomePage:
    """The home page: what is new in the latest digest, then links to recent digests."""

    site_title: str
    """The site's name."""
    site_description: str
    """One sentence about the site."""
    latest: DaySummary
    """The latest digest: its date and counts."""
    papers: tuple[Listed, ...]
    """The latest digest's first new papers, in its order."""
    recent: tuple[DaySummary, ...]
    """The most recent digests, newest first."""
    digest_count: int
    """How many digests the site has."""
    paper_count: int
    """How many papers the site has."""

    name: ClassVar[str] = ""
    template: ClassVar[str] = "home.md"
    indexed: ClassVar[bool] = False

    @property
    def title(self) -> str:
        """The plain-text title."""
        return self.site_title

    @property
    def description(self) -> str:
        """A plain-text summary for link previews."""
        return self.site_description

    @property
    def lastmod(self) -> date:
        """When its content last changed (for the sitemap)."""
        return self.latest.date

    def context(self) -> dict[str, Any]:
        """The Markdown template's context."""
        fragments: list[str] = []
        return {
            "site_title": self.site_title,
            "description": self.site_description,
            "latest": summary_view(self.latest, ""),
            "papers": paper_items(self.papers, self.latest.date, "", fragments),
            "recent": [summary_view(day, "") for day in self.recent],
            "digest_count": self.digest_count,
            "paper_count": self.paper_count,
            "archive_link": MdText(md_link("", "archive")),
            "feed_link": MdText(FEED),
            "fragments": fragments,
        }


PageRecord = PaperPage | DigestPage | HomePage | ArchivePage | MonthPage


def plan_pages(library: Library, site: SiteConfig) -> Iterator[PageRecord]:
    """Every page of the site, in a fixed order: home, archive, digests, papers."""
    digests = library.digests
    # A digest shows the code and data links of the abstract it shows, that day's, so an
    # old digest's page stays as it was when a paper's abstract is revised; most listings
    # repeat an abstract, so each is read once.
    known: dict[tuple[tuple[Link, ...], str], tuple[Link, ...]] = {}

    def links_of(given: tuple[Link, ...], abstract: str) -> tuple[Link, ...]:
        key = (given, abstract)
        if key not in known:
            known[key] = merged_links(given, artifact_links(abstract))
        return known[key]

    listings = [
        tuple(
            listed(
                paper.slug,
                paper.title,
                paper.first_seen,
                paper.authors,
                entry,
                paper.abstract.text,
                links_of(entry.links, entry.abstract or paper.abstract.text),
            )
            for paper, entry in zip(digest.papers, digest.entries, strict=True)
        )
        for digest in digests
    ]
    summaries = tuple(_day_summary(digest) for digest in reversed(digests))
    latest_new = (paper for paper in listings[-1] if paper.first_seen == digests[-1].date)
    yield HomePage(
        site_title=site.title,
        site_description=site.description,
        latest=summaries[0],
        papers=tuple(itertools.islice(latest_new, site.home_papers)),
        recent=summaries[: site.home_digests],
        digest_count=len(digests),
        paper_count=len(library.papers),
    )
    yield from plan_archive(library, summaries)
    for index, digest in enumerate(digests):
        older = digests[index - 1].date if index > 0 else None
        newer = digests[index + 1].date if index + 1 < len(digests) else None
        yield DigestPage(digest.date, listings[index], older, newer)
    showings: dict[str, list[Showing]] = {}
    for digest in digests:
        for paper, entry in zip(digest.papers, digest.entries, strict=True):
            showing = Showing(digest.date, entry.upvotes, entry.comments)
            showings.setdefault(paper.slug, []).append(showing)
    for paper in library.papers:
        links = links_of(paper.links, paper.abstract.text)
        yield paper_page(paper, tuple(showings[paper.slug]), links)


def _day_summary(digest: Digest) -> DaySummary:
    new = sum(digest.is_new(paper) for paper in digest.papers)
    return DaySummary(digest.date, len(digest.papers), new)


def _new_count(papers: tuple[Listed, ...], day: date) -> int:
    return sum(paper.first_seen == day for paper in papers)
