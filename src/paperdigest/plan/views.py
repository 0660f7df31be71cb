"""What page templates show of shared things: dates in words with links, listed papers,
digest summaries, and link-preview text. Pure functions of records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from .. import latex
from ..dates import date_words
from ..markdown import MdText, md_destination, plain_markdown, rich_markdown
from ..model import Entry, Link
from ..urls import digest_name, md_link, paper_name
from .links_out import LinkOut, labelled_links
from .teaser import split_teaser

DESCRIPTION_CHARS = 160


BYLINE_AUTHORS = 3
"""How many authors a digest names under a title; the paper's page names them all."""


@dataclass(frozen=True, slots=True)
class Listed:
    """A paper as a digest lists it."""

    slug: str
    """Its page's slug."""
    title: str
    """Its current title."""
    first_seen: date
    """The date of its first digest."""
    authors: tuple[str, ...] = ()
    """Its first authors, up to BYLINE_AUTHORS."""
    more_authors: int = 0
    """How many authors there are besides those."""
    upvotes: int | None = None
    """Its upvotes when that day's listing was read: a fact of that listing."""
    comments: int | None = None
    """Its comments then."""
    abstract: str = ""
    """Its abstract as that day's listing gave it, or else its current one."""
    links: tuple[Link, ...] = ()
    """Its code and data links."""


def listed(
    slug: str,
    title: str,
    first_seen: date,
    authors: tuple[str, ...],
    entry: Entry,
    abstract: str = "",
    links: tuple[Link, ...] = (),
) -> Listed:
    """A paper as a day's `entry` lists it; `abstract` stands in if the entry has none."""
    shown = authors[:BYLINE_AUTHORS]
    more = len(authors) - len(shown)
    return Listed(
        slug,
        title,
        first_seen,
        shown,
        more,
        entry.upvotes,
        entry.comments,
        entry.abstract or abstract,
        links,
    )


def byline(authors: tuple[str, ...], more: int) -> str:
    """`By A, B and C`, or `By A, B, C and 4 more`."""
    if not authors:
        return ""
    if more:
        return f"By {', '.join(authors)} and {more} more"
    if len(authors) == 1:
        return f"By {authors[0]}"
    return f"By {', '.join(authors[:-1])} and {authors[-1]}"


def counts(upvotes: int | None, comments: int | None) -> str:
    """`42 upvotes, 3 comments`: facts of one listing, as a page shows them."""
    parts = []
    if upvotes is not None:
        parts.append(f"{upvotes:,} upvote{'s' if upvotes != 1 else ''}")
    if comments:
        parts.append(f"{comments:,} comment{'s' if comments != 1 else ''}")
    return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class DaySummary:
    """A digest as the archive and the home page sum it up."""

    date: date
    """The digest's date."""
    count: int
    """How many papers it lists."""
    new_count: int
    """How many of them it lists first."""


class DateView(TypedDict):
    iso: str
    words: str
    link: MdText


def date_view(day: date, from_name: str) -> DateView:
    """A date as a page shows it: ISO, in words, and linked to its digest's twin."""
    return {
        "iso": day.isoformat(),
        "words": date_words(day),
        "link": MdText(md_link(from_name, digest_name(day))),
    }


class LinkView(TypedDict):
    label: str
    url: MdText


def link_views(links: tuple[LinkOut, ...]) -> list[LinkView]:
    """Links out as a template writes them: their label, and their URL as Markdown."""
    return [{"label": link.label, "url": md_destination(link.url)} for link in links]


class PaperItem(TypedDict):
    slug: str
    title: str
    link: MdText
    new: bool
    first_seen: DateView
    byline: str
    counts: str
    links: list[LinkView]
    teaser: RichText
    rest: RichText


def paper_items(
    papers: tuple[Listed, ...], day: date, from_name: str, fragments: list[str]
) -> list[PaperItem]:
    """Listed papers as a page shows them: linked, marked new on `day`, with a teaser of
    the abstract and the rest of it; their LaTeX's HTML is added to `fragments`."""
    items: list[PaperItem] = []
    for paper in papers:
        teaser, rest = split_teaser(paper.abstract)
        items.append(
            {
                "slug": paper.slug,
                "title": paper.title,
                "link": MdText(md_link(from_name, paper_name(paper.slug))),
                "new": paper.first_seen == day,
                "first_seen": date_view(paper.first_seen, from_name),
                "byline": byline(paper.authors, paper.more_authors),
                "counts": counts(paper.upvotes, paper.comments),
                "links": link_views(labelled_links(paper.links)),
                "teaser": rich_text(teaser, fragments),
                "rest": rich_text(rest, fragments),
            }
        )
    return items


def summary_view(day: DaySummary, from_name: str) -> dict[str, Any]:
    """A digest's summary as the archive and home page show it."""
    return {"date": date_view(day.date, from_name), "count": day.count, "new_count": day.new_count}


class RichText:
    """An abstract as a page shows it. Its two Markdown forms are made when a template
    first asks for one: a digest's twin never shows the folded rest, and text without
    LaTeX has one form for both."""

    __slots__ = ("_fragments", "_html", "_twin", "text")

    def __init__(self, text: str, fragments: list[str]) -> None:
        """`text` as written (empty if there is none); `fragments` gets its LaTeX's HTML."""
        self.text = text
        self._fragments = fragments
        self._html: MdText | None = None
        self._twin: MdText | None = None

    @property
    def html(self) -> MdText:
        """Markdown for the page's HTML: LaTeX converted, in `fragments` placed by `<m:N>`."""
        if self._html is None:
            self._html = rich_markdown(self.text, self._fragments)
        return self._html

    @property
    def twin(self) -> MdText:
        """Markdown for the page's twin: LaTeX as plain text."""
        if self._twin is None:
            if self._html is not None and not latex.needs_reading(self.text):
                self._twin = self._html  # nothing to convert: the HTML's form is the twin's
            else:
                self._twin = plain_markdown(self.text)
        return self._twin


def rich_text(text: str, fragments: list[str]) -> RichText:
    """An abstract as a page shows it, its HTML fragments added to `fragments`."""
    return RichText(text, fragments)


def summary(text: str) -> str:
    """The start of a text with one space between words, cut at a word boundary."""
    words = text[: 2 * DESCRIPTION_CHARS]
    # Splitting into words is the slow part, and abstracts seldom need it: the parser
    # already joined their lines with single spaces.
    if "  " in words or not words.isprintable():
        words = " ".join(words.split())
        if len(words) <= DESCRIPTION_CHARS < len(text):  # whitespace runs shrank the slice
            words = " ".join(text.split())
    if len(words) <= DESCRIPTION_CHARS:
        return words
    return words[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"
