"""The RSS feed, planned as records: one item per digest, from content dates only.

Nothing here reads the clock: an item's date and GUID come from its digest, so rebuilding
never re-announces an old item, and the same content always gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..config import SiteConfig
from ..dates import date_words
from ..model import Digest, Library
from ..urls import digest_name, page_path
from .views import BYLINE_AUTHORS, byline


@dataclass(frozen=True, slots=True)
class FeedPaper:
    """A paper as a feed item lists it."""

    title: str
    """Its current title."""
    slug: str
    """Its page's slug."""
    new: bool
    """Whether that day's digest was the first to list it."""
    byline: str = ""
    """Its first authors, if it is new (`By A, B and 3 more`)."""
    abstract: str = ""
    """The abstract it was listed with that day, if it is new: the item shows its teaser."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One digest as a feed item."""

    date: date
    """The digest's date: the item's title and publication date."""
    site_url: str
    """The site's URL, which the item's links start with."""
    papers: tuple[FeedPaper, ...]
    """The day's papers in order."""

    @property
    def title(self) -> str:
        """The item's title: the date, and how many papers it lists and how many are new."""
        new = sum(paper.new for paper in self.papers)
        count = len(self.papers)
        return f"{date_words(self.date)}: {count} paper{'s' if count != 1 else ''}, {new} new"

    @property
    def url(self) -> str:
        """The digest page's permanent URL: the item's link and GUID."""
        return f"{self.site_url}{page_path(digest_name(self.date))}"


@dataclass(frozen=True, slots=True)
class Feed:
    """The feed: the channel and its latest items, newest first."""

    title: str
    """The channel's title (the site's)."""
    description: str
    """The channel's description."""
    language: str
    """The channel's language."""
    site_url: str
    """The site's URL: the channel's link."""
    last_build: date
    """The latest digest's date; never the clock."""
    items: tuple[FeedItem, ...]
    """The latest `feed_items` digests, newest first."""


def plan_feed(library: Library, site: SiteConfig) -> Feed:
    """The feed of the latest `site.feed_items` digests."""
    return Feed(
        title=site.title,
        description=site.description,
        language=site.language,
        site_url=site.base_url,
        last_build=library.digests[-1].date,
        items=tuple(feed_item(d, site) for d in library.digests[::-1][: site.feed_items]),
    )


def feed_item(digest: Digest, site: SiteConfig) -> FeedItem:
    """One digest as a feed item."""
    papers = []
    for paper, entry in zip(digest.papers, digest.entries, strict=True):
        if digest.is_new(paper):
            shown = paper.authors[:BYLINE_AUTHORS]
            more = len(paper.authors) - len(shown)
            papers.append(
                FeedPaper(paper.title, paper.slug, True, byline(shown, more), entry.abstract)
            )
        else:  # a reader saw it in an earlier item: its title is enough
            papers.append(FeedPaper(paper.title, paper.slug, False))
    return FeedItem(digest.date, site.base_url, tuple(papers))
