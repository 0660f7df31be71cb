"""The site's pages, each planned as a record of exactly what it shows.

A record's template context is a pure function of it (`context`), and its input key is
derived from it (`keys.record_key`), so what a page shows and what decides whether it is
rendered again cannot drift apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from ..abstract_links import artifact_links, merged_links
from ..config import SiteConfig
from ..derive import Derived
from ..markdown import MdText
from ..model import Digest, Library, Link
from ..urls import FEED, TOPICS, md_link
from .archive import ArchivePage, MonthPage, plan_archive
from .digest_pages import DigestPage, DigestPart, digest_pages, page_numbers
from .paper import PaperPage, RelatedPaper, Showing, paper_page
from .topic_days import TopicLink, TopicMonthPage, topic_days
from .topics import TopicPage, TopicRecord, TopicsPage, plan_topics
from .views import (
    DaySummary,
    Listed,
    listed,
    paper_items,
    summary_view,
)


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
    topics: tuple[TopicLink, ...] = ()
    """The site's topics, whose feeds the page links."""

    name: ClassVar[str] = ""
    template: ClassVar[str] = "home.md"
    indexed: ClassVar[bool] = False
    twin: ClassVar[bool] = True

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

    @property
    def feeds(self) -> tuple[tuple[str, str], ...]:
        """The feeds the page's head links besides the site's, as (title, site path)."""
        return tuple(topic.feed for topic in self.topics)

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
            "topics_link": MdText(md_link("", TOPICS)) if self.topics else None,
            "fragments": fragments,
        }


PageRecord = PaperPage | DigestPage | DigestPart | HomePage | ArchivePage | MonthPage | TopicRecord
PAGE_TYPES = (
    PaperPage, DigestPage, DigestPart, HomePage, ArchivePage, MonthPage, TopicsPage, TopicPage,
    TopicMonthPage,
)  # fmt: skip
"""The record types of pages, which render to Markdown and HTML."""


def plan_pages(library: Library, derived: Derived, site: SiteConfig) -> Iterator[PageRecord]:
    """Every page of the site, in a fixed order: home, archive, topics, digests, papers."""
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
    topics = {topic.slug: TopicLink(topic.slug, topic.name) for topic in derived.topics}
    yield HomePage(
        site_title=site.title,
        site_description=site.description,
        latest=summaries[0],
        papers=tuple(itertools.islice(latest_new, site.home_papers)),
        recent=summaries[: site.home_digests],
        digest_count=len(digests),
        paper_count=len(library.papers),
        topics=tuple(topics.values()),
    )
    yield from plan_archive(library, summaries)
    days = topic_days(library, derived, listings)
    yield from plan_topics(library, derived, days)
    on_day = {(day.date, slug): len(day.papers) for slug, list_ in days.items() for day in list_}
    for index, digest in enumerate(digests):
        older = digests[index - 1].date if index > 0 else None
        newer = digests[index + 1].date if index + 1 < len(digests) else None
        day_topics = tuple(
            (link, on_day[digest.date, slug])
            for slug, link in topics.items()
            if (digest.date, slug) in on_day
        )
        yield from digest_pages(
            DigestPage(digest.date, listings[index], older, newer, day_topics), site
        )
    showings: dict[str, list[Showing]] = {}
    for digest, listing in zip(digests, listings, strict=True):
        pages = page_numbers(listing, digest.date, site.digest_page_papers)
        for paper, entry in zip(digest.papers, digest.entries, strict=True):
            showing = Showing(digest.date, entry.upvotes, entry.comments, pages[paper.slug])
            showings.setdefault(paper.slug, []).append(showing)
    titles = {paper.slug: paper.title for paper in library.papers}
    for paper in library.papers:
        links = links_of(paper.links, paper.abstract.text)
        paper_topics = tuple(topics[slug] for slug in derived.topics_of(paper.slug))
        related = tuple(
            RelatedPaper(other.slug, titles[other.slug], other.shared)
            for other in derived.related_to(paper.slug)
        )
        yield paper_page(paper, tuple(showings[paper.slug]), links, paper_topics, related)


def _day_summary(digest: Digest) -> DaySummary:
    new = sum(digest.is_new(paper) for paper in digest.papers)
    return DaySummary(digest.date, len(digest.papers), new)
