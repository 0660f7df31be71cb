"""A topic's days: each digest filtered to a topic, and a topic's page of one month.

A topic's month page is the month's digests filtered to the topic, newest day first, each
day anchored by its date; a digest page links to its day there for each of its topics,
which filters a digest by topic without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from ..dates import date_words, month_words
from ..derive import Derived
from ..markdown import MdText
from ..model import Library
from ..urls import md_link, topic_feed_path, topic_month_name, topic_name
from .views import Listed, date_view, paper_items


@dataclass(frozen=True, slots=True)
class TopicLink:
    """A topic as other pages link it."""

    slug: str
    """Its slug."""
    name: str
    """Its name."""

    @property
    def feed(self) -> tuple[str, str]:
        """Its feed as a page's head links it: (title, site path)."""
        return self.name, topic_feed_path(self.slug)


@dataclass(frozen=True, slots=True)
class TopicDay:
    """One digest filtered to one topic."""

    date: date
    """The digest's date."""
    papers: tuple[Listed, ...]
    """The day's papers on the topic, in the digest's order."""


@dataclass(frozen=True, slots=True)
class TopicMonthPage:
    """A topic's papers of one month, by digest, newest first."""

    topic: TopicLink
    """The topic."""
    month: date
    """The month's first day."""
    days: tuple[TopicDay, ...]
    """Its digests' papers on the topic, newest day first."""
    older: date | None
    """The topic's previous month with papers, if any."""
    newer: date | None
    """Its next month with papers, if any."""

    template: ClassVar[str] = "topic-month.md"
    indexed: ClassVar[bool] = False
    twin: ClassVar[bool] = True

    @property
    def name(self) -> str:
        """The page name (see `urls`)."""
        return topic_month_name(self.topic.slug, self.month)

    @property
    def title(self) -> str:
        """The plain-text title."""
        return f"{self.topic.name}: {month_words(self.month)}"

    @property
    def description(self) -> str:
        """A plain-text summary for link previews."""
        count = len({paper.slug for day in self.days for paper in day.papers})
        papers = f"{count} paper{'s' if count != 1 else ''}"
        return f"{papers} on {self.topic.name} in {month_words(self.month)}'s digests."

    @property
    def lastmod(self) -> date:
        """When its content last changed (for the sitemap)."""
        return self.days[0].date

    @property
    def feeds(self) -> tuple[tuple[str, str], ...]:
        """The feeds the page's head links, as (title, site path)."""
        return (self.topic.feed,)

    def context(self) -> dict[str, Any]:
        """The Markdown template's context."""
        name, slug = self.name, self.topic.slug
        fragments: list[str] = []
        days = []
        for day in self.days:
            items = paper_items(day.papers, day.date, name, fragments)
            days.append(
                {
                    "date": date_view(day.date, name),
                    "iso": day.date.isoformat(),
                    "new": [item for item in items if item["new"]],
                    "seen": [item for item in items if not item["new"]],
                }
            )

        def month(other: date | None) -> dict[str, Any] | None:
            if other is None:
                return None
            return {
                "name": month_words(other),
                "link": MdText(md_link(name, topic_month_name(slug, other))),
            }

        return {
            "title": self.title,
            "topic_link": MdText(md_link(name, topic_name(slug))),
            "topic_name": self.topic.name,
            "days": days,
            "older": month(self.older),
            "newer": month(self.newer),
            "fragments": fragments,
        }


def day_link(slug: str, day: date, from_name: str) -> MdText:
    """A link to a digest's day on a topic's month page."""
    return MdText(f"{md_link(from_name, topic_month_name(slug, day))}#{day.isoformat()}")


def day_words_link(slug: str, day: date, from_name: str) -> dict[str, Any]:
    """A digest's day on a topic's month page, in words and linked."""
    return {"words": date_words(day), "link": day_link(slug, day, from_name)}


def topic_days(
    library: Library, derived: Derived, listings: list[tuple[Listed, ...]]
) -> dict[str, list[TopicDay]]:
    """Each topic's digests filtered to it, by slug, oldest first."""
    days: dict[str, list[TopicDay]] = {topic.slug: [] for topic in derived.topics}
    if not derived.topics:
        return days
    for digest, listed, day_topics in zip(
        library.digests, listings, derived.listing_topics, strict=True
    ):
        on: dict[str, list[Listed]] = {}
        for paper, slugs in zip(listed, day_topics, strict=True):
            for slug in slugs:
                on.setdefault(slug, []).append(paper)
        for slug, papers in on.items():
            days[slug].append(TopicDay(digest.date, tuple(papers)))
    return days
