"""A paper's page, planned as a record: title, current abstract, digests, other versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from ..abstract_links import artifact_links, merged_links
from ..dates import date_words
from ..latex import plain
from ..markdown import MdText
from ..model import Link, Paper
from ..urls import digest_part_name, md_link, paper_name, topic_name
from .citation import bibtex, citation_meta
from .links_out import labelled_links, paper_links
from .topic_days import TopicLink
from .views import counts, date_view, link_views, rich_text, summary
from .wordiff import word_diff

FOLD_AUTHORS_AFTER = 10
"""A longer list of authors shows these and folds the rest away (in HTML)."""


@dataclass(frozen=True, slots=True)
class Version:
    """An earlier abstract of a paper."""

    text: str
    """The abstract as last listed."""
    dates: tuple[date, ...]
    """The digests that listed it, oldest first."""


@dataclass(frozen=True, slots=True)
class Showing:
    """One digest that listed a paper, with what that listing said of it."""

    date: date
    """The digest's date."""
    upvotes: int | None = None
    """Its upvotes when that listing was read."""
    comments: int | None = None
    """Its comments then."""
    page: int = 1
    """Which page of the digest's HTML lists it (see `digest_pages`)."""


@dataclass(frozen=True, slots=True)
class RelatedPaper:
    """A paper related to another, as its page lists it."""

    slug: str
    """Its page's slug."""
    title: str
    """Its current title."""
    shared: tuple[str, ...]
    """The words both papers use that weigh most in their likeness."""


@dataclass(frozen=True, slots=True)
class PaperPage:
    """A paper's page: title, authors, IDs, current abstract, digests, other versions."""

    slug: str
    """The page's slug."""
    title: str
    """The current title."""
    abstract: str
    """The current abstract."""
    showings: tuple[Showing, ...]
    """The digests that listed the paper, oldest first."""
    other_versions: tuple[Version, ...]
    """Earlier abstracts, most recently listed first."""
    authors: tuple[str, ...] = ()
    """Every author a listing named (hidden ones left out)."""
    arxiv_id: str = ""
    """Its arXiv identifier, if known."""
    published: date | None = None
    """The day it was submitted to arXiv, if known."""
    other_titles: tuple[str, ...] = ()
    """Earlier titles, latest first, if its title was revised."""
    links: tuple[Link, ...] = ()
    """Its code, data and project links, from its listing and its abstract."""
    topics: tuple[TopicLink, ...] = ()
    """The topics it is on, in site.yml's order."""
    related: tuple[RelatedPaper, ...] = ()
    """Its most related papers, most related first."""

    template: ClassVar[str] = "paper.md"
    indexed: ClassVar[bool] = True
    twin: ClassVar[bool] = True

    @property
    def name(self) -> str:
        """The page name (see `urls`)."""
        return paper_name(self.slug)

    @property
    def description(self) -> str:
        """A plain-text summary for link previews."""
        return summary(plain(self.abstract)) or "No abstract was listed for this paper."

    @property
    def dates(self) -> tuple[date, ...]:
        """The digests that listed it, oldest first."""
        return tuple(showing.date for showing in self.showings)

    @property
    def lastmod(self) -> date:
        """When its content last changed (for the sitemap)."""
        return self.showings[-1].date

    @property
    def citation_meta(self) -> tuple[tuple[str, str], ...]:
        """Its citation meta tags, as (name, content) pairs."""
        return citation_meta(self.title, self.authors, self.arxiv_id, self.published)

    def context(self) -> dict[str, Any]:
        """The Markdown template's context."""
        name = self.name
        fragments: list[str] = []
        paper, artifacts = paper_links(self.arxiv_id, self.title), labelled_links(self.links)
        # A twin leaves out searches for the title: a reader of Markdown has the title, and
        # three long search URLs would cost more bytes than the rest of its links.
        twin_links = paper + artifacts if self.arxiv_id else artifacts
        # Versions are listed newest first: each one's next is the one before it.
        texts = (self.abstract, *(v.text for v in self.other_versions))
        newer_texts = texts[: len(self.other_versions)]
        listed_on = {showing.date: showing for showing in self.showings}
        return {
            "title": self.title,
            "links": link_views(paper + artifacts),
            "twin_links": link_views(twin_links),
            "bibtex": MdText(bibtex(self.title, self.authors, self.arxiv_id, self.published)),
            "abstract": rich_text(self.abstract, fragments),
            "authors": list(self.authors),
            "folded_after": FOLD_AUTHORS_AFTER,
            "published": date_words(self.published) if self.published else "",
            "other_titles": list(self.other_titles),
            "twin_differs": not self.arxiv_id or any(s.page > 1 for s in self.showings),
            "first_seen": self._listing(self.showings[0]),
            "appearances": [
                {**self._listing(s), "counts": counts(s.upvotes, s.comments)}
                for s in reversed(self.showings)
            ],
            "other_versions": [
                {
                    "number": len(self.other_versions) - index,
                    "text": rich_text(v.text, fragments),
                    # Marked against the next version: what each revision changed.
                    "changes": _changes(v.text, newer, fragments),
                    "dates": [
                        self._listing(listed_on.get(d, Showing(d))) for d in reversed(v.dates)
                    ],
                }
                for index, (v, newer) in enumerate(
                    zip(self.other_versions, newer_texts, strict=True)
                )
            ],
            "version_count": len(self.other_versions) + 1,
            "archive_link": MdText(md_link(name, "archive")),
            "topics": [
                {"name": topic.name, "link": MdText(md_link(name, topic_name(topic.slug)))}
                for topic in self.topics
            ],
            "related": [
                {
                    "title": paper.title,
                    "link": MdText(md_link(name, paper_name(paper.slug))),
                    "shared": list(paper.shared),
                }
                for paper in self.related
            ],
            "fragments": fragments,
        }

    def _listing(self, showing: Showing) -> dict[str, Any]:
        """A digest that listed it, linked to its entry there: in the HTML, on the page of
        the digest that shows it (`html_link`); in the twin, in the digest's twin."""
        anchor = f"#{self.slug}"
        view: dict[str, Any] = dict(date_view(showing.date, self.name))
        view["link"] = MdText(view["link"] + anchor)
        part = digest_part_name(showing.date, showing.page)
        view["html_link"] = MdText(md_link(self.name, part) + anchor)
        return view


def _changes(old: str, newer: str, fragments: list[str]) -> MdText | None:
    """An earlier version with what the next one changed marked, placed as a fragment."""
    marked = word_diff(old, newer)
    if marked is None:
        return None
    fragments.append(marked)
    return MdText(f"<m:{len(fragments) - 1}>")


def paper_page(
    paper: Paper,
    showings: tuple[Showing, ...] | None = None,
    links: tuple[Link, ...] | None = None,
    topics: tuple[TopicLink, ...] = (),
    related: tuple[RelatedPaper, ...] = (),
) -> PaperPage:
    """The record of a paper's page; `showings` gives what each listing said of it,
    `links` its code and data links if they are known already, `topics` its topics and
    `related` its related papers."""
    return PaperPage(
        slug=paper.slug,
        title=paper.title,
        abstract=paper.abstract.text,
        showings=showings or tuple(Showing(day) for day in paper.dates),
        other_versions=tuple(Version(v.text, v.dates) for v in paper.abstracts[1:]),
        authors=paper.authors,
        arxiv_id=paper.arxiv_id,
        published=paper.published,
        other_titles=paper.other_titles,
        links=merged_links(paper.links, artifact_links(paper.abstract.text))
        if links is None
        else links,
        topics=topics,
        related=related,
    )
