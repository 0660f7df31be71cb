"""Every output of the site in one uniform list: what each shows, where it goes, its key.

A page, a feed item, a search shard or a single file: each is an `Output` holding the
record of what it shows and the key derived from that record, so the build writes and
reuses all of them in one loop. A new kind of page or export is one more entry here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import SiteConfig
from ..derive import Derived
from ..model import Library
from ..urls import NO_JEKYLL, NOT_FOUND, ROBOTS, SEARCH_PAGE, html_path, md_path
from .archive import NoDigestPage, plan_missing_days
from .export import ExportRecord, plan_exports
from .feed import Feed, FeedItem, Opml, plan_feed, plan_opml, plan_topic_feeds
from .files import (
    Layout,
    NotFoundPage,
    Robots,
    SearchPage,
    Sitemap,
    SitemapIndex,
    StaticFile,
    Theme,
    plan_layout,
    plan_robots,
    plan_sitemaps,
)
from .keys import Kind, output_id, record_key, shared_key
from .pages import PageRecord, plan_pages
from .search import Shard, plan_shards

Record = (
    PageRecord
    | Feed
    | FeedItem
    | Opml
    | Sitemap
    | SitemapIndex
    | NoDigestPage
    | Robots
    | SearchPage
    | NotFoundPage
    | StaticFile
    | Shard
    | ExportRecord
)


@dataclass(frozen=True, slots=True)
class Output:
    """One output of the build."""

    kind: Kind
    """A page, a feed item, a search shard or a single file."""
    name: str
    """Its name in the site: a page name, a date, a bundle folder or a file path."""
    record: Record
    """Exactly what it shows."""
    key: str
    """Derived from the record and what all outputs share: equal keys, equal output."""
    paths: tuple[str, ...] = ()
    """The files it writes; none for a feed item, which is part of the feed."""
    folder: str = ""
    """For a search shard, which Pagefind writes: the folder its files go in."""

    @property
    def id(self) -> str:
        """Its name in the manifest, such as `page:papers/<slug>`."""
        return output_id(self.kind, self.name)


@dataclass(frozen=True, slots=True)
class Plan:
    """What the build will make."""

    layout: Layout
    """What every HTML page shows of the site."""
    outputs: tuple[Output, ...]
    """Every output: pages first (the bulk of rendering), then feed items, files, shards."""


def plan_outputs(
    library: Library, derived: Derived, site: SiteConfig, theme: Theme, search: bool
) -> Plan:
    """Plan every output of the site from what was read and derived, and the theme."""
    layout = plan_layout(site, theme.static, search)
    shared = shared_key(theme.fingerprint, layout)
    outputs: list[Output] = []

    def add(
        kind: Kind, name: str, record: Record, paths: tuple[str, ...], folder: str = ""
    ) -> None:
        outputs.append(Output(kind, name, record, record_key(record, shared), paths, folder))

    pages = list(plan_pages(library, derived, site))
    for page in pages:
        twin = (md_path(page.name),) if page.twin else ()
        add("page", page.name, page, (*twin, html_path(page.name)))
    feeds = [plan_feed(library, site), *plan_topic_feeds(library, derived, site)]
    for feed in feeds:
        for item in feed.items:
            # The site's items are named by date, its topics' by topic and date.
            prefix = feed.page and f"{feed.page}/"
            add("feed", f"{prefix}{item.date.isoformat()}", item, ())
        add("file", feed.path, feed, (feed.path,))
    if derived.topics:
        opml_path, opml = plan_opml(feeds, site)
        add("file", opml_path, opml, (opml_path,))
    for path, sitemap in plan_sitemaps([(p.name, p.lastmod) for p in pages], site):
        add("file", path, sitemap, (path,))
    add("file", ROBOTS, plan_robots(site), (ROBOTS,))
    for path, record in plan_exports(library, site):
        add("file", path, record, (path,))
    for path, day in plan_missing_days(library):
        add("file", path, day, (path,))
    names = {topic.slug: topic.name for topic in derived.topics}

    def topic_names(slug: str) -> tuple[str, ...]:
        return tuple(names[topic] for topic in derived.topics_of(slug))

    shards = plan_shards(library.papers, site.language, topic_names) if search else []
    shard_urls = tuple(f"{site.base_path}{shard.bundle}/" for shard in shards[1:])
    add("file", NOT_FOUND, NotFoundPage(shard_urls), (NOT_FOUND,))
    if search:
        add("file", SEARCH_PAGE, SearchPage(shard_urls), (SEARCH_PAGE,))
    for path, data in sorted({**theme.static, NO_JEKYLL: b""}.items()):
        add("file", path, StaticFile(path, data), (path,))
    for shard in shards:
        add("search", shard.bundle, shard, (), shard.bundle)
    return Plan(layout, tuple(outputs))
