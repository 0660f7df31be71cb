"""Where pages live, and the links between Markdown twins."""

from __future__ import annotations

import itertools
import posixpath

import pytest

from paperdigest.urls import html_path, md_link, md_path, page_path, pretty_from_md_link

NAMES = [
    "",
    "archive",
    "papers/a-1",
    "papers/b-2",
    "digests/2025-03-14",
    "topics",
    "topics/slam",
    "topics/slam/2025-03",
    "topics/agents/2025-04",
]


@pytest.mark.parametrize(("source", "target"), list(itertools.product(NAMES, NAMES)))
def test_md_links_are_the_relative_paths_between_twins(source: str, target: str) -> None:
    start = posixpath.dirname(md_path(source)) or "."
    assert md_link(source, target) == posixpath.relpath(md_path(target), start)
    assert pretty_from_md_link(source, md_link(source, target)) == page_path(target)


def test_the_fixed_layout() -> None:
    assert (md_path(""), html_path(""), page_path("")) == ("index.md", "index.html", "")
    assert (md_path("papers/x"), html_path("papers/x"), page_path("papers/x")) == (
        "papers/x.md",
        "papers/x/index.html",
        "papers/x/",
    )


def test_links_leaving_the_site_are_not_rewritten() -> None:
    assert pretty_from_md_link("papers/x", "../../etc/passwd") is None
    assert pretty_from_md_link("digests/d", "../feed.xml#top") == "feed.xml#top"
