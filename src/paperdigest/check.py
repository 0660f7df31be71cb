"""`paperdigest check`: verify a built site before it is deployed.

Every HTML file must parse with balanced tags; every internal link, asset and search
bundle must resolve under the site's base path; the feed must be well-formed RSS that
follows the W3C feed validator's rules; the sitemap's URLs must exist.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

from .config import base_url_problem
from .errors import BuildError
from .manifest import MANIFEST, Manifest
from .urls import FEED, NOT_FOUND, SITEMAP

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
"""Elements that never have an end tag."""
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_HTML_TAG = re.compile(r"<[a-zA-Z/!]")


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
    _check_feed(site, base_url, report)
    _check_sitemap(site, base_url, report)
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
        target = _file_for(site, urljoin(page_url, bundle), base_path)
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
    target = _file_for(site, absolute, base_path)
    if target is None or not target.is_file():
        return f"broken link: {url}"
    return None


def _file_for(site: Path, url: str, base_path: str) -> Path | None:
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


def _check_feed(site: Path, base_url: str, report: CheckReport) -> None:
    problems = feed_problems(site / FEED, base_url)
    for problem in problems:
        report.problems.append(f"{FEED}: {problem}")
    if not problems:
        tree = ElementTree.parse(site / FEED)
        for link in tree.iterfind("channel/item/link"):
            target = _file_for(site, link.text or "", urlsplit(base_url).path)
            if urlsplit(link.text or "").netloc != urlsplit(base_url).netloc or (
                target is None or not target.is_file()
            ):
                report.problems.append(f"{FEED}: item link {link.text} does not exist")


def feed_problems(feed: Path, base_url: str) -> list[str]:
    """The ways a feed breaks RSS 2.0 or the W3C feed validator's rules."""
    try:
        root = ElementTree.parse(feed).getroot()
    except (OSError, ElementTree.ParseError) as exc:
        return [f"not well-formed XML: {exc}"]
    channel = root.find("channel")
    if root.tag != "rss" or root.get("version") != "2.0" or channel is None:
        return ["not an RSS 2.0 document"]
    problems = []
    for required in ("title", "link", "description"):
        if not (channel.findtext(required) or "").strip():
            problems.append(f"the channel has no {required}")
    if channel.findtext("link") != base_url:
        problems.append(f"the channel link should be the site, {base_url}")
    self_links = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    if len(self_links) != 1 or not (self_links[0].get("href") or "").startswith(base_url):
        problems.append('expected one atom:link rel="self" pointing at the feed')
    problems.extend(_date_problems("lastBuildDate", channel.findtext("lastBuildDate")))
    guids = set()
    for number, item in enumerate(channel.findall("item"), start=1):
        where = f"item {number}"
        title = item.findtext("title") or ""
        if not title.strip():
            problems.append(f"{where}: no title")
        if _HTML_TAG.search(title):
            problems.append(f"{where}: HTML in the title")
        link = item.findtext("link") or ""
        if not link.startswith(base_url):
            problems.append(f"{where}: link {link!r} is not an absolute URL under {base_url}")
        guid = item.find("guid")
        text = (guid.text or "").strip() if guid is not None else ""
        if guid is None or not text:
            problems.append(f"{where}: no guid")
        else:
            permalink = guid.get("isPermaLink", "true") == "true"
            if permalink and not text.startswith(("http://", "https://")):
                problems.append(f"{where}: a permalink guid must be a full URL")
            if text in guids:
                problems.append(f"{where}: guid {text} is used twice")
            guids.add(text)
        problems.extend(
            f"{where}: {p}" for p in _date_problems("pubDate", item.findtext("pubDate"))
        )
        description = item.findtext("description") or ""
        for href in re.findall(r'(?:href|src)="([^"]*)"', description):
            if not urlsplit(href).scheme:
                problems.append(f"{where}: relative URL {href!r} in the description")
    return problems


def _date_problems(name: str, value: str | None) -> list[str]:
    if not value:
        return [f"no {name}"]
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return [f"{name} {value!r} is not an RFC 822 date"]
    if parsed.tzinfo is None:
        return [f"{name} {value!r} has no time zone"]
    return []


def _check_sitemap(site: Path, base_url: str, report: CheckReport) -> None:
    try:
        root = ElementTree.parse(site / SITEMAP).getroot()
    except (OSError, ElementTree.ParseError) as exc:
        report.problems.append(f"{SITEMAP}: not well-formed XML: {exc}")
        return
    base_path = urlsplit(base_url).path
    for url in root.iter(f"{SITEMAP_NS}url"):
        loc = url.findtext(f"{SITEMAP_NS}loc") or ""
        lastmod = url.findtext(f"{SITEMAP_NS}lastmod") or ""
        target = _file_for(site, loc, base_path)
        if not loc.startswith(base_url) or target is None or not target.is_file():
            report.problems.append(f"{SITEMAP}: {loc} does not exist")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod):
            report.problems.append(f"{SITEMAP}: {loc} has no lastmod date")
