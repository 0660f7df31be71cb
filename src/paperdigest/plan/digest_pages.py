"""A digest's pages: the day's papers, new ones first, with a long day's HTML in pages.

A digest's twin lists the whole day; its HTML shows at most `digest_page_papers` of them
and goes on in `DigestPart` pages (`digests/2025-03-14/2/`), so that a day of hundreds of
papers, each with its abstract folded in, stays light on a phone.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from ..config import SiteConfig
from ..dates import date_words
from ..markdown import MdText
from ..urls import digest_name, digest_part_name, md_link
from .archive import month_link
from .topic_days import TopicLink, day_link
from .views import Listed, PaperItem, date_view, paper_items


@dataclass(frozen=True, slots=True)
class DigestPage:
    """A digest's page: the day's papers, new ones first; its twin lists them all."""

    date: datetime.date
    """The digest's date."""
    papers: tuple[Listed, ...]
    """The day's papers in order."""
    older: datetime.date | None
    """The previous digest's date, if any."""
    newer: datetime.date | None
    """The next digest's date, if any."""
    topics: tuple[tuple[TopicLink, int], ...] = ()
    """The topics of the day's papers, with how many are on each, in site.yml's order."""
    page_papers: int = 0
    """How many papers its HTML shows, the rest going on in `DigestPart` pages; 0: all."""

    template: ClassVar[str] = "digest.md"
    indexed: ClassVar[bool] = False
    twin: ClassVar[bool] = True

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
        fragments: list[str] = []
        papers = listed_order(self.papers, self.date)
        items = paper_items(papers, self.date, self.name, fragments)
        size = self.page_papers or len(items)
        new_count = _new_count(self.papers, self.date)
        context = _day_context(self, items, items[:size], 0, new_count, len(items))
        context["topics"] = [
            {"name": topic.name, "link": day_link(topic.slug, self.date, self.name), "count": count}
            for topic, count in self.topics
        ]
        context["fragments"] = fragments
        return context


@dataclass(frozen=True, slots=True)
class DigestPart:
    """A later page of a long digest's HTML, from `first` on; it has no twin of its own."""

    date: datetime.date
    """The digest's date."""
    part: int
    """Which page of the digest this is, from 2."""
    first: int
    """Where its papers start in the day's list (new ones first), from 0."""
    papers: tuple[Listed, ...]
    """Its papers, in that order."""
    count: int
    """How many papers the day lists."""
    new_count: int
    """How many of them were new that day."""
    page_papers: int
    """How many papers each page of the digest shows."""
    older: datetime.date | None
    """The previous digest's date, if any."""
    newer: datetime.date | None
    """The next digest's date, if any."""

    template: ClassVar[str] = "digest.md"
    indexed: ClassVar[bool] = False
    twin: ClassVar[bool] = False

    @property
    def name(self) -> str:
        """The page name (see `urls`)."""
        return digest_part_name(self.date, self.part)

    @property
    def title(self) -> str:
        """The plain-text title."""
        return f"Papers of {date_words(self.date)}, page {self.part}"

    @property
    def description(self) -> str:
        """A plain-text summary for link previews."""
        span = _span(self.first, self.first + len(self.papers))
        noun = "Paper" if len(self.papers) == 1 else "Papers"
        return f"{noun} {span} of the {self.count} listed on {date_words(self.date)}."

    @property
    def lastmod(self) -> datetime.date:
        """When its content last changed (for the sitemap)."""
        return self.date

    def context(self) -> dict[str, Any]:
        """The Markdown template's context."""
        fragments: list[str] = []
        items = paper_items(self.papers, self.date, self.name, fragments)
        context = _day_context(self, items, items, self.first, self.new_count, self.count)
        context["topics"] = []
        context["fragments"] = fragments
        return context


def _span(start: int, end: int) -> str:
    """Papers `start` (from 0) up to `end` as a reader counts them: `101–200`, or `11`."""
    return f"{start + 1}–{end}" if end > start + 1 else f"{end}"


def _day_context(
    page: DigestPage | DigestPart,
    items: list[PaperItem],
    shown: list[PaperItem],
    first: int,
    new_count: int,
    count: int,
) -> dict[str, Any]:
    """What every page of a digest shows: the day, its counts, the pages of its HTML, and
    `shown`, the papers of this page's HTML, which start at `first` in the day's list;
    `items` are the papers of its twin (a part has none), `count` all the day's papers."""
    name = page.name
    size = page.page_papers or count
    pages = [
        {
            "label": _span(start, min(start + size, count)),
            "link": MdText(md_link(name, digest_part_name(page.date, start // size + 1))),
            "current": start == first,
        }
        for start in range(0, count, size)
    ]
    return {
        "date": date_view(page.date, name),
        "papers": items,
        "new": [item for item in items if item["new"]],
        "seen": [item for item in items if not item["new"]],
        "shown_new": [item for item in shown if item["new"]],
        "shown_seen": [item for item in shown if not item["new"]],
        "part": first // size + 1,
        "count": count,
        "new_count": new_count,
        # A group whose first papers are on an earlier page goes on here.
        "new_goes_on": first > 0,
        "seen_goes_on": first > new_count,
        "pages": pages if len(pages) > 1 else [],
        "older": date_view(page.older, name) if page.older else None,
        "newer": date_view(page.newer, name) if page.newer else None,
        "month": month_link(page.date, name),
    }


def digest_pages(page: DigestPage, site: SiteConfig) -> Iterator[DigestPage | DigestPart]:
    """A digest's page, and the later pages of its HTML if it lists more than one shows."""
    size = site.digest_page_papers
    if len(page.papers) <= size:
        yield page
        return
    yield dataclasses.replace(page, page_papers=size)
    day = page.date
    papers = listed_order(page.papers, day)
    new_count = _new_count(page.papers, day)
    for first in range(size, len(papers), size):
        part = first // size + 1
        shown = papers[first : first + size]
        yield DigestPart(
            day, part, first, shown, len(papers), new_count, size, page.older, page.newer
        )


def listed_order(papers: tuple[Listed, ...], day: datetime.date) -> tuple[Listed, ...]:
    """A day's papers in the order its pages list them: the new ones, then the others."""
    new = tuple(paper for paper in papers if paper.first_seen == day)
    return new + tuple(paper for paper in papers if paper.first_seen != day)


def page_numbers(papers: tuple[Listed, ...], day: datetime.date, size: int) -> dict[str, int]:
    """Which page of the day's HTML (from 1) lists each paper, by slug."""
    if len(papers) <= size:
        return dict.fromkeys((paper.slug for paper in papers), 1)
    return {paper.slug: i // size + 1 for i, paper in enumerate(listed_order(papers, day))}


def _new_count(papers: tuple[Listed, ...], day: datetime.date) -> int:
    return sum(paper.first_seen == day for paper in papers)
