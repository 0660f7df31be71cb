"""Topic pages: the list of topics and a front page per topic (its month pages are in
`topic_days`). A topic's front page stays small however many papers it has: its latest
papers and its months."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from ..dates import month_words
from ..derive import Derived
from ..markdown import MdText
from ..model import Library
from ..topics import Topic
from ..urls import (
    OPML,
    TOPICS,
    md_asset_link,
    md_link,
    paper_name,
    topic_feed_path,
    topic_month_name,
    topic_name,
)
from .topic_days import TopicDay, TopicLink, TopicMonthPage, day_words_link
from .views import date_view

LATEST_PAPERS = 20
"""How many of its latest papers a topic's front page lists."""


@dataclass(frozen=True, slots=True)
class TopicSummary:
    """A topic as the list of topics shows it."""

    topic: TopicLink
    """The topic."""
    description: str
    """Its description, or empty."""
    paper_count: int
    """How many papers it has."""
    latest: date | None
    """The latest digest with a paper on it, if any."""


@dataclass(frozen=True, slots=True)
class TopicsPage:
    """Every topic, in site.yml's order, with its feed."""

    topics: tuple[TopicSummary, ...]
    """The topics."""
    since: date
    """The first digest's date, its date while no topic has a paper."""

    name: ClassVar[str] = TOPICS
    template: ClassVar[str] = "topics.md"
    indexed: ClassVar[bool] = False
    twin: ClassVar[bool] = True
    title: ClassVar[str] = "Topics"

    @property
    def description(self) -> str:
        """A plain-text summary for link previews."""
        return f"{len(self.topics)} topics, each with its papers by month and an RSS feed."

    @property
    def lastmod(self) -> date:
        """When its content last changed (for the sitemap)."""
        return max((t.latest for t in self.topics if t.latest), default=self.since)

    @property
    def feeds(self) -> tuple[tuple[str, str], ...]:
        """The feeds the page's head links, as (title, site path)."""
        return tuple(t.topic.feed for t in self.topics)

    def context(self) -> dict[str, Any]:
        """The Markdown template's context."""
        name = self.name
        return {
            "opml_link": MdText(md_asset_link(name, OPML)),
            "topics": [
                {
                    "name": t.topic.name,
                    "link": MdText(md_link(name, topic_name(t.topic.slug))),
                    "feed_link": MdText(md_asset_link(name, topic_feed_path(t.topic.slug))),
                    "description": t.description,
                    "count": t.paper_count,
                    "latest": date_view(t.latest, name) if t.latest else None,
                }
                for t in self.topics
            ],
        }


@dataclass(frozen=True, slots=True)
class TopicPage:
    """A topic's front page: its rules, its latest papers and its months."""

    topic: Topic
    """The topic (its `line` left out, so moving it in site.yml changes no page)."""
    paper_count: int
    """How many papers it has."""
    latest: tuple[tuple[date, str, str], ...]
    """Its latest papers as (the first day it listed them, slug, title), newest first."""
    months: tuple[tuple[date, int, int], ...]
    """Each month it has papers in, newest first: (month, digest days, papers)."""
    changed: date
    """The latest digest with papers on it, or the first digest while it has none."""

    template: ClassVar[str] = "topic.md"
    indexed: ClassVar[bool] = False
    twin: ClassVar[bool] = True

    @property
    def name(self) -> str:
        """The page name (see `urls`)."""
        return topic_name(self.topic.slug)

    @property
    def title(self) -> str:
        """The plain-text title."""
        return f"Topic: {self.topic.name}"

    @property
    def description(self) -> str:
        """A plain-text summary for link previews."""
        count = self.paper_count
        papers = f"{count} paper{'s' if count != 1 else ''}"
        return self.topic.description or f"{papers} on {self.topic.name}."

    @property
    def lastmod(self) -> date:
        """When its content last changed (for the sitemap)."""
        return self.changed

    @property
    def feeds(self) -> tuple[tuple[str, str], ...]:
        """The feeds the page's head links, as (title, site path)."""
        return (TopicLink(self.topic.slug, self.topic.name).feed,)

    def context(self) -> dict[str, Any]:
        """The Markdown template's context."""
        name, topic = self.name, self.topic
        return {
            "name": topic.name,
            "description": topic.description,
            "include": list(topic.include),
            "exclude": list(topic.exclude),
            "title_words": list(topic.title),
            "plurals": topic.plurals,
            "count": self.paper_count,
            "feed_link": MdText(md_asset_link(name, topic_feed_path(topic.slug))),
            "topics_link": MdText(md_link(name, TOPICS)),
            "latest": [
                {
                    "title": title,
                    "link": MdText(md_link(name, paper_name(slug))),
                    "date": day_words_link(topic.slug, day, name),
                }
                for day, slug, title in self.latest
            ],
            "months": [
                {
                    "name": month_words(month),
                    "link": MdText(md_link(name, topic_month_name(topic.slug, month))),
                    "days": days,
                    "count": count,
                }
                for month, days, count in self.months
            ],
        }


TopicRecord = TopicsPage | TopicPage | TopicMonthPage


def plan_topics(
    library: Library, derived: Derived, days: dict[str, list[TopicDay]]
) -> Iterator[TopicRecord]:
    """Each topic's front page and its month pages, then the list of topics, if any."""
    if not derived.topics:
        return
    since = library.digests[0].date
    summaries = []
    for topic in derived.topics:
        link = TopicLink(topic.slug, topic.name)
        topic_days_ = days[topic.slug]
        first_day: dict[str, tuple[date, str]] = {}
        for day in topic_days_:
            for paper in day.papers:
                first_day.setdefault(paper.slug, (day.date, paper.title))
        latest = sorted(
            ((d, s, t) for s, (d, t) in first_day.items()), key=lambda x: (-x[0].toordinal(), x[1])
        )
        months: dict[date, list[TopicDay]] = {}
        for day in topic_days_:
            months.setdefault(day.date.replace(day=1), []).append(day)
        month_keys = sorted(months, reverse=True)
        summaries.append(
            TopicSummary(
                link,
                topic.description,
                len(first_day),
                topic_days_[-1].date if topic_days_ else None,
            )
        )
        yield TopicPage(
            dataclasses.replace(topic, line=0),
            len(first_day),
            tuple(latest[:LATEST_PAPERS]),
            tuple(
                (m, len(months[m]), len({p.slug for d in months[m] for p in d.papers}))
                for m in month_keys
            ),
            topic_days_[-1].date if topic_days_ else since,
        )
        for index, month in enumerate(month_keys):
            newer = month_keys[index - 1] if index > 0 else None
            older = month_keys[index + 1] if index + 1 < len(month_keys) else None
            yield TopicMonthPage(link, month, tuple(reversed(months[month])), older, newer)
    yield TopicsPage(tuple(summaries), since)
