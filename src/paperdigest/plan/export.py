"""The site's data as files, each planned as a record of exactly what it shows.

- a JSON document per digest, beside its page: the day's papers in order, each as that
  day's listing gave it (title, arXiv ID, authors, abstract); the build reads these back as
  content, so a site can be rebuilt from its own export;
- the paper index, for scripts that page through every paper without fetching every
  digest: one file per month of first sighting (no abstracts: the digests carry them) and
  `papers/index.json`, which lists the months and the digests;
- the JSON Schema of each of those files, from the package's `schemas/` folder;
- `llms.txt`, which says what the site is and links the Markdown twins.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import SiteConfig
from ..model import Digest, Library, Paper
from ..urls import (
    LLMS_TXT,
    PAPER_INDEX,
    digest_json_path,
    month_json_path,
    page_path,
    paper_name,
    schema_path,
)
from .views import DaySummary

DIGEST_SCHEMA = "digest-v1"
MONTH_SCHEMA = "paper-month-v1"
INDEX_SCHEMA = "paper-index-v1"
SCHEMAS_DIR = Path(__file__).resolve().parents[1] / "schemas"
"""The schemas as shipped; each file is published with its `$id` set to its URL."""


@dataclass(frozen=True, slots=True)
class ExportedPaper:
    """A paper as a digest's JSON lists it: that day's listing of it."""

    slug: str
    """Its page's slug."""
    title: str
    """The title as listed that day."""
    arxiv_id: str
    """The arXiv ID that day's listing gave, if any."""
    authors: tuple[str, ...]
    """The authors that day's listing named."""
    abstract: str
    """The abstract as listed that day; empty if there was none."""


@dataclass(frozen=True, slots=True)
class DigestExport:
    """A digest's JSON: its date and its papers in order, as listed that day."""

    base_url: str
    """The site's absolute URL, which every URL in the file starts with."""
    date: date
    """The digest's date."""
    papers: tuple[ExportedPaper, ...]
    """The day's papers in order."""


@dataclass(frozen=True, slots=True)
class IndexedPaper:
    """A paper as the paper index lists it."""

    slug: str
    """Its page's slug."""
    title: str
    """Its current title."""
    arxiv_id: str
    """Its arXiv ID, if any listing gave one."""
    authors: tuple[str, ...]
    """Its authors, from the latest listing that named them."""
    dates: tuple[date, ...]
    """The digests that listed it, oldest first."""


@dataclass(frozen=True, slots=True)
class PaperMonth:
    """One file of the paper index: the papers first seen in a month, in listing order."""

    base_url: str
    """The site's absolute URL (its schema's URL starts with it)."""
    month: str
    """The month, as `YYYY-MM`."""
    papers: tuple[IndexedPaper, ...]
    """Its papers, in the order they were first listed."""


@dataclass(frozen=True, slots=True)
class PaperIndex:
    """The paper index's entry point: every month file and every digest's JSON."""

    base_url: str
    """The site's absolute URL."""
    months: tuple[tuple[str, int], ...]
    """Each month of first sighting, oldest first, with how many papers were first seen."""
    digests: tuple[tuple[date, int], ...]
    """Each digest's date, oldest first, with how many papers it lists."""


@dataclass(frozen=True, slots=True)
class Schema:
    """A JSON Schema of one kind of data file."""

    url: str
    """Its absolute URL, which becomes its `$id`."""
    source: str
    """The schema as shipped."""


@dataclass(frozen=True, slots=True)
class LlmsTxt:
    """llms.txt: what the site is, and links to the Markdown of its main pages."""

    site_title: str
    """The site's name."""
    description: str
    """One sentence about the site."""
    base_url: str
    """The site's absolute URL; every link is absolute."""
    latest: tuple[DaySummary, ...]
    """The latest digests, newest first (as many as the home page links)."""


ExportRecord = DigestExport | PaperMonth | PaperIndex | Schema | LlmsTxt


def plan_exports(library: Library, site: SiteConfig) -> Iterator[tuple[str, ExportRecord]]:
    """Every data file of the site by path: digests' JSON, paper index, schemas, llms.txt."""
    for digest in library.digests:
        yield digest_json_path(digest.date), digest_export(digest, site.base_url)
    months = paper_months(library, site.base_url)
    for month in months:
        yield month_json_path(month.month), month
    yield (
        PAPER_INDEX,
        PaperIndex(
            site.base_url,
            tuple((month.month, len(month.papers)) for month in months),
            tuple((digest.date, len(digest.papers)) for digest in library.digests),
        ),
    )
    for name in (DIGEST_SCHEMA, MONTH_SCHEMA, INDEX_SCHEMA):
        yield schema_path(name), Schema(schema_url(site.base_url, name), schema_source(name))
    latest = library.digests[::-1][: site.home_digests]
    summaries = tuple(DaySummary(d.date, len(d.papers), _new_count(d)) for d in latest)
    yield LLMS_TXT, LlmsTxt(site.title, site.description, site.base_url, summaries)


def digest_export(digest: Digest, base_url: str) -> DigestExport:
    """A digest's JSON record: each paper with that day's listing of it."""
    papers = tuple(
        ExportedPaper(paper.slug, entry.title, entry.arxiv_id, entry.authors, entry.abstract)
        for paper, entry in zip(digest.papers, digest.entries, strict=True)
    )
    return DigestExport(base_url, digest.date, papers)


def paper_months(library: Library, base_url: str) -> list[PaperMonth]:
    """The paper index's months, oldest first, each with its papers in first-listing order."""
    months: dict[str, list[IndexedPaper]] = {}
    for digest in library.digests:
        for paper in digest.papers:
            if digest.is_new(paper):
                months.setdefault(digest.date.isoformat()[:7], []).append(_indexed(paper))
    return [PaperMonth(base_url, month, tuple(papers)) for month, papers in months.items()]


def paper_url(base_url: str, slug: str) -> str:
    """The absolute URL of a paper's page."""
    return f"{base_url}{page_path(paper_name(slug))}"


def schema_url(base_url: str, name: str) -> str:
    """The absolute URL of a published schema."""
    return f"{base_url}{schema_path(name)}"


@functools.cache
def schema_source(name: str) -> str:
    """The text of a shipped schema."""
    return (SCHEMAS_DIR / f"{name}.schema.json").read_text(encoding="utf-8")


def _indexed(paper: Paper) -> IndexedPaper:
    return IndexedPaper(paper.slug, paper.title, paper.arxiv_id, paper.authors, paper.dates)


def _new_count(digest: Digest) -> int:
    return sum(digest.is_new(paper) for paper in digest.papers)
