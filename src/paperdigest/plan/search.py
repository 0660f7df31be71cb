"""The search index, planned: shards of small records, one record per paper.

Each paper becomes one small record (title, current abstract, filters, sort key) rather
than its whole page, so a paper's new appearance in a digest does not change what is
indexed, and no HTML is written or parsed for it. Each shard is its own Pagefind index,
and the browser merges them at query time (`mergeIndex`); every shard a query touches
costs the reader a few requests more, so there are few shards, in two tiers:

- the latest month of first sighting, alone: a new digest re-indexes only this small one;
- the closed months before it, oldest first, packed into shards of at most
  `SHARD_PAPERS` papers, a bound set by Pagefind's memory. Only the newest of these grows,
  once a month, when a month closes.

The oldest shard is the primary bundle in `pagefind/`, with Pagefind's scripts; the
others live in `pagefind/shards/<first month>_<last month>/` (or `<month>/`) with only
their index data. Running Pagefind is the publish stage's job (`publish.indexer`).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..dates import date_words
from ..latex import plain
from ..model import Paper
from ..urls import page_path, paper_name

SEARCH_DIR = "pagefind"
SHARDS_DIR = f"{SEARCH_DIR}/shards"
SHARD_PAPERS = 5_000
"""At most this many papers in a shard of closed months. Pagefind holds about 95 bytes of
memory per character of text while it indexes (1.0 GB for 7,500 abstracts of 1.6 kB,
measured), and at 100,000 papers the build's own processes already hold 3.3 GB: 5,000
papers (about 0.7 GB) keep the build within 4 GiB."""


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """What search indexes for one paper: only what it should match, and its filters."""

    url: str
    """The paper page's URL from the site's root; Pagefind adds the base path itself."""
    title: str
    """The current title, shown as the result's link."""
    content: str
    """The text searched: the current abstract."""
    first_seen: date
    """The date of the paper's first digest: its filters and sort key."""
    topics: tuple[str, ...] = ()
    """The names of its topics, a filter."""

    def fields(self, language: str) -> dict[str, Any]:
        """The record as Pagefind's `add_custom_record` takes it.

        Pagefind reads a record's content as HTML text and decodes its entities, so the
        content goes in escaped: an excerpt then shows `&#x3C;` where the abstract says so.
        """
        seen = self.first_seen.isoformat()
        # Filter names become element ids in Pagefind's UI, so they are single words; the
        # date a result shows is in words, as everywhere else on the site.
        filters = {"year": [seen[:4]], "month": [seen[:7]]}
        if self.topics:
            # A value becomes part of an element id too, which must not hold a space: a
            # no-break space looks the same and is not one of HTML's spaces.
            filters["topic"] = [name.replace(" ", "\u00a0") for name in self.topics]
        return {
            "url": self.url,
            "content": html.escape(self.content, quote=False),
            "language": language,
            "meta": {"title": self.title, "first seen": date_words(self.first_seen)},
            "filters": filters,
            "sort": {"date": seen},
        }


@dataclass(frozen=True, slots=True)
class Shard:
    """The papers first seen in a run of months, indexed together."""

    period: str
    """The months of first sighting it holds: `YYYY-MM`, or `YYYY-MM_YYYY-MM` (first, last)."""
    bundle: str
    """Where its index lives in the site."""
    language: str
    """The language Pagefind indexes the records in."""
    records: tuple[SearchRecord, ...]
    """Its papers' records, by slug."""

    @property
    def primary(self) -> bool:
        """Whether this is the bundle with Pagefind's scripts, which the others merge into."""
        return self.bundle == SEARCH_DIR


def search_record(paper: Paper, topics: tuple[str, ...] = ()) -> SearchRecord:
    """The search record of one paper: its abstract and its authors, to search by name,
    and the names of its `topics` to filter by."""
    url = f"/{page_path(paper_name(paper.slug))}"
    text = plain(paper.abstract.text)  # `\\textsc{FuseChat}` is found as FuseChat
    if paper.authors:
        text = f"{text} Authors: {', '.join(paper.authors)}." if text else ", ".join(paper.authors)
    return SearchRecord(url, paper.title, text, paper.first_seen, topics)


def plan_shards(
    papers: Sequence[Paper], language: str, topics: Callable[[str], tuple[str, ...]] = lambda _: ()
) -> list[Shard]:
    """Group papers into shards, oldest months first; the first one is the primary bundle.
    `topics` gives the names of a paper's topics by its slug."""
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        groups.setdefault(paper.first_seen.isoformat()[:7], []).append(paper)
    *closed, latest = sorted(groups) or [""]
    runs = [*pack_months(closed, {month: len(groups[month]) for month in closed}), [latest]]
    shards = []
    for index, months in enumerate(run for run in runs if run[0]):
        period = months[0] if len(months) == 1 else f"{months[0]}_{months[-1]}"
        bundle = SEARCH_DIR if index == 0 else f"{SHARDS_DIR}/{period}"
        papers_by_slug = sorted((p for m in months for p in groups[m]), key=lambda p: p.slug)
        records = tuple(search_record(p, topics(p.slug)) for p in papers_by_slug)
        shards.append(Shard(period, bundle, language, records))
    return shards


def pack_months(
    months: list[str], sizes: dict[str, int], limit: int = SHARD_PAPERS
) -> list[list[str]]:
    """Runs of consecutive `months`, oldest first, each of at most `limit` papers (a month
    larger than that alone). Packing from the oldest keeps every run but the
    newest as it was when months are added after them."""
    runs: list[list[str]] = []
    total = 0
    for month in months:
        if not runs or total + sizes[month] > limit:
            runs.append([])
            total = 0
        runs[-1].append(month)
        total += sizes[month]
    return runs
