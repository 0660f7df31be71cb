"""Snapshot of one tiny site: every HTML page, Markdown twin, the feed and the sitemap."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from conftest import REPO, digest_text
from paperdigest.dates import date_words
from paperdigest.plan.views import DESCRIPTION_CHARS, summary

TINY = {
    "site.yml": "title: Tiny digest\nbase_url: https://example.org/tiny/\nyear: 2025\n"
    "author: Reading group\n",
    "2025-03-13.txt": digest_text(
        "Mar 13",
        ("A* Search Without Expansions", "Costs $15 and E[Y|X] <not-a-tag> `what to align with'."),
        ("Repeated Paper", "First version, see https://example.com/code."),
    ),
    "day2.txt": digest_text(
        "Mar 14",
        ("New <script>alert(1)</script> Paper", "T[i, ., . , i+m-1] and *stars*."),
        ("repeated paper", "Second version."),
    ),
}


def test_tiny_site_matches_its_snapshot(
    make_site: Callable[..., tuple[object, Path]], snapshot: Callable[[Path, Path], None]
) -> None:
    _, site = make_site(TINY, search=True)
    snapshot(site, REPO / "tests" / "snapshots" / "tiny")


def test_dates_are_written_without_the_locale() -> None:
    from datetime import date

    assert date_words(date(2025, 3, 14)) == "Friday, 14 March 2025"


def test_every_page_has_canonical_feed_link_and_open_graph(
    make_site: Callable[..., tuple[object, Path]],
) -> None:
    from conftest import find_all, parse_html

    _, site = make_site(TINY, search=True)
    pages = [p for p in site.rglob("*.html") if "pagefind" not in p.parts]
    assert len(pages) == 2 + 2 + 3 + 2  # home, archive, 2 digests, 3 papers, search, 404
    for page in pages:
        head = find_all(parse_html(page.read_bytes()), "head")[0]
        links = {
            (link.get("rel"), link.get("type")): link.get("href") for link in find_all(head, "link")
        }
        metas = {meta.get("property"): meta.get("content") for meta in find_all(head, "meta")}
        canonical = links[("canonical", None)]
        assert canonical.startswith("https://example.org/tiny/"), page
        assert links[("alternate", "application/rss+xml")] == "/tiny/feed.xml"
        assert metas["og:title"] and metas["og:description"], page
        assert metas["og:url"] == canonical
    assert (site / ".nojekyll").is_file()


@given(st.text(st.sampled_from("ab \t\u00a0."), max_size=600).map(str.strip))
@example("a" * 170 + " b")
def test_link_preview_summaries_are_bounded_and_cut_at_words(text: str) -> None:
    shown = summary(text)
    normalized = " ".join(text.split())
    if len(normalized) <= DESCRIPTION_CHARS:
        assert shown == normalized
    else:
        assert shown.endswith("…") and len(shown) <= DESCRIPTION_CHARS + 1
        kept = shown[:-1]
        assert normalized.startswith(kept)
        assert normalized[len(kept)] == " " or " " not in kept  # a word, unless one is too long
