"""Where each page lives: its Markdown file, its HTML file and its pretty URL.

A page is named by a site path without extension: `""` (home), `archive`,
`digests/2025-03-14`, `papers/<slug>`. Its Markdown twin is `<name>.md` (`index.md` for
home), its HTML is `<name>/index.html` and its URL is `<base path><name>/`.

The data files sit beside the pages, gzip-compressed: `digests/2025-03-14.json.gz` beside
that digest's page, the paper index in `papers/index.json` (plain, the entry point) and
`papers/2025-03.json.gz` (a slug always ends in
`-<hex>` and has no dot, so neither can be a paper's `papers/<slug>.md` or folder), their
schemas in `schemas/`, and `llms.txt` at the root.
"""

from __future__ import annotations

import posixpath
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

FEED = "feed.xml"
SITEMAP = "sitemap.xml"
SITEMAP_URLS = 50_000
"""The most URLs one sitemap may list (sitemaps.org); a larger site's is split in parts."""
SITEMAP_PARTS = "sitemaps"
"""The folder of a large site's sitemap parts, which `sitemap.xml` then indexes."""
ROBOTS = "robots.txt"
NOT_FOUND = "404.html"
SEARCH_PAGE = "search/index.html"
NO_JEKYLL = ".nojekyll"
"""Without it, GitHub Pages publishing from a branch would run Jekyll over the site."""
STYLESHEET = "assets/style.css"
SEARCH_SCRIPT = "assets/search.js"
FAVICON = "assets/favicon.svg"
LLMS_TXT = "llms.txt"
"""What the site is and where its Markdown is, for language models (llmstxt.org)."""
PAPER_INDEX = "papers/index.json"
"""The paper index's entry point: every month file and every digest's JSON."""


def paper_name(slug: str) -> str:
    """The page name of a paper."""
    return f"papers/{slug}"


def digest_name(day: date) -> str:
    """The page name of a digest."""
    return f"digests/{day.isoformat()}"


def digest_part_name(day: date, part: int) -> str:
    """The page name of part `part` (from 1) of a digest's HTML; part 1 is the digest's."""
    return digest_name(day) if part == 1 else f"{digest_name(day)}/{part}"


TOPICS = "topics"
"""The page listing every topic."""
OPML = "feeds.opml"
"""Every feed of the site, to subscribe to all at once."""


def topic_name(slug: str) -> str:
    """The page name of a topic."""
    return f"{TOPICS}/{slug}"


def topic_month_name(slug: str, month: date) -> str:
    """The page name of a topic's papers of one month."""
    return f"{TOPICS}/{slug}/{month.isoformat()[:7]}"


def topic_feed_path(slug: str) -> str:
    """The path of a topic's feed, in its folder."""
    return f"{TOPICS}/{slug}/{FEED}"


def digest_json_path(day: date) -> str:
    """The path of a digest's JSON, beside its page."""
    return f"{digest_name(day)}.json.gz"


def month_json_path(month: str) -> str:
    """The path of the paper index's file of a month (`2025-03`) of first sighting."""
    return f"papers/{month}.json.gz"


def sitemap_part_path(number: int) -> str:
    """The path of part `number` (from 1) of a large site's sitemap."""
    return f"{SITEMAP_PARTS}/{number}.xml.gz"


def schema_path(name: str) -> str:
    """The path of a published JSON Schema, such as `digest-v1`."""
    return f"schemas/{name}.schema.json"


def md_path(name: str) -> str:
    """The Markdown twin's path inside the site."""
    return f"{name}.md" if name else "index.md"


def html_path(name: str) -> str:
    """The HTML file's path inside the site."""
    return f"{name}/index.html" if name else "index.html"


def page_path(name: str) -> str:
    """The page's URL path relative to the site root (`papers/x/`, or `` for home)."""
    return f"{name}/" if name else ""


def md_link(from_name: str, to_name: str) -> str:
    """A relative link from one page's Markdown twin to another's."""
    from_folder = from_name.rpartition("/")[0]
    to_folder, _, to_file = md_path(to_name).rpartition("/")
    if from_folder == to_folder:
        return to_file
    if "/" in from_folder or "/" in to_folder:  # a topic's month page, two folders deep
        return posixpath.relpath(md_path(to_name), from_folder or ".")
    # Most pages are at most one folder deep: relpath without its cost.
    return ("../" if from_folder else "") + md_path(to_name)


def md_asset_link(from_name: str, site_file: str) -> str:
    """A relative link from a page's Markdown twin to any file of the site."""
    start = posixpath.dirname(md_path(from_name)) or "."
    return posixpath.relpath(site_file, start)


def pretty_from_md_link(from_name: str, href: str) -> str | None:
    """The site path (without base) that a relative link in a Markdown twin points at.

    `../papers/x.md#top` in `digests/2025-03-14.md` gives `papers/x/#top`. Links to other
    files keep their name. Returns None for links that leave the site.
    """
    target, _, fragment = href.partition("#")
    start = posixpath.dirname(md_path(from_name))
    resolved = posixpath.normpath(posixpath.join(start, target)) if target else md_path(from_name)
    if resolved.startswith("../") or resolved == "..":
        return None
    if resolved.endswith(".md"):
        stem = resolved[: -len(".md")]
        resolved = page_path("" if stem == "index" else stem)
    elif resolved == ".":
        resolved = ""
    return resolved + (f"#{fragment}" if fragment else "")


def site_file(site: Path, url: str, base_path: str) -> Path | None:
    """The file a root-relative URL is served from, or None if it is outside the site."""
    path = unquote(urlsplit(url).path)
    if not path.startswith(base_path):
        return None
    relative = path[len(base_path) :]
    if ".." in relative.split("/"):
        return None
    target = site / relative
    if relative == "" or relative.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target
