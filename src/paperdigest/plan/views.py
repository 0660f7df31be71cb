"""What page templates show of shared things: dates in words with links, listed papers,
digest summaries, and link-preview text. Pure functions of records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from ..dates import date_words
from ..markdown import MdText
from ..urls import digest_name, md_link, paper_name

DESCRIPTION_CHARS = 160


@dataclass(frozen=True, slots=True)
class Listed:
    """A paper as a digest lists it."""

    slug: str
    """Its page's slug."""
    title: str
    """Its current title."""
    first_seen: date
    """The date of its first digest."""


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


class PaperItem(TypedDict):
    title: str
    link: MdText
    new: bool
    first_seen: DateView


def paper_items(papers: tuple[Listed, ...], day: date, from_name: str) -> list[PaperItem]:
    """Listed papers as a page shows them: linked, and marked new on `day`."""
    return [
        {
            "title": paper.title,
            "link": MdText(md_link(from_name, paper_name(paper.slug))),
            "new": paper.first_seen == day,
            "first_seen": date_view(paper.first_seen, from_name),
        }
        for paper in papers
    ]


def summary_view(day: DaySummary, from_name: str) -> dict[str, Any]:
    """A digest's summary as the archive and home page show it."""
    return {"date": date_view(day.date, from_name), "count": day.count, "new_count": day.new_count}


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
