"""Turn an output's record into its files: a page's Markdown twin and HTML, the feed, and
the site's single files. Each rendering reads only the record, the layout and templates."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from ..dates import date_words, month_words, rfc822
from ..markdown import MdText, markdown_to_html
from ..plan.archive import NoDigestPage, month_name
from ..plan.digest_pages import DigestPage, DigestPart
from ..plan.export import DigestExport, LlmsTxt, PaperIndex, PaperMonth, Schema
from ..plan.feed import Feed, FeedItem, Opml
from ..plan.files import (
    Layout,
    NotFoundPage,
    Robots,
    SearchPage,
    Sitemap,
    SitemapIndex,
    StaticFile,
)
from ..plan.outputs import Output
from ..plan.pages import PAGE_TYPES, PageRecord
from ..plan.paper import PaperPage
from ..plan.teaser import FEED_TEASER_CHARS, split_teaser
from ..urls import (
    NOT_FOUND,
    SEARCH_PAGE,
    digest_json_path,
    digest_name,
    md_link,
    md_path,
    page_path,
    paper_name,
)
from . import export
from .templates import Templates

Rendered = list[tuple[str, bytes]]
"""Files as (path in the site, bytes)."""
_CONTAINER = re.compile(r"^:::", re.MULTILINE)
"""A container fence, which only templates write (content's are escaped)."""


@dataclass(slots=True)
class RenderTimes:
    """Seconds spent rendering (summed over processes) and writing."""

    markdown: float = 0.0
    """Rendering pages' Markdown twins."""
    html: float = 0.0
    """Rendering pages' HTML from their Markdown."""
    files: float = 0.0
    """Rendering the feed, the sitemap and the other single files."""
    write: float = 0.0
    """Writing what was rendered."""

    def add(self, other: RenderTimes) -> None:
        """Add another process's times."""
        self.markdown += other.markdown
        self.html += other.html
        self.files += other.files
        self.write += other.write

    def parts(self, processes: int) -> list[tuple[str, float]]:
        """The render step's wall time by part; rendering is shared by `processes`."""
        return [
            ("render Markdown", self.markdown / processes),
            ("render HTML", self.html / processes),
            ("render other files", self.files / processes),
            ("write files", self.write),
        ]


class Renderer:
    """Renders records with templates resolved once per build."""

    def __init__(self, templates: Templates, layout: Layout, feed_items: Mapping[str, str]):
        """`feed_items` holds the live feed's HTML of items known to be unchanged, by GUID."""
        self.templates = templates
        self.layout = layout
        self.feed_items = feed_items
        self.page_template = templates.html.get_template("page.html")
        self.markdown_templates: dict[str, jinja2.Template] = {}
        self._by_type: dict[type, Callable[[Any], bytes]] = {
            Feed: self.feed,
            Opml: self.opml,
            Sitemap: self.sitemap,
            SitemapIndex: self.sitemap_index,
            NoDigestPage: self.no_digest,
            Robots: self.robots,
            SearchPage: self.search_page,
            NotFoundPage: self.not_found,
            StaticFile: lambda record: record.data,
            DigestExport: lambda record: export.gzipped(export.digest_json(record)),
            PaperMonth: lambda record: export.gzipped(export.month_json(record)),
            PaperIndex: export.index_json,
            Schema: export.schema_json,
            LlmsTxt: export.llms_txt,
        }

    def render(self, output: Output, times: RenderTimes) -> Rendered:
        """The files of one output."""
        record = output.record
        started = time.perf_counter()
        if isinstance(record, PAGE_TYPES):
            source, twin, fragments = self.markdown(record)
            middle = time.perf_counter()
            html = self.html(record, source, fragments)
            times.markdown += middle - started
            times.html += time.perf_counter() - middle
            # A later page of a long digest has no twin: the digest's has its papers.
            files = (html,) if twin is None else (twin, html)
            return [(path, text.encode()) for path, text in zip(output.paths, files, strict=True)]
        data = self._by_type[type(record)](record)
        times.files += time.perf_counter() - started
        return [(output.paths[0], data)]

    def markdown(self, page: PageRecord) -> tuple[str, str | None, list[str]]:
        """A page's Markdown for its HTML, its Markdown twin, and the HTML fragments the
        first places (converted LaTeX, say).

        The HTML's Markdown may fold parts into `::: details` containers and place HTML
        fragments, neither of which a twin read on GitHub could show, or show what a twin
        leaves out (`twin_differs`): such a page is rendered again for its twin, with
        `for_html` false. A page without a twin (`twin` false) gets None for it.
        """
        if (template := self.markdown_templates.get(page.template)) is None:
            template = self.templates.markdown.get_template(page.template)
            self.markdown_templates[page.template] = template
        context = page.context()
        fragments: list[str] = context.get("fragments", [])
        source = template.render(context, for_html=True)
        if not page.twin:
            return source, None, fragments
        if not fragments and not context.get("twin_differs") and not _CONTAINER.search(source):
            return source, source, fragments
        return source, template.render(context, for_html=False), fragments

    def html(self, page: PageRecord, markdown: str, fragments: list[str]) -> str:
        """A page's HTML: its Markdown rendered by markdown-it, in the layout."""
        body = markdown_to_html(markdown, page.name, self.layout.base_path, fragments)
        view = page_view(page, self.layout)
        return self.page_template.render(layout=self.layout, page=view, body=Markup(body))

    def feed(self, feed: Feed) -> bytes:
        """RSS 2.0: the channel and its items, reusing the HTML of unchanged items."""
        items = []
        for item in feed.items:
            html = self.feed_items.get(item.url)
            if html is None:
                html = self.feed_item_html(item)
            items.append(
                {
                    "title": item.title,
                    "url": item.url,
                    "guid": item.url,
                    "pub_date": rfc822(item.date),
                    "html": html,
                }
            )
        context = {
            "title": feed.title,
            "description": feed.description,
            "language": feed.language,
            "site_url": f"{feed.site_url}{page_path(feed.page)}",
            "feed_url": f"{feed.site_url}{feed.path}",
            "last_build_date": rfc822(feed.last_build),
            "items": items,
        }
        return self.templates.html.get_template("feed.xml").render(context).encode()

    def feed_item_html(self, item: FeedItem) -> str:
        """One item's HTML, which links absolutely to each paper page."""
        name = item.name
        new: list[dict[str, Any]] = []
        seen: list[dict[str, Any]] = []
        for paper in item.papers:
            (new if paper.new else seen).append(
                {
                    "title": paper.title,
                    "link": MdText(md_link(name, paper_name(paper.slug))),
                    "byline": paper.byline,
                    "teaser": split_teaser(paper.abstract, FEED_TEASER_CHARS, short=0)[0],
                }
            )
        template = self.templates.markdown.get_template("feed-item.md")
        markdown = template.render(new=new, seen=seen)
        return markdown_to_html(markdown, name, item.site_url)

    def opml(self, opml: Opml) -> bytes:
        """OPML 2.0: every feed of the site, as a feed reader imports a list of them."""
        template = self.templates.html.get_template("feeds.opml")
        return template.render(title=opml.title, feeds=opml.feeds).encode()

    def sitemap(self, sitemap: Sitemap) -> bytes:
        """A sitemap of every content page, with absolute URLs."""
        # Pairs, not dicts: Jinja unpacks a pair much faster than it looks up two keys.
        entries = [(url, lastmod.isoformat()) for url, lastmod in sitemap.entries]
        data = self.templates.html.get_template("sitemap.xml").render(entries=entries).encode()
        return export.gzipped(data, export.SITEMAP_LEVEL) if sitemap.compressed else data

    def sitemap_index(self, index: SitemapIndex) -> bytes:
        """The sitemap of a large site: the URL of each part, and its latest change."""
        sitemaps = [(url, lastmod.isoformat()) for url, lastmod in index.sitemaps]
        template = self.templates.html.get_template("sitemap-index.xml")
        return template.render(sitemaps=sitemaps).encode()

    def robots(self, robots: Robots) -> bytes:
        """robots.txt allowing everything and naming the sitemap."""
        template = self.templates.html.get_template("robots.txt")
        return template.render(sitemap=robots.sitemap_url).encode()

    def not_found(self, page: NotFoundPage) -> bytes:
        """The 404 page: served at any missing path, so every URL in it is absolute."""
        view = standalone_view(
            "Page not found", "There is no page at this address.", NOT_FOUND, self.layout
        )
        return self._search_like("404.html", view, page.search_shards, query_from_path=True)

    def no_digest(self, page: NoDigestPage) -> bytes:
        """A day without a digest: the nearest digests before and after it."""
        words = date_words(page.date)
        view = standalone_view(
            f"No digest on {words}",
            f"No digest was published on {words}.",
            page_path(digest_name(page.date)),
            self.layout,
        )

        def url(name: str) -> str:
            return f"{self.layout.base_path}{page_path(name)}"

        context = {
            "older": (date_words(page.older), url(digest_name(page.older))),
            "newer": (date_words(page.newer), url(digest_name(page.newer))),
            "month": (month_words(page.date), url(month_name(page.date))),
        }
        template = self.templates.html.get_template("no-digest.html")
        return template.render(layout=self.layout, page=view, **context).encode()

    def search_page(self, page: SearchPage) -> bytes:
        """The search page."""
        path = SEARCH_PAGE.removesuffix("index.html")
        view = standalone_view("Search", "Search every paper in the digest.", path, self.layout)
        return self._search_like("search.html", view, page.search_shards, query_from_path=False)

    def _search_like(
        self, template: str, view: dict[str, Any], shards: tuple[str, ...], query_from_path: bool
    ) -> bytes:
        # One search box: the page's own, not the header's as well.
        view["has_search"] = self.layout.search
        html = self.templates.html.get_template(template).render(
            layout=self.layout,
            page=view,
            search_shards=list(shards),
            query_from_path=query_from_path,
        )
        return html.encode()


def page_view(page: PageRecord, layout: Layout) -> dict[str, Any]:
    """The per-page part of the HTML layout's context."""
    view = standalone_view(page.title, page.description, page_path(page.name), layout)
    view["markdown_url"] = f"{layout.base_path}{md_path(page.name)}"
    view["json_url"] = ""
    if isinstance(page, DigestPage | DigestPart):
        # Every page of a digest links the day's twin and data, which sit beside its first.
        view["markdown_url"] = f"{layout.base_path}{md_path(digest_name(page.date))}"
        view["json_url"] = f"{layout.base_path}{digest_json_path(page.date)}"
    view["indexed"] = page.indexed
    view["is_home"] = page.name == ""
    feeds: tuple[tuple[str, str], ...] = getattr(page, "feeds", ())
    view["feeds"] = [(title, f"{layout.base_path}{path}") for title, path in feeds]
    if isinstance(page, PaperPage):
        view["meta"] = page.citation_meta
    return view


def standalone_view(title: str, description: str, path: str, layout: Layout) -> dict[str, Any]:
    """The layout context of a page at site path `path`."""
    return {
        "title": title,
        "description": description,
        "url": f"{layout.base_path}{path}",
        "canonical": f"{layout.base_url}{path}",
        "is_home": False,
        "meta": (),
        "has_search": False,
        "feeds": (),
    }
