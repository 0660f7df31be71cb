"""The site's single files, each planned as a record: the layout every HTML page shares,
the sitemap, robots.txt, the 404 and search pages, and the static files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from .. import urls
from ..config import SiteConfig
from ..urls import FAVICON, FEED, SEARCH_SCRIPT, SITEMAP, STYLESHEET, page_path, sitemap_part_path


@dataclass(frozen=True, slots=True)
class Theme:
    """What the templates give every output, besides the templates themselves."""

    fingerprint: str
    """A hash of the templates and of the code and library versions that render them."""
    static: Mapping[str, bytes]
    """The static files' bytes, by path in the site."""


@dataclass(frozen=True, slots=True)
class Layout:
    """What every HTML page shows of the site: a narrow view of the config."""

    site_title: str
    """The site's name, in every header."""
    language: str
    """The pages' language."""
    author: str
    """Who maintains the digest, if set."""
    base_url: str
    """The site's absolute URL, for canonical links."""
    base_path: str
    """The path part of `base_url`, which every link starts with."""
    stylesheet_url: str
    """The stylesheet's URL, with a hash of its bytes to bust caches."""
    search_script_url: str
    """The search script's URL, likewise."""
    favicon_url: str
    """The icon's URL, likewise."""
    feed_url: str
    """The feed's URL."""
    search: bool
    """Whether the site has search."""
    topics: bool = False
    """Whether the site has topics, which the header then links."""


def plan_layout(site: SiteConfig, static: Mapping[str, bytes], search: bool) -> Layout:
    """The layout of a site whose static files have these bytes."""

    def versioned(path: str) -> str:
        return f"{site.base_path}{path}?v={hashlib.sha256(static[path]).hexdigest()[:10]}"

    return Layout(
        site_title=site.title,
        language=site.language,
        author=site.author,
        base_url=site.base_url,
        base_path=site.base_path,
        stylesheet_url=versioned(STYLESHEET),
        search_script_url=versioned(SEARCH_SCRIPT),
        favicon_url=versioned(FAVICON),
        feed_url=f"{site.base_path}{FEED}",
        search=search,
        topics=bool(site.topics),
    )


SITEMAP_URLS = urls.SITEMAP_URLS
"""The most URLs one sitemap lists; a module constant, so that a test can lower it."""


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A sitemap of content pages."""

    entries: tuple[tuple[str, date], ...]
    """Each page's absolute URL and when its content last changed."""
    compressed: bool = False
    """Whether it is published gzip-compressed, as a part of a large site's sitemap is."""


@dataclass(frozen=True, slots=True)
class SitemapIndex:
    """The sitemap of a site with more pages than one sitemap may list: its parts."""

    sitemaps: tuple[tuple[str, date], ...]
    """Each part's absolute URL and the latest change of a page it lists."""


def plan_sitemaps(
    pages: Iterable[tuple[str, date]], site: SiteConfig
) -> list[tuple[str, Sitemap | SitemapIndex]]:
    """The sitemap of pages given by (name, lastmod), by path: one file, or an index of parts.

    Search engines ignore a sitemap of more than 50,000 URLs, so a site with more has
    `sitemap.xml` name its parts `sitemaps/1.xml.gz`, `sitemaps/2.xml.gz`, … in page order
    (compressed, as sitemaps.org allows: each is 8 MB of repeated markup plain).
    """
    entries = tuple((f"{site.base_url}{page_path(name)}", day) for name, day in pages)
    limit = SITEMAP_URLS  # read here, so that a test can lower it
    if len(entries) <= limit:
        return [(SITEMAP, Sitemap(entries))]
    parts = [
        Sitemap(entries[start : start + limit], compressed=True)
        for start in range(0, len(entries), limit)
    ]
    paths = [sitemap_part_path(number) for number in range(1, len(parts) + 1)]
    index = SitemapIndex(
        tuple(
            (f"{site.base_url}{path}", max(day for _, day in part.entries))
            for path, part in zip(paths, parts, strict=True)
        )
    )
    return [(SITEMAP, index), *zip(paths, parts, strict=True)]


@dataclass(frozen=True, slots=True)
class Robots:
    """robots.txt: everything allowed, and where the sitemap is."""

    sitemap_url: str
    """The sitemap's absolute URL."""


def plan_robots(site: SiteConfig) -> Robots:
    """robots.txt for the site."""
    return Robots(f"{site.base_url}{SITEMAP}")


@dataclass(frozen=True, slots=True)
class SearchPage:
    """The search page."""

    search_shards: tuple[str, ...]
    """The URLs of the index shards the page merges, besides the primary bundle."""


@dataclass(frozen=True, slots=True)
class NotFoundPage:
    """The 404 page, served at any missing path; it searches for the path's words."""

    search_shards: tuple[str, ...]
    """The URLs of the index shards the page merges, besides the primary bundle."""


@dataclass(frozen=True, slots=True)
class StaticFile:
    """A file copied into the site as it is."""

    path: str
    """Where it goes in the site."""
    data: bytes
    """Its bytes."""
