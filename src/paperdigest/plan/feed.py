"""The RSS feed, planned as records: one item per digest, from content dates only.

Nothing here reads the clock: an item's date and GUID come from its digest, so rebuilding
never re-announces an old item, and the same content always gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..config import SiteConfig
from ..dates import date_words
from ..derive import Derived
from ..model import Digest, Library
from ..urls import (
    FEED,
    OPML,
    digest_name,
    page_path,
    topic_feed_path,
    topic_month_name,
    topic_name,
)
from .views import BYLINE_AUTHORS, byline


@dataclass(frozen=True, slots=True)
class FeedPaper:
    """A paper as a feed item lists it."""

    title: str
    """Its title as that day listed it: an item never changes once published."""
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
    """The day's papers in order (for a topic's feed, those on the topic)."""
    page: str = ""
    """The name of the page it links, if not the digest's: a topic's month page."""
    topic: str = ""
    """The topic's name, for a topic's feed."""

    @property
    def name(self) -> str:
        """The page the item links and its links start from."""
        return self.page or digest_name(self.date)

    @property
    def title(self) -> str:
        """The item's title: the date, and how many papers it lists and how many are new."""
        new = sum(paper.new for paper in self.papers)
        count = len(self.papers)
        title = f"{date_words(self.date)}: {count} paper{'s' if count != 1 else ''}, {new} new"
        return f"{self.topic} on {title}" if self.topic else title

    @property
    def url(self) -> str:
        """The permanent URL of the digest's page, or of its day on a topic's month page:
        the item's link and GUID, which differ from feed to feed."""
        fragment = f"#{self.date.isoformat()}" if self.page else ""
        return f"{self.site_url}{page_path(self.name)}{fragment}"


@dataclass(frozen=True, slots=True)
class Feed:
    """The feed: the channel and its latest items, newest first."""

    title: str
    """The channel's title: the site's, and the topic's for a topic's feed."""
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
    path: str = FEED
    """Where it is in the site."""
    page: str = ""
    """The name of the page it is the feed of: the home page, or a topic's."""


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


def plan_topic_feeds(library: Library, derived: Derived, site: SiteConfig) -> list[Feed]:
    """Each topic's feed: an item for each of the latest `site.feed_items` digests with
    papers on the topic, listing only those, as that day's listing matched it."""
    feeds = []
    for topic in derived.topics:
        items: list[FeedItem] = []
        for index in range(len(library.digests) - 1, -1, -1):
            if len(items) == site.feed_items:
                break
            digest, on = library.digests[index], derived.listing_topics[index]
            wanted = [topic.slug in slugs for slugs in on]
            if any(wanted):
                page = topic_month_name(topic.slug, digest.date)
                items.append(feed_item(digest, site, wanted, page, topic.name))
        feeds.append(
            Feed(
                title=f"{site.title}: {topic.name}",
                description=topic.description or f"Papers on {topic.name}, by digest.",
                language=site.language,
                site_url=site.base_url,
                # Its latest item's date: a topic's feed changes only with a new item.
                last_build=items[0].date if items else library.digests[0].date,
                items=tuple(items),
                path=topic_feed_path(topic.slug),
                page=topic_name(topic.slug),
            )
        )
    return feeds


@dataclass(frozen=True, slots=True)
class Opml:
    """Every feed of the site, for a feed reader to subscribe to all at once."""

    title: str
    """The list's title."""
    feeds: tuple[tuple[str, str, str], ...]
    """Each feed as (title, feed URL, its page's URL): the site's first, then topics'."""


def plan_opml(feeds: list[Feed], site: SiteConfig) -> tuple[str, Opml]:
    """The OPML file of these feeds, by path."""
    listed = tuple(
        (feed.title, f"{site.base_url}{feed.path}", f"{site.base_url}{page_path(feed.page)}")
        for feed in feeds
    )
    return OPML, Opml(f"{site.title}: every feed", listed)


def feed_item(
    digest: Digest,
    site: SiteConfig,
    wanted: list[bool] | None = None,
    page: str = "",
    topic: str = "",
) -> FeedItem:
    """One digest as a feed item; for a topic, only the papers `wanted` marks, linking the
    topic's month `page`."""
    papers = []
    for index, (paper, entry) in enumerate(zip(digest.papers, digest.entries, strict=True)):
        if wanted is not None and not wanted[index]:
            continue
        if digest.is_new(paper):
            shown = entry.authors[:BYLINE_AUTHORS]  # that day's, like its title and abstract
            more = len(entry.authors) - len(shown)
            papers.append(
                FeedPaper(entry.title, paper.slug, True, byline(shown, more), entry.abstract)
            )
        else:  # a reader saw it in an earlier item: its title is enough
            papers.append(FeedPaper(entry.title, paper.slug, False))
    return FeedItem(digest.date, site.base_url, tuple(papers), page, topic)
