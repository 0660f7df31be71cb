"""Where a paper page links out: the paper on arXiv and Hugging Face, its code and data.

With an arXiv ID a page links the abstract page, the PDF, the HTML version (which arXiv
makes for papers submitted since December 2023) and the Hugging Face paper page. Without
one it links title searches on arXiv, Google Scholar and Semantic Scholar, labelled as
searches. Code, models, datasets, demos, videos and project pages come from the listing's
links and the abstract's (see `abstract_links`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote_plus, urlsplit

from ..abstract_links import LABELS
from ..model import Link

_NEW_STYLE_ID = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")
FIRST_HTML_MONTH = "2312"
"""arXiv's HTML versions start with papers submitted in December 2023 (`YYMM` of IDs)."""


@dataclass(frozen=True, slots=True)
class LinkOut:
    """One outbound link of a paper page."""

    label: str
    """What the link says: `PDF`, `Code`, `Search Google Scholar`."""
    url: str
    """Where it goes: an absolute http(s) URL."""


def arxiv_abs_url(arxiv_id: str) -> str:
    """The paper's abstract page on arXiv."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def arxiv_pdf_url(arxiv_id: str) -> str:
    """The paper's PDF on arXiv."""
    return f"https://arxiv.org/pdf/{arxiv_id}"


def has_html_version(arxiv_id: str) -> bool:
    """Whether arXiv makes an HTML version of papers with this ID's submission month."""
    match = _NEW_STYLE_ID.fullmatch(arxiv_id)
    return match is not None and match.group(1) + match.group(2) >= FIRST_HTML_MONTH


def paper_links(arxiv_id: str, title: str) -> tuple[LinkOut, ...]:
    """Links to the paper itself: on arXiv and Hugging Face, or searches for its title."""
    if arxiv_id:
        links = [
            LinkOut(f"arXiv {arxiv_id}", arxiv_abs_url(arxiv_id)),
            LinkOut("PDF", arxiv_pdf_url(arxiv_id)),
        ]
        if has_html_version(arxiv_id):
            links.append(LinkOut("HTML", f"https://arxiv.org/html/{arxiv_id}"))
        links.append(LinkOut("Hugging Face", f"https://huggingface.co/papers/{arxiv_id}"))
        return tuple(links)
    query = quote_plus(" ".join(title.split()))
    return (
        LinkOut("Search arXiv", f"https://arxiv.org/search/?searchtype=title&query={query}"),
        LinkOut("Search Google Scholar", f"https://scholar.google.com/scholar?q={query}"),
        LinkOut("Search Semantic Scholar", f"https://www.semanticscholar.org/search?q={query}"),
    )


def labelled_links(links: Iterable[Link]) -> tuple[LinkOut, ...]:
    """Code, models, datasets, demos and project pages, labelled by kind.

    Two links of one kind are told apart by their path (`Code: org/repo`), so that every
    link's text says where it goes.
    """
    by_kind: dict[str, list[str]] = {kind: [] for kind in LABELS}
    for link in links:
        by_kind.setdefault(link.kind, []).append(link.url)
    shown = []
    for kind, urls in by_kind.items():
        label = LABELS.get(kind, kind.capitalize())
        for url in urls:
            shown.append(LinkOut(f"{label}: {_short(url)}" if len(urls) > 1 else label, url))
    return tuple(shown)


def _short(url: str) -> str:
    """`https://github.com/org/repo/` as `org/repo`; another host's URL as host and path."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    host = parts.netloc.lower().removeprefix("www.")
    if host in ("github.com", "gitlab.com", "huggingface.co") and path:
        return path.removeprefix("datasets/").removeprefix("spaces/")
    return f"{host}/{path}" if path else host
