"""Render the data files: compact JSON for the digests and the paper index, the JSON
Schemas, and llms.txt. Each is a pure function of its record."""

from __future__ import annotations

import gzip
import json
from typing import Any

from ..dates import date_words
from ..markdown import escape_markdown
from ..plan.export import (
    DIGEST_SCHEMA,
    INDEX_SCHEMA,
    MONTH_SCHEMA,
    DigestExport,
    LlmsTxt,
    PaperIndex,
    PaperMonth,
    Schema,
    paper_url,
    schema_url,
)
from ..urls import (
    FEED,
    PAPER_INDEX,
    digest_json_path,
    digest_name,
    md_path,
    month_json_path,
    page_path,
    schema_path,
)


def _json(value: Any) -> str:
    # Compact, and UTF-8 rather than \u escapes: every byte here is paid per paper.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_document(members: dict[str, Any]) -> bytes:
    """A compact JSON object whose list members hold one item a line.

    A line per item costs a byte and lets a reader name the line of a broken paper; it also
    keeps the files readable, and their diffs small in a site kept in git.
    """
    parts = []
    for key, value in members.items():
        if isinstance(value, list) and value:
            items = ",\n".join(_json(item) for item in value)
            parts.append(f"{_json(key)}:[\n{items}\n]")
        else:
            parts.append(f"{_json(key)}:{_json(value)}")
    return ("{" + ",".join(parts) + "}\n").encode()


SITEMAP_LEVEL = 6
"""How hard a sitemap is compressed: 50,000 pages' XML (7.7 MB) took 0.26 s at level 9 and
0.09 s at 6, 6 % larger, and most publishes change a sitemap or two."""


def gzipped(data: bytes, level: int = 9) -> bytes:
    """`data` as a gzip file that is the same bytes on every build (no time, no name).

    Plain, the digests' and months' JSON holds every abstract again (2,300 B a paper);
    compressed it is a third of that (see benchmarks/README.md).
    """
    return gzip.compress(data, compresslevel=level, mtime=0)


def digest_json(record: DigestExport) -> bytes:
    """A digest's JSON: its date, its page and its papers as listed that day."""
    base = record.base_url
    papers = []
    for paper in record.papers:
        item: dict[str, Any] = {
            "slug": paper.slug,
            "url": paper_url(base, paper.slug),
            "title": paper.title,
        }
        # Facts a listing did not give are left out, not written empty: dumps give none.
        if paper.arxiv_id:
            item["arxiv_id"] = paper.arxiv_id
        if paper.authors:
            item["authors"] = list(paper.authors)
        if paper.abstract:
            item["abstract"] = paper.abstract
        papers.append(item)
    return json_document(
        {
            "$schema": schema_url(base, DIGEST_SCHEMA),
            "date": record.date.isoformat(),
            "url": f"{base}{page_path(digest_name(record.date))}",
            "papers": papers,
        }
    )


def month_json(record: PaperMonth) -> bytes:
    """A month of the paper index: its papers' slugs, titles, IDs, authors and dates."""
    papers = []
    for paper in record.papers:
        item: dict[str, Any] = {"slug": paper.slug, "title": paper.title}
        if paper.arxiv_id:
            item["arxiv_id"] = paper.arxiv_id
        if paper.authors:
            item["authors"] = list(paper.authors)
        item["dates"] = [day.isoformat() for day in paper.dates]
        papers.append(item)
    return json_document(
        {
            "$schema": schema_url(record.base_url, MONTH_SCHEMA),
            "month": record.month,
            "papers": papers,
        }
    )


def index_json(record: PaperIndex) -> bytes:
    """The paper index's entry point: each month's file and each digest's JSON, by URL."""
    base = record.base_url
    return json_document(
        {
            "$schema": schema_url(base, INDEX_SCHEMA),
            "url": base,
            "months": [
                {"month": month, "papers": count, "url": f"{base}{month_json_path(month)}"}
                for month, count in record.months
            ],
            "digests": [
                {"date": day.isoformat(), "papers": count, "url": f"{base}{digest_json_path(day)}"}
                for day, count in record.digests
            ],
        }
    )


def schema_json(record: Schema) -> bytes:
    """A shipped schema with its `$id` set to where it is published."""
    schema = json.loads(record.source)
    schema["$id"] = record.url
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode()


def llms_txt(record: LlmsTxt) -> bytes:
    """llms.txt (llmstxt.org): what the site is, then links to Markdown twins and data."""
    base = record.base_url

    def link(text: str, path: str, note: str) -> str:
        # A `(` or `)` in the base URL's path would end the Markdown link early.
        url = f"{base}{path}".replace("(", "%28").replace(")", "%29")
        return f"- [{text}]({url}): {note}"

    title = _inline(record.site_title)
    lines = [f"# {title}", ""]
    if record.description.strip():
        lines += [f"> {_inline(record.description)}", ""]
    lines += [
        f"{title} publishes dated digests of research papers. Each digest lists one day's "
        "papers in order; each paper has one page with its authors, its abstract and every "
        "digest that listed it. Every page has a Markdown twin: `index.md` (the latest "
        "digest), `archive.md` (every digest), `digests/YYYY-MM-DD.md` and "
        "`papers/<slug>.md`. The same data is published as gzip-compressed JSON: "
        "`digests/YYYY-MM-DD.json.gz` beside each digest, and an index of every paper by "
        "month of first sighting, `papers/YYYY-MM.json.gz`, listed in `papers/index.json`.",
        "",
        "## Digests",
        "",
        link("Latest digest", md_path(""), "the newest digest's papers and the recent digests"),
        link("Archive", md_path("archive"), "every digest, by month, with its paper count"),
        "",
        "## Latest digests",
        "",
    ]
    for day in record.latest:
        count = f"{day.count} paper{'s' if day.count != 1 else ''}, {day.new_count} new"
        name = digest_name(day.date)
        lines.append(link(f"Papers of {date_words(day.date)}", md_path(name), count))
    lines += [
        "",
        "## Data",
        "",
        link(
            "Paper index",
            PAPER_INDEX,
            "JSON: the file of each month of first sighting and each digest's JSON",
        ),
        "",
        "## Optional",
        "",
        link("RSS feed", FEED, "the latest digests"),
        link("Digest schema", schema_path(DIGEST_SCHEMA), "JSON Schema of a digest's JSON"),
        link("Month schema", schema_path(MONTH_SCHEMA), "JSON Schema of a month's file"),
        link("Index schema", schema_path(INDEX_SCHEMA), "JSON Schema of the paper index"),
    ]
    return ("\n".join(lines) + "\n").encode()


def _inline(text: str) -> str:
    """Text from site.yml as inert Markdown on one line: no links, headings or markup."""
    return escape_markdown(" ".join(text.split()))
