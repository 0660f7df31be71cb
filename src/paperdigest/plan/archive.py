"""The archive: a calendar of each month's digests, and a page per month listing every
paper first seen in it, so that the archive reaches every paper without search."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from ..dates import MONTH_ABBR, month_words
from ..markdown import MdText
from ..model import Library
from ..urls import digest_name, html_path, md_link, paper_name
from .views import DaySummary, date_view

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class ArchiveMonth:
    """A month as the archive shows it: its digests and how many papers it first saw."""

    month: date
    """Its first day."""
    digests: tuple[DaySummary, ...]
    """Its digests, oldest first."""
    new_count: int
    """How many papers were first seen in it."""


@dataclass(frozen=True, slots=True)
class ArchivePage:
    """The archive: a calendar per month, newest first, each linking its month's page."""

    months: tuple[ArchiveMonth, ...]
    """Every month with a digest, newest first."""
    paper_count: int
    """How many papers the site has."""

    name: ClassVar[str] = "archive"
    template: ClassVar[str] = "archive.md"
    indexed: ClassVar[bool] = False
    twin: ClassVar[bool] = True
    title: ClassVar[str] = "Archive"

    @property
    def description(self) -> str:
        """A plain-text summary for link previews."""
        return f"All {self.digest_count} digests, {self.paper_count} papers, month by month."

    @property
    def digest_count(self) -> int:
        """How many digests the site has."""
        return sum(len(month.digests) for month in self.months)

    @property
    def lastmod(self) -> date:
        """When its content last changed (for the sitemap)."""
        return self.months[0].digests[-1].date

    def context(self) -> dict[str, Any]:
        """The Markdown template's context."""
        years: dict[int, list[dict[str, Any]]] = {}
        for month in self.months:
            years.setdefault(month.month.year, []).insert(0, month_link(month.month, self.name))
        return {
            "digest_count": self.digest_count,
            "paper_count": self.paper_count,
            "years": [{"year": year, "months": months} for year, months in years.items()],
            "months": [
                {
                    **month_link(month.month, self.name),
                    "calendar": calendar_view(month.month, month.digests, self.name),
                    "digest_count": len(month.digests),
                    "new_count": month.new_count,
                }
                for month in self.months
            ],
        }


@dataclass(frozen=True, slots=True)
class MonthPage:
    """A month of the archive: its calendar, and every paper first seen in it, by day."""

    month: ArchiveMonth
    """The month, its digests and counts."""
    papers: tuple[tuple[date, tuple[tuple[str, str], ...]], ...]
    """Each digest day's new papers, as (slug, title), in listing order."""
    older: date | None
    """The previous month with a digest, if any."""
    newer: date | None
    """The next month with a digest, if any."""

    template: ClassVar[str] = "month.md"
    indexed: ClassVar[bool] = False
    twin: ClassVar[bool] = True

    @property
    def name(self) -> str:
        """The page name (see `urls`)."""
        return month_name(self.month.month)

    @property
    def title(self) -> str:
        """The plain-text title."""
        return f"Papers first seen in {month_words(self.month.month)}"

    @property
    def description(self) -> str:
        """A plain-text summary for link previews."""
        count = self.month.new_count
        words = month_words(self.month.month)
        return f"{count} papers first seen in {words}, in {len(self.month.digests)} digests."

    @property
    def lastmod(self) -> date:
        """When its content last changed (for the sitemap)."""
        return self.month.digests[-1].date

    def context(self) -> dict[str, Any]:
        """The Markdown template's context."""
        name = self.name
        return {
            "title": self.title,
            "calendar": calendar_view(self.month.month, self.month.digests, name),
            "new_count": self.month.new_count,
            "older": month_link(self.older, name) if self.older else None,
            "newer": month_link(self.newer, name) if self.newer else None,
            "archive_link": MdText(md_link(name, "archive")),
            "days": [
                {
                    "date": date_view(day, name),
                    "papers": [
                        {"title": title, "link": MdText(md_link(name, paper_name(slug)))}
                        for slug, title in papers
                    ],
                }
                for day, papers in self.papers
            ],
        }


def month_name(day: date) -> str:
    """The page name of the archive's month of a day: `archive/2025-03`."""
    return f"archive/{day.isoformat()[:7]}"


def month_link(month: date, from_name: str) -> dict[str, Any]:
    """A month as pages link it: its name, short name and page, from page `from_name`."""
    return {
        "name": month_words(month),
        "short": MONTH_ABBR[month.month - 1],  # not calendar's: that follows the locale
        "link": MdText(md_link(from_name, month_name(month))),
    }


def calendar_view(month: date, digests: tuple[DaySummary, ...], from_name: str) -> dict[str, Any]:
    """A month as weeks of seven cells, Monday first: empty outside it, else the day, and
    for a digest's day its link and paper count."""
    by_day = {digest.date.day: digest for digest in digests}
    weeks = []
    for week in calendar.Calendar().monthdayscalendar(month.year, month.month):
        cells: list[dict[str, Any] | None] = []
        for day in week:  # 0 outside the month
            digest = by_day.get(day)
            link = MdText(md_link(from_name, digest_name(digest.date))) if digest else None
            cells.append(
                {"day": day, "link": link, "count": digest.count if digest else 0} if day else None
            )
        weeks.append(cells)
    return {"weekdays": WEEKDAYS, "weeks": weeks}


def plan_archive(
    library: Library, summaries: tuple[DaySummary, ...]
) -> Iterator[ArchivePage | MonthPage]:
    """The archive page, then each month's page, newest first."""
    first_seen: dict[date, list[tuple[str, str]]] = {}
    for digest in library.digests:
        for paper in digest.papers:
            if digest.is_new(paper):
                first_seen.setdefault(digest.date, []).append((paper.slug, paper.title))
    by_month: dict[date, list[DaySummary]] = {}
    for day in reversed(summaries):  # oldest first
        by_month.setdefault(day.date.replace(day=1), []).append(day)
    months = [
        ArchiveMonth(month, tuple(days), sum(day.new_count for day in days))
        for month, days in by_month.items()
    ][::-1]
    yield ArchivePage(tuple(months), len(library.papers))
    for index, month in enumerate(months):
        newer = months[index - 1].month if index > 0 else None
        older = months[index + 1].month if index + 1 < len(months) else None
        papers = tuple(
            (day.date, tuple(first_seen[day.date]))
            for day in month.digests
            if day.date in first_seen
        )
        yield MonthPage(month, papers, older, newer)


@dataclass(frozen=True, slots=True)
class NoDigestPage:
    """A day between two digests that has none: its URL points to the nearest digests."""

    date: datetime.date
    """The day."""
    older: datetime.date
    """The latest digest before it."""
    newer: datetime.date
    """The first digest after it."""


def plan_missing_days(library: Library) -> Iterator[tuple[str, NoDigestPage]]:
    """A page, by path, for each day without a digest between the first and the last."""
    days = [digest.date for digest in library.digests]
    for older, newer in zip(days, days[1:], strict=False):
        for offset in range(1, (newer - older).days):
            day = older + timedelta(days=offset)
            yield html_path(digest_name(day)), NoDigestPage(day, older, newer)
