"""Snapshot of one tiny site: every HTML page, Markdown twin, the feed and the sitemap."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import REPO, digest_text

TINY = {
    "site.yml": "title: Tiny digest\nbase_url: https://example.org/tiny/\nyear: 2025\n"
    "author: Reading group\n"
    # A topic whose name would be Markdown if it were not escaped.
    "topics:\n  - name: Search & *versions* [1]\n    slug: search\n"
    "    include: [search, version]\n    exclude: expansion\n    plurals: true\n",
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


def test_every_page_has_canonical_feed_link_and_open_graph(
    make_site: Callable[..., tuple[object, Path]],
) -> None:
    from conftest import find_all, parse_html

    _, site = make_site(TINY, search=True)
    pages = [p for p in site.rglob("*.html") if "pagefind" not in p.parts]
    # home, archive and its month, 2 digests, 3 papers, search, 404, topics, the topic
    # and its month
    assert len(pages) == 2 + 1 + 2 + 3 + 2 + 3
    for page in pages:
        head = find_all(parse_html(page.read_bytes()), "head")[0]
        links = {
            (link.get("rel"), link.get("type")): link.get("href") for link in find_all(head, "link")
        }
        metas = {meta.get("property"): meta.get("content") for meta in find_all(head, "meta")}
        canonical = links[("canonical", None)]
        assert canonical.startswith("https://example.org/tiny/"), page
        feeds = [
            link.get("href")
            for link in find_all(head, "link")
            if link.get("rel") == "alternate" and link.get("type") == "application/rss+xml"
        ]
        # Every page links the site's feed first; home and the topic's pages link the
        # topic's feed too.
        topic_feed = ["/tiny/topics/search/feed.xml"]
        topical = page == site / "index.html" or "topics" in page.relative_to(site).parts
        assert feeds == ["/tiny/feed.xml"] + (topic_feed if topical else []), page
        # Open Graph's og:url and og:type would only repeat the canonical link and the
        # default type, on every page of a size-limited site.
        assert metas["og:title"] and metas["og:description"], page
        assert metas["og:site_name"] == "Tiny digest", page
        names = {meta.get("name"): meta.get("content") for meta in find_all(head, "meta")}
        assert names["twitter:card"] == "summary", page
        icon = links[("icon", "image/svg+xml")]
        assert icon.startswith("/tiny/assets/favicon.svg?v=")
        assert (site / "assets/favicon.svg").read_bytes().startswith(b"<svg ")
    assert (site / ".nojekyll").is_file()
