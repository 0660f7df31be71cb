"""Derive: what the build works out from the whole library before it plans any output.

Related papers come from every paper's current title and abstract (see `related`).
Topics are matched against each day's listing, as that day listed a paper, so that what
a topic showed on a day (its page's day, its feed's item) never changes once published;
a paper is on every topic any of its listings was on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .config import SiteConfig
from .model import Library, Paper
from .related import Related, RelatedMemo, related_papers
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
    related: Mapping[str, tuple[Related, ...]] | None = None
    """Each paper's most related papers by slug, most related first; None if the site
    lists none."""

    def topics_of(self, slug: str) -> TopicSlugs:
        """The slugs of the topics a paper is on."""
        return self.paper_topics.get(slug, ()) if self.paper_topics else ()

    def related_to(self, slug: str) -> tuple[Related, ...]:
        """A paper's most related papers."""
        return self.related.get(slug, ()) if self.related else ()


def derive(library: Library, site: SiteConfig, memo: RelatedMemo | None = None) -> Derived:
    """Work out what needs the whole library; `memo` holds the last build's related lists."""
    related = None
    if site.related_papers:
        papers = related_order(library.papers)
        texts = [(p.slug, p.title, p.abstract.text) for p in papers]
        firsts = {p.slug: first_text(p) for p in papers if p.other_titles or p.abstracts[1:]}
        related = related_papers(texts, site.related_papers, first_texts=firsts, memo=memo)
    elif memo is not None:
        memo.clear()  # no lists: nothing to keep for the next build
    if not site.topics:
        return Derived(related=related)
    listing_topics = match_listings(library, site.topics)
    order = {topic.slug: index for index, topic in enumerate(site.topics)}
    found: dict[str, set[str]] = {}
    for digest, day in zip(library.digests, listing_topics, strict=True):
        for paper, slugs in zip(digest.papers, day, strict=True):
            found.setdefault(paper.slug, set()).update(slugs)
    paper_topics = {slug: tuple(sorted(s, key=order.__getitem__)) for slug, s in found.items()}
    return Derived(site.topics, listing_topics, paper_topics, related)


def related_order(papers: Sequence[Paper]) -> list[Paper]:
    """Papers oldest first, as `related_papers` takes them: its frozen statistics are the
    oldest papers', so that new ones never change them (until the library doubles)."""
    return sorted(papers, key=lambda paper: (paper.first_seen, paper.slug))


def first_text(paper: Paper) -> tuple[str, str]:
    """A paper's title and abstract as first listed."""
    title = paper.other_titles[-1] if paper.other_titles else paper.title
    return title, min(paper.abstracts, key=lambda version: version.dates[0]).text


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
