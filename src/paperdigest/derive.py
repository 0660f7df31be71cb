"""Derive: what the build works out from the whole library before it plans any output.

Topics are matched against each day's listing, as that day listed a paper, so that what
a topic showed on a day (its page's day, its feed's item) never changes once published;
a paper is on every topic any of its listings was on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .config import SiteConfig
from .model import Library
from .topics import Topic, Words

TopicSlugs = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Derived:
    """What the library as a whole gives each paper and page beyond its own listings."""

    topics: tuple[Topic, ...] = ()
    """The site's topics, in site.yml's order."""
    listing_topics: tuple[tuple[TopicSlugs, ...], ...] = ()
    """For each digest (oldest first) and each of its papers in order, the slugs of the
    topics that day's listing of it is on; empty without topics."""
    paper_topics: Mapping[str, TopicSlugs] | None = None
    """Each paper's topics by slug, in site.yml's order; None without topics."""

    def topics_of(self, slug: str) -> TopicSlugs:
        """The slugs of the topics a paper is on."""
        return self.paper_topics.get(slug, ()) if self.paper_topics else ()


def derive(library: Library, site: SiteConfig) -> Derived:
    """Work out what needs the whole library."""
    if not site.topics:
        return Derived()
    listing_topics = match_listings(library, site.topics)
    order = {topic.slug: index for index, topic in enumerate(site.topics)}
    found: dict[str, set[str]] = {}
    for digest, day in zip(library.digests, listing_topics, strict=True):
        for paper, slugs in zip(digest.papers, day, strict=True):
            found.setdefault(paper.slug, set()).update(slugs)
    paper_topics = {slug: tuple(sorted(s, key=order.__getitem__)) for slug, s in found.items()}
    return Derived(site.topics, listing_topics, paper_topics)


def match_listings(
    library: Library, topics: tuple[Topic, ...]
) -> tuple[tuple[TopicSlugs, ...], ...]:
    """Each listing's topics, matched on the title and abstract that day showed."""
    # Most listings repeat a title and an abstract read before: each pair is matched once.
    known: dict[tuple[str, str], TopicSlugs] = {}

    def topics_on(title: str, abstract: str) -> TopicSlugs:
        key = (title, abstract)
        if key not in known:
            words = Words.of(title), Words.of(abstract)
            known[key] = tuple(t.slug for t in topics if t.matches_words(*words))
        return known[key]

    return tuple(
        tuple(
            topics_on(entry.title, entry.abstract or paper.abstract.text)
            for paper, entry in zip(digest.papers, digest.entries, strict=True)
        )
        for digest in library.digests
    )
