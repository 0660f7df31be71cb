"""`paperdigest check`: verify a built site before it is deployed.

Every HTML file must parse with balanced tags and hold only the elements, attributes,
scripts and stylesheets the templates produce; every internal link, asset and search
bundle must resolve under the site's base path; the feed must be well-formed RSS that
follows the W3C feed validator's rules; the sitemap's URLs must exist (see `feedcheck`);
every file must be the one the build wrote, by its hash in the manifest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .config import base_url_problem
from .errors import BuildError
from .feedcheck import feed_file_problems, sitemap_problems
from .latex_math import MATH_ATTRIBUTES, MATH_ELEMENTS
from .publish.manifest import MANIFEST, Manifest, differences
from .urls import NOT_FOUND, site_file

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
"""Elements that never have an end tag."""

# What the templates and page bodies produce, and so all a page may hold: anything else was
# added after the build. Extend these sets when the templates grow.
ALLOWED_ELEMENTS = frozenset(
    {"html", "head", "body", "meta", "title", "link", "script", "header", "nav", "ul", "ol",
     "li", "a", "form", "label", "input", "button", "main", "article", "h1", "h2", "h3", "p",
     "footer", "strong", "div", "select", "option", "noscript", "details", "summary", "br",
     "em", "code", "sup", "sub", "span", "pre", "del", "ins", "table", "thead", "tbody",
     "tr", "th", "td", "section"}
    | MATH_ELEMENTS
)  # fmt: skip
"""Every element a page may hold: no <iframe>, <base>, <object>, <embed>, <style>, <img>."""
ALLOWED_ATTRIBUTES = frozenset(
    {"action", "aria-current", "aria-label", "autocomplete", "charset", "class", "content",
     "data-bundle", "data-pagefind-body", "data-query-from-path", "data-shards", "defer", "for",
     "hidden", "href", "id", "lang", "method", "name", "placeholder", "property", "rel", "role",
     "src", "title", "type", "value"}
    | MATH_ATTRIBUTES
)  # fmt: skip
"""Every attribute an element may carry: no `on...` handler, `style` or `http-equiv`."""
URL_ATTRIBUTES = ("href", "src", "action")
"""The allowed attributes that hold a URL; each must lead into the site, except an <a>'s."""
LINK_RELS = frozenset({"alternate", "canonical", "icon", "stylesheet"})
"""The kinds of <link> a page may have."""
SCRIPTS = (r"assets/[\w-]+\.js(\?v=[0-9a-f]+)?", r"pagefind/pagefind-ui\.js")
"""The only scripts a page may load, under the base path; no inline script."""
STYLESHEETS = (r"assets/[\w-]+\.css(\?v=[0-9a-f]+)?", r"pagefind/pagefind-ui\.css")
"""The only stylesheets a page may load, under the base path."""
SEARCH_BUNDLE = "pagefind"
"""The folder that must hold exactly the files the build wrote."""


@dataclass
class CheckReport:
    """What `check` looked at and what it found."""

    problems: list[str] = field(default_factory=list)
    pages: int = 0
    links: int = 0


def check_site(site: Path) -> CheckReport:
    """Check a built site; the report lists every problem found."""
    manifest = _read_manifest(site)
    base_url = manifest.base_url
    report = CheckReport()
    problem = base_url_problem(base_url)
    if problem:  # every other check would go by a path that is not the site's
        report.problems.append(f"{MANIFEST}: {problem}")
        return report
    for page in sorted(site.rglob("*.html")):
        if any(part.startswith(".") for part in page.relative_to(site).parts):
            continue
        report.pages += 1
        _check_page(site, page, base_url, report)
    report.problems.extend(feed_file_problems(site, base_url))
    report.problems.extend(sitemap_problems(site, base_url))
    if not (site / NOT_FOUND).is_file():
        report.problems.append(f"{NOT_FOUND}: missing")
    # The search bundle is Pagefind's, not the templates': its files are checked by their
    # hashes, every one of them, since a truncated script or a lost fragment breaks search.
    if manifest.complete:
        report.problems.extend(differences(site, manifest, whole=SEARCH_BUNDLE))
    else:
        report.problems.append(f"{MANIFEST}: an older format; rebuild to check the files")
    return report


def read_base_url(site: Path) -> str:
    """The base URL a site was built for, from its manifest."""
    return _read_manifest(site).base_url


def _read_manifest(site: Path) -> Manifest:
    manifest = Manifest.read(site)
    if manifest is None:
        raise BuildError(f"{site} is not a site built by paperdigest (no {MANIFEST})")
    return manifest


class _PageParser(HTMLParser):
    """Collects URLs, checks that tags nest and close, and holds each element to the allowlist."""

    def __init__(self, base_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_path = base_path
        self.urls: list[tuple[int, str, str]] = []
        """(line, element, URL) of every URL attribute of an allowed element."""
        self.bundles: list[tuple[int, str]] = []
        self.ids: set[str] = set()
        self.errors: list[str] = []
        self.stack: list[tuple[str, int]] = []
        self.script_src = False
        """Whether the open <script> has a src (one without is already an inline script)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        problems = _element_problems(tag, values, self.base_path)
        self.errors.extend(f"line {line}: {problem}" for problem in problems)
        if not problems:  # a refused element is problem enough; where its URLs lead adds nothing
            kind = f"link rel={values['rel']}" if tag == "link" else tag
            self.urls.extend(
                (line, kind, values[name]) for name in URL_ATTRIBUTES if name in values
            )
        if tag == "script":
            self.script_src = "src" in values
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

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] == "script" and self.script_src and data.strip():
            self.errors.append(f"line {self.stack[-1][1]}: inline script")

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


def _element_problems(tag: str, values: dict[str, str], base_path: str) -> list[str]:
    """How an element differs from what the templates produce (see ALLOWED_ELEMENTS)."""
    if tag not in ALLOWED_ELEMENTS:
        return [f"<{tag}> is not an element the templates produce"]
    problems = [
        f"<{tag} {name}={_short(value)}>: "
        + ("an event handler" if name.startswith("on") else "not an attribute the templates use")
        for name, value in values.items()
        if name.startswith("on") or name not in ALLOWED_ATTRIBUTES
    ]
    if tag == "script" and "src" not in values:
        problems.append("inline script")
    elif tag == "script" and not _own(SCRIPTS, values["src"], base_path):
        problems.append(f"a script that is not the site's own: {values['src']}")
    if tag == "link":
        rel, href = values.get("rel", ""), values.get("href", "")
        if rel not in LINK_RELS:
            problems.append(f"<link rel={_short(rel)}> is not one the templates use")
        elif rel == "stylesheet" and not _own(STYLESHEETS, href, base_path):
            problems.append(f"a stylesheet that is not the site's own: {href}")
    return problems


def _own(patterns: tuple[str, ...], url: str, base_path: str) -> bool:
    return any(re.fullmatch(re.escape(base_path) + pattern, url) for pattern in patterns)


def _short(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "...")


def _check_page(site: Path, page: Path, base_url: str, report: CheckReport) -> None:
    base_path = urlsplit(base_url).path
    shown = page.relative_to(site).as_posix()
    parser = _PageParser(base_path)
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
    for line, kind, url in parser.urls:
        report.links += 1
        problem = _link_problem(site, page_url, kind, url, base_url)
        if problem:
            report.problems.append(f"{shown}: line {line}: {problem}")
    for line, bundle in parser.bundles:
        target = site_file(site, urljoin(page_url, bundle), base_path)
        if target is None or not (target.parent / "pagefind-entry.json").is_file():
            report.problems.append(f"{shown}: line {line}: no search bundle at {bundle}")


def _url_path_of(relative: str) -> str:
    return relative.removesuffix("index.html") if relative.endswith("index.html") else relative


def _link_problem(site: Path, page_url: str, kind: str, url: str, base_url: str) -> str | None:
    """What is wrong with a URL an element of kind `kind` (`a`, `link rel=icon`) holds."""
    base_path = urlsplit(base_url).path
    parts = urlsplit(url)
    if kind == "link rel=icon" and url == "data:,":  # the layout's "no favicon"
        return None
    if kind == "a" and parts.scheme in ("http", "https", "mailto"):
        return None  # links in abstracts lead anywhere on the web
    if parts.scheme in ("http", "https") and not url.startswith(base_url):
        return f"{kind} to outside the site: {url}"
    if parts.scheme not in ("", "http", "https"):
        return f"{kind} with a {parts.scheme}: URL: {url}"
    if not parts.path and not parts.netloc:
        return None  # a fragment on the same page
    absolute = urljoin(page_url, url)
    if not urlsplit(absolute).path.startswith(base_path):
        return f"link outside the base path {base_path}: {url}"
    target = site_file(site, absolute, base_path)
    if target is None or not target.is_file():
        return f"broken link: {url}"
    return None
