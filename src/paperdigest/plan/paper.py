"""A paper's page, planned as a record: title, current abstract, digests, other versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from ..markdown import MdText
from ..model import Paper
from ..urls import md_link, paper_name
from .views import date_view, summary


@dataclass(frozen=True, slots=True)
class Version:
    """An earlier abstract of a paper."""

    text: str
    """The abstract as last listed."""
    dates: tuple[date, ...]
    """The digests that listed it, oldest first."""


@dataclass(frozen=True, slots=True)
class PaperPage:
    """A paper's page: title, current abstract, digests, and earlier abstract versions."""

    slug: str
    """The page's slug."""
    title: str
    """The current title."""
    abstract: str
    """The current abstract."""
    dates: tuple[date, ...]
    """The digests that listed the paper, oldest first."""
    other_versions: tuple[Version, ...]
    """Earlier abstracts, most recently listed first."""

    template: ClassVar[str] = "paper.md"
    indexed: ClassVar[bool] = True

    @property
    def name(self) -> str:
        """The page name (see `urls`)."""
        return paper_name(self.slug)

    @property
    def description(self) -> str:
        """A plain-text summary for link previews."""
        return summary(self.abstract) or "No abstract was listed for this paper."

    @property
    def lastmod(self) -> date:
        """When its content last changed (for the sitemap)."""
        return self.dates[-1]

    def context(self) -> dict[str, Any]:
        """The Markdown template's context."""
        name = self.name
        return {
            "title": self.title,
            "abstract": self.abstract,
            "first_seen": date_view(self.dates[0], name),
            "appearances": [date_view(day, name) for day in reversed(self.dates)],
            "other_versions": [
                {"text": v.text, "dates": [date_view(d, name) for d in reversed(v.dates)]}
                for v in self.other_versions
            ],
            "archive_link": MdText(md_link(name, "archive")),
        }


def paper_page(paper: Paper) -> PaperPage:
    """The record of a paper's page."""
    return PaperPage(
        slug=paper.slug,
        title=paper.title,
        abstract=paper.abstract.text,
        dates=paper.dates,
        other_versions=tuple(Version(v.text, v.dates) for v in paper.abstracts[1:]),
    )
