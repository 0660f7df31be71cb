"""`paperdigest check`: verify a built site before it is deployed.

Every HTML file must parse with balanced tags; every internal link, asset and search
bundle must resolve under the site's base path; the feed must be well-formed RSS that
follows the W3C feed validator's rules; the sitemap's URLs must exist (see `feedcheck`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .config import base_url_problem
from .errors import BuildError
from .feedcheck import feed_file_problems, sitemap_problems
from .manifest import MANIFEST, Manifest
from .urls import NOT_FOUND, site_file

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
"""Elements that never have an end tag."""


@dataclass
class CheckReport:
    """What `check` looked at and what it found."""

    problems: list[str] = field(default_factory=list)
    pages: int = 0
    links: int = 0


def check_site(site: Path) -> CheckReport:
    """Check a built site; the report lists every problem found."""
    base_url = read_base_url(site)
    report = CheckReport()
    problem = base_url_problem(base_url)
    if problem:  # every other check would go by a path that is not the site's
        report.problems.append(f"{MANIFEST}: {problem}")
        return report
    base_path = urlsplit(base_url).path
    for page in sorted(site.rglob("*.html")):
        if any(part.startswith(".") for part in page.relative_to(site).parts):
            continue
        report.pages += 1
        _check_page(site, page, base_path, report)
    report.problems.extend(feed_file_problems(site, base_url))
    report.problems.extend(sitemap_problems(site, base_url))
    if not (site / NOT_FOUND).is_file():
        report.problems.append(f"{NOT_FOUND}: missing")
    return report


def read_base_url(site: Path) -> str:
    """The base URL a site was built for, from its manifest."""
    manifest = Manifest.read(site)
    if manifest is None:
        raise BuildError(f"{site} is not a site built by paperdigest (no {MANIFEST})")
    return manifest.base_url


class _PageParser(HTMLParser):
    """Collects URLs and checks that tags nest and close."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[int, str]] = []
        self.bundles: list[tuple[int, str]] = []
        self.ids: set[str] = set()
        self.errors: list[str] = []
        self.stack: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        for name in ("href", "src"):
            if name in values:
                self.urls.append((line, values[name]))
        if "id" in values:
            if values["id"] in self.ids:
                self.errors.append(f"line {line}: duplicate id {values['id']!r}")
            self.ids.add(values["id"])
        if "data-bundle" in values:
            self.bundles.append((line, values["data-bundle"]))
            for shard in json.loads(values.get("data-shards") or "[]"):
                self.bundles.append((line, shard))
        if tag not in VOID:
            self.stack.append((tag, line))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        line = self.getpos()[0]
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            open_tag = (
                f"<{self.stack[-1][0]}> from line {self.stack[-1][1]}" if self.stack else "nothing"
            )
            self.errors.append(f"line {line}: </{tag}> closes {open_tag}")
            if any(name == tag for name, _ in self.stack):
                while self.stack and self.stack.pop()[0] != tag:
                    pass
            return
        self.stack.pop()


def _check_page(site: Path, page: Path, base_path: str, report: CheckReport) -> None:
    shown = page.relative_to(site).as_posix()
    parser = _PageParser()
    try:
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
    except (UnicodeDecodeError, AssertionError, ValueError) as exc:
        report.problems.append(f"{shown}: does not parse: {exc}")
        return
    report.problems.extend(f"{shown}: {error}" for error in parser.errors)
    for tag, line in parser.stack:
        if tag not in ("html", "body", "head"):
            report.problems.append(f"{shown}: line {line}: <{tag}> is never closed")
    page_url = base_path + _url_path_of(page.relative_to(site).as_posix())
    for line, url in parser.urls:
        report.links += 1
        problem = _link_problem(site, page_url, url, base_path)
        if problem:
            report.problems.append(f"{shown}: line {line}: {problem}")
    for line, bundle in parser.bundles:
        target = site_file(site, urljoin(page_url, bundle), base_path)
        if target is None or not (target.parent / "pagefind-entry.json").is_file():
            report.problems.append(f"{shown}: line {line}: no search bundle at {bundle}")


def _url_path_of(relative: str) -> str:
    return relative.removesuffix("index.html") if relative.endswith("index.html") else relative


def _link_problem(site: Path, page_url: str, url: str, base_path: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https", "mailto") or url.startswith("data:"):
        return None
    if parts.scheme:
        return f"link with a {parts.scheme}: URL: {url}"
    if not parts.path:
        return None  # a fragment on the same page
    absolute = urljoin(page_url, url)
    if not urlsplit(absolute).path.startswith(base_path):
        return f"link outside the base path {base_path}: {url}"
    target = site_file(site, absolute, base_path)
    if target is None or not target.is_file():
        return f"broken link: {url}"
    return None
