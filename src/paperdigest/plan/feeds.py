"""The RSS feed, the sitemap and robots.txt, rendered by templates from content dates only.

Nothing here reads the clock: an item's date and GUID come from its digest, so rebuilding
never re-announces an old item, and the same content always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..config import SiteConfig
from ..dates import MONTH_ABBR
from ..model import Digest, Library
from ..render.markdown import MdText, markdown_to_html
from ..render.templates import Templates
from ..urls import FEED, SITEMAP, digest_name, md_link, page_path, paper_name
from .pages import DAY_NAMES, date_words


def rfc822(day: date) -> str:
    """Midnight UTC of a date, as RFC 822 wants it: `Fri, 14 Mar 2025 00:00:00 GMT`."""
    # Written out: importing email.utils for this would cost every rebuild 10 ms.
    weekday, month = DAY_NAMES[day.weekday()][:3], MONTH_ABBR[day.month - 1]
    return f"{weekday}, {day.day:02} {month} {day.year:04} 00:00:00 GMT"


def feed_digests(library: Library, site: SiteConfig) -> tuple[Digest, ...]:
    """The digests the feed carries: the latest `site.feed_items`, newest first."""
    return library.digests[::-1][: site.feed_items]


def item_url(digest: Digest, site: SiteConfig) -> str:
    """A feed item's link and GUID: the digest page's permanent URL."""
    return f"{site.base_url}{page_path(digest_name(digest.date))}"


def item_key(digest: Digest, site: SiteConfig, fingerprint: str) -> str:
    """The input key of a feed item: if it is unchanged, so is the item."""
    listed = [
        (p.title, p.slug, abstract, digest.is_new(p))
        for p, abstract in zip(digest.papers, digest.abstracts, strict=True)
    ]
    data = [fingerprint, site.base_url, digest.date.isoformat(), listed]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def previous_items(feed: Path) -> dict[str, str]:
    """The HTML of each item in an earlier build's feed, by GUID."""
    try:
        root = ElementTree.parse(feed).getroot()
    except (OSError, ElementTree.ParseError):
        return {}
    return {
        item.findtext("guid") or "": item.findtext("description") or ""
        for item in root.iterfind("channel/item")
    }


def render_feed(
    library: Library,
    site: SiteConfig,
    templates: Templates,
    reuse: dict[str, str] | None = None,
) -> bytes:
    """RSS 2.0: one item per digest, newest first, the latest `site.feed_items` of them.

    `reuse` holds the HTML of items known to be unchanged, by GUID.
    """
    items = []
    for digest in feed_digests(library, site):
        url = item_url(digest, site)
        if reuse and url in reuse:
            items.append(_item(digest, url, reuse[url]))
        else:
            items.append(feed_item(digest, site, templates))
    context = {
        "title": site.title,
        "description": site.description,
        "language": site.language,
        "site_url": site.base_url,
        "feed_url": f"{site.base_url}{FEED}",
        "last_build_date": rfc822(library.digests[-1].date),
        "items": items,
    }
    return templates.html.get_template("feed.xml").render(context).encode("utf-8")


def feed_item(digest: Digest, site: SiteConfig, templates: Templates) -> dict[str, Any]:
    """One digest as a feed item; its HTML links absolutely to each paper page."""
    name = digest_name(digest.date)
    url = item_url(digest, site)
    papers = [
        {
            "title": paper.title,
            "link": MdText(md_link(name, paper_name(paper.slug))),
            "abstract": abstract,
            "new": digest.is_new(paper),
        }
        for paper, abstract in zip(digest.papers, digest.abstracts, strict=True)
    ]
    markdown = templates.markdown.get_template("feed-item.md").render(
        papers=papers, new_count=sum(p["new"] for p in papers)
    )
    return _item(digest, url, markdown_to_html(markdown, name, site.base_url))


def _item(digest: Digest, url: str, html: str) -> dict[str, Any]:
    return {
        "title": date_words(digest.date),
        "url": url,
        "guid": url,
        "pub_date": rfc822(digest.date),
        "html": html,
    }


def render_sitemap(pages: list[tuple[str, date]], site: SiteConfig, templates: Templates) -> bytes:
    """A sitemap of every content page (name, lastmod), with absolute URLs."""
    # Pairs, not dicts: Jinja unpacks a pair much faster than it looks up two keys.
    entries = [
        (f"{site.base_url}{page_path(name)}", lastmod.isoformat()) for name, lastmod in pages
    ]
    return templates.html.get_template("sitemap.xml").render(entries=entries).encode("utf-8")


def render_robots(site: SiteConfig, templates: Templates) -> bytes:
    """robots.txt allowing everything and naming the sitemap."""
    text = templates.html.get_template("robots.txt").render(sitemap=f"{site.base_url}{SITEMAP}")
    return text.encode("utf-8")
