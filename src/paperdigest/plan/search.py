"""The search index, planned: shards of small records, one record per paper.

Each paper becomes one small record (title, current abstract, filters, sort key) rather
than its whole page, so a paper's new appearance in a digest does not change what is
indexed, and no HTML is written or parsed for it. Each shard is its own Pagefind index,
and the browser merges them at query time (`mergeIndex`); every shard a query touches
costs the reader a few requests more, so there are few shards, in two tiers:

- the latest month of first sighting, alone: a new digest re-indexes only this small one
  (a month of more than `SHARD_PAPERS` papers is packed as the closed ones are, and a new
  digest re-indexes its newest shard);
- the closed months before it, oldest first, packed day by day into shards of at most
  `SHARD_PAPERS` papers, a bound set by Pagefind's memory. Only the newest of these grows,
  once a month, when a month closes.

The oldest shard is the primary bundle in `pagefind/`, with Pagefind's scripts; the
others live in `pagefind/shards/<first day>_<last day>/` (or `<month>/`) with only
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
    """The papers first seen in a run of days, indexed together."""

    period: str
    """The days of first sighting it holds: its first and last, `YYYY-MM-DD_YYYY-MM-DD`, or
    the latest month, `YYYY-MM`."""
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
    papers: Sequence[Paper],
    language: str,
    topics: Callable[[str], tuple[str, ...]] = lambda _: (),
    limit: int = SHARD_PAPERS,
) -> list[Shard]:
    """Group papers into shards of at most `limit` papers (a day larger alone), oldest
    first; the first one is the primary bundle. `topics` gives the names of a paper's
    topics by its slug."""
    by_day: dict[str, list[Paper]] = {}
    for paper in papers:
        by_day.setdefault(paper.first_seen.isoformat(), []).append(paper)
    days = sorted(by_day)
    latest = days[-1][:7] if days else ""
    sizes = {day: len(listed) for day, listed in by_day.items()}
    closed = pack_days([day for day in days if day[:7] < latest], sizes, limit)
    # The latest month starts a run of its own; a month larger than a shard (a site that
    # lists thousands of papers a day) is packed as well, its newest run taking new days.
    recent = pack_days([day for day in days if day[:7] == latest], sizes, limit)
    shards = []
    for index, run in enumerate(closed + recent):
        whole_month = len(recent) == 1 and run is recent[0]
        period = latest if whole_month else f"{run[0]}_{run[-1]}"
        bundle = SEARCH_DIR if index == 0 else f"{SHARDS_DIR}/{period}"
        papers_by_slug = sorted((p for day in run for p in by_day[day]), key=lambda p: p.slug)
        records = tuple(search_record(p, topics(p.slug)) for p in papers_by_slug)
        shards.append(Shard(period, bundle, language, records))
    return shards


def pack_days(days: list[str], sizes: dict[str, int], limit: int = SHARD_PAPERS) -> list[list[str]]:
    """Runs of consecutive `days`, oldest first, each of at most `limit` papers (a day
    larger than that alone). Packing from the oldest keeps every run but the newest as it
    was when days are added after them."""
    runs: list[list[str]] = []
    total = 0
    for day in days:
        if not runs or total + sizes[day] > limit:
            runs.append([])
            total = 0
        runs[-1].append(day)
        total += sizes[day]
    return runs
