r"""Code and data links from abstracts: where a URL in prose ends, and what it points at.

One rule says where a URL is, for this module and for latex.py (which keeps URLs whole):

- It starts at `http://` or `https://` (any case), or, without a scheme, at a code or
  model host (`github.com/…`, `gitlab.com/…`, `huggingface.co/…`, `hf.co/…`, …), a
  `*.github.io` name or a `www.` name, not preceded by a letter, digit, `.`, `@`, `/`,
  `\` or `-`; such a URL gets `https://`.
- It runs over the characters a URL may hold, non-ASCII letters, digits and marks
  included, and LaTeX's `\_ \% \# \& \~`, read as the character escaped. It stops at
  whitespace, control characters, `" ' < > ^ { | } [ ]`, a backtick, any other
  backslash, and any non-ASCII punctuation or symbol (`”`, `。`, `，`, `…`, `—`).
- It stops before `,` or `;` followed by `http://` or `https://`: the next of a list.
- Then `. , ; : ! ? *` at its end are sentence punctuation, not URL, and so is a `)` at
  its end that has no `(` of its own in the URL, repeatedly: `(see https://x.org/a_(b)).`
  gives `https://x.org/a_(b)`.
- Its host must be a domain name (two labels or more, the last starting with a letter)
  or an IPv4 address, with an optional port; no user name. Else it is no URL.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from .memo import remembered
from .model import Link

LABELS = {
    "code": "Code",
    "model": "Model",
    "dataset": "Dataset",
    "demo": "Demo",
    "project": "Project page",
    "video": "Video",
}
"""What a link of each kind is called beside a paper's title, in this order."""

CODE_HOSTS = frozenset(
    {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "gist.github.com"}
)
"""Hosts where `<owner>/<repository>` is a code repository (a gist needs one segment)."""
HF_HOSTS = frozenset({"huggingface.co", "hf.co"})
HF_MIRRORS = frozenset({"huggingface.host", "hf-mirror.com"})
"""Mirrors that scraped pages put in place of huggingface.co; read as huggingface.co."""
_HF_PROXY = re.compile(r"hf-proxy[\w-]*\.[\w.-]*workers\.dev")
PAPER_HOSTS = frozenset(
    {
        "arxiv.org", "doi.org", "dx.doi.org", "openreview.net", "aclanthology.org",
        "aclweb.org", "semanticscholar.org", "scholar.google.com", "paperswithcode.com",
        "papers.nips.cc", "proceedings.neurips.cc", "neurips.cc", "proceedings.mlr.press",
        "jmlr.org", "openaccess.thecvf.com", "ieeexplore.ieee.org", "dl.acm.org",
        "link.springer.com", "sciencedirect.com", "nature.com", "science.org",
        "biorxiv.org", "medrxiv.org", "ssrn.com", "researchgate.net", "ojs.aaai.org",
        "ijcai.org", "alphaxiv.org", "pubmed.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov",
        "creativecommons.org", "opensource.org",
    }
)  # fmt: skip
"""Papers, their landing pages and licences: not the paper's code or data. A subdomain
counts as its host (`export.arxiv.org`)."""
VIDEO_HOSTS = frozenset({"youtube.com", "m.youtube.com", "youtu.be", "vimeo.com", "bilibili.com"})
_CODE_RESERVED = frozenset(
    {
        "orgs", "users", "topics", "features", "marketplace", "settings", "sponsors",
        "about", "login", "join", "search", "explore", "collections", "apps", "enterprise",
        "pricing", "site", "security", "trending", "events", "new", "organizations",
        "groups", "dashboard", "help", "-",
    }
)  # fmt: skip
"""First path segments of code hosts that name their own pages, not an owner."""
_HF_PAGES = frozenset({"blog", "docs", "learn", "collections"})
_HF_RESERVED = frozenset(
    {
        "papers", "models", "organizations", "settings", "login", "join", "pricing",
        "tasks", "posts", "api", "chat", "search", "new", "enterprise", "spaces", "datasets",
    }
)  # fmt: skip

_BARE_HOSTS = (
    "github.com/", "gitlab.com/", "bitbucket.org/", "codeberg.org/", "gitee.com/",
    "huggingface.co/", "hf.co/",
)  # fmt: skip
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)  # keeps every index
_HOST_CHARS = frozenset(string.ascii_lowercase + string.digits + "-.")
_MAX_HOST = 253
"""The longest a domain name may be (RFC 1035)."""
_NOT_BEFORE_BARE = re.compile(r"[\w.@/\\-]")
# What may follow the start; non-ASCII characters are checked one by one below.
_RUN = re.compile(r"(?:[A-Za-z0-9\-._~:/?#@!$&()*+,;=%]|\\[_%#&~]|[^\x00-\x7f])*")
_NEXT_URL = re.compile(r"[,;](?=https?://)", re.IGNORECASE)
_HOST_END = re.compile(r"[/?#]")
_ESCAPE = re.compile(r"\\([_%#&~])")
_TRAILING = ".,;:!?*"
_LABEL = r"[^\W_][\w-]*"  # lenient: `a_b.example.org` is kept whole, not read as LaTeX
_AUTHORITY = re.compile(
    rf"(?:(?:{_LABEL}\.)+[^\W\d_][\w-]*[^\W_]|\d{{1,3}}(?:\.\d{{1,3}}){{3}})(?::\d{{1,5}})?"
)


@dataclass(frozen=True, slots=True)
class FoundUrl:
    """A URL in a text, found by the module's rule."""

    start: int
    """Where it starts in the text."""
    end: int
    """Where it ends (exclusive): what follows is the text's again."""
    text: str
    """What is written there, with LaTeX escapes such as `\\_` read as their character."""
    url: str
    """The absolute URL: `text`, with `https://` before a form written without a scheme."""


def find_urls(text: str) -> tuple[FoundUrl, ...]:
    """Every URL in `text`, in order, by the one rule of this module."""
    found: list[FoundUrl] = []
    position = run_end = 0
    for start, body in _starts(text):
        if start < position:
            continue
        if body >= run_end:  # a start inside the last run ends where that run ends
            run_end = _run_end(text, body)
        host_end = _HOST_END.search(text, body, run_end)
        authority = text[body : host_end.start() if host_end else run_end]
        if not _AUTHORITY.fullmatch(authority if host_end else authority.rstrip(_TRAILING + ")")):
            position = start + 1  # `https://https://x.org`: the second may be a URL
            continue
        end = _trimmed(text, start, run_end)
        written = _ESCAPE.sub(r"\1", text[start:end])
        absolute = written if body > start else f"https://{written}"
        found.append(FoundUrl(start, end, written, absolute))
        position = end
    return tuple(found)


def _starts(text: str) -> list[tuple[int, int]]:
    """Where URLs may start, in order, each with where its host starts."""
    # str.find on a lowered copy: a regex tried at every position took ten times as long.
    # `lower` keeps indexes only for ASCII (`İ` lowers to two characters), and is four times
    # faster than the table, which lowers ASCII alone.
    lowered = text.lower() if text.isascii() else text.translate(_LOWER)
    starts = []
    for index in _indexes(lowered, "://"):
        if lowered.endswith("https", 0, index):
            starts.append((index - 5, index + 3))
        elif lowered.endswith("http", 0, index):
            starts.append((index - 4, index + 3))
    for host in (*_BARE_HOSTS, ".github.io", "www."):
        for index in _indexes(lowered, host):
            start = index
            if host == ".github.io" or (index and lowered[index - 1] == "." and host != "www."):
                floor = max(0, index - _MAX_HOST)
                while start > floor and lowered[start - 1] in _HOST_CHARS:
                    start -= 1  # subdomains: `gist.github.com/`, `name.github.io`
                if start == floor and floor:
                    continue  # longer than a host name may be
                after = lowered[index + len(host) : index + len(host) + 1]
                if host == ".github.io" and (start == index or re.match(r"[\w-]", after)):
                    continue
            if not (start and _NOT_BEFORE_BARE.match(text, start - 1)):
                starts.append((start, start))
    return sorted(starts)


def _indexes(text: str, part: str) -> list[int]:
    """Every index where `part` occurs in `text`."""
    indexes = []
    index = text.find(part)
    while index >= 0:
        indexes.append(index)
        index = text.find(part, index + 1)
    return indexes


def _run_end(text: str, body: int) -> int:
    """Where the characters a URL may hold, from `body` on, end."""
    end = _RUN.match(text, body).end()  # type: ignore[union-attr]  # `*` always matches
    if listed := _NEXT_URL.search(text, body, end):
        end = listed.start()  # `…/a,https://…/b`: two URLs, listed without a space
    if text[body:end].isascii():
        return end
    for index in range(body, end):
        if ord(text[index]) > 127 and unicodedata.category(text[index])[0] not in "LMN":
            return index  # `。`, `”`, `—`, a zero-width space: prose, not URL
    return end


def _trimmed(text: str, start: int, end: int) -> int:
    """Where a URL from `start` ends once sentence punctuation is taken off its run's end."""
    opened = closed = -1  # counted when first needed: most URLs end in no `)`
    while end > start:
        last = text[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ")":
            if closed < 0:
                opened, closed = text.count("(", start, end), text.count(")", start, end)
            if closed <= opened:
                break
            end, closed = end - 1, closed - 1  # the `)` of a bracket opened before the URL
        else:
            break
    return end


@remembered
def artifact_links(text: str) -> tuple[Link, ...]:
    """The code, model, dataset, demo, video and project links an abstract holds, in order
    (remembered, by the parse cache too)."""
    return merged_links((), (link for found in find_urls(text) if (link := link_for(found.url))))


def merged_links(given: Iterable[Link], from_abstract: Iterable[Link]) -> tuple[Link, ...]:
    """A listing's links, then an abstract's, each URL once (one link per repository)."""
    seen: set[str] = set()
    merged: list[Link] = []
    for link in (*given, *from_abstract):
        key = link_key(link.url)
        if key not in seen:
            seen.add(key)
            merged.append(link)
    return tuple(merged)


def link_key(url: str) -> str:
    """The part of a URL that says which link it is: two URLs with one key are one link."""
    # Host without case or `www.`, path without a final `/` or `.git`, the query; not the
    # scheme or the fragment. A repository is its root, whatever deep link names it.
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2].lower().removeprefix("www.")
    segments = [segment for segment in parts.path.split("/") if segment]
    if host in CODE_HOSTS and len(segments) >= 2:
        repository = segments[:2]
        if host == "gitlab.com":  # GitLab groups nest: a project is all before `/-/`
            repository = segments[: segments.index("-")] if "-" in segments else segments
        name = "/".join(repository).removesuffix(".git")
        # Code hosts take owner and repository in any case.
        return f"{host}/{name.lower()}"
    path = parts.path.rstrip("/").removesuffix(".git")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def link_for(url: str) -> Link | None:
    """What a URL in an abstract points at, or None for a paper, profile or bare host."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    if host in HF_MIRRORS or _HF_PROXY.fullmatch(host):
        url = urlunsplit(("https", "huggingface.co", parts.path, parts.query, parts.fragment))
        host = "huggingface.co"
    segments = [segment for segment in parts.path.split("/") if segment]
    if any(host == paper or host.endswith("." + paper) for paper in PAPER_HOSTS):
        return None
    if host in CODE_HOSTS:
        needed = 1 if host == "gist.github.com" else 2
        if len(segments) < needed or segments[0].lower() in _CODE_RESERVED:
            return None  # `github.com/<user>` is a profile, not code
        if segments[-1].endswith(".git") and len(segments[-1]) > len(".git"):
            url = re.sub(r"\.git/?(?=$|[?#])", "", url, count=1)
        return Link("code", url)
    if host == "raw.githubusercontent.com":
        return Link("code", url) if len(segments) >= 2 else None
    if host in HF_HOSTS:
        return _hugging_face(url, segments)
    if host in VIDEO_HOSTS:
        return Link("video", url) if segments else None
    return Link("project", url)


def _hugging_face(url: str, segments: list[str]) -> Link | None:
    """A Hugging Face link's kind by its first segment; None for an account or listing."""
    first = segments[0] if segments else ""
    if first == "datasets":  # `datasets/squad`: an early dataset has no owner
        return Link("dataset", url) if len(segments) >= 2 else None
    if first == "spaces":
        return Link("demo", url) if len(segments) >= 3 else None
    if first in _HF_PAGES:
        return Link("project", url) if len(segments) >= 2 else None
    if first in _HF_RESERVED or len(segments) < 2:
        return None  # `huggingface.co/<org>` is an account; a one-name model cannot be told from it
    return Link("model", url)
