"""The Pagefind index as built by the real binary: shards, records, filters, pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import digest_text, find_all, parse_html, search_records, write_files
from paperdigest.build import BuildOptions, BuildReport, build, read_library
from paperdigest.dates import MONTH_ABBR
from paperdigest.plan.search import pack_days, plan_shards

BASE = "https://user.github.io/repo/"
CONTENT = {
    "site.yml": f"base_url: {BASE}\n",
    "2024-12-30.txt": digest_text("Dec 30", ("Old Winter Paper", "Snow and ice.")),
    "2025-01-02.txt": digest_text(
        "Jan 2", ("January Paper", "Fresh start."), ("Old Winter Paper", "Revised snow.")
    ),
    "2025-03-14.txt": digest_text("Mar 14", ("FuseChat: Knowledge Fusion", "Fusing chats.")),
}


@pytest.fixture(scope="module")
def searched(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, Path]:
    root = tmp_path_factory.mktemp("search")
    content = write_files(root / "content", CONTENT)
    report = build(BuildOptions(content=content, out=root / "site"))
    return report, root / "site"


def test_closed_months_share_the_primary_bundle_and_the_latest_month_has_its_own(
    searched: tuple[BuildReport, Path],
) -> None:
    _, site = searched
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 2  # December 2024 and January 2025
    assert sorted(p.name for p in (site / "pagefind/shards").iterdir()) == ["2025-03"]
    assert (site / "pagefind/pagefind-ui.js").is_file()
    shard = site / "pagefind/shards/2025-03"
    assert sorted(p.name for p in shard.iterdir() if p.is_file())[0] == "pagefind-entry.json"
    assert not list(shard.glob("*.js")) and not list(shard.glob("wasm.*"))
    entry = json.loads((shard / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 1


def test_closed_days_pack_oldest_first_into_bounded_runs() -> None:
    sizes = {"2024-11-30": 3, "2024-12-01": 2, "2025-01-05": 4, "2025-01-06": 9, "2025-01-07": 1}
    runs = pack_days(list(sizes), sizes, limit=5)
    assert runs == [["2024-11-30", "2024-12-01"], ["2025-01-05"], ["2025-01-06"], ["2025-01-07"]]


@given(
    st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=30),
    st.integers(min_value=1, max_value=30),
)
def test_a_closing_day_changes_only_the_newest_run(counts: list[int], limit: int) -> None:
    days = [f"2000-01-{i + 1:02}" for i in range(len(counts))]
    sizes = dict(zip(days, counts, strict=True))
    before = pack_days(days[:-1], sizes, limit)
    after = pack_days(days, sizes, limit)
    assert [m for run in after for m in run] == days
    assert all(sum(sizes[m] for m in run) <= limit or len(run) == 1 for run in after)
    assert after[: max(len(before) - 1, 0)] == before[:-1]


def test_only_the_latest_month_changes_when_a_digest_of_that_month_comes(tmp_path: Path) -> None:
    content = {
        f"2025-0{m}-0{d}.txt": digest_text(f"{MONTH_ABBR[m - 1]} {d}", (f"Paper {m}{d}", "Text."))
        for m in (1, 2, 3)
        for d in (1, 2)
    }
    _, library = read_library(write_files(tmp_path / "a", {"site.yml": "", **content}))
    shards = plan_shards(library.papers, "en")
    assert [(s.period, s.bundle, len(s.records)) for s in shards] == [
        ("2025-01-01_2025-02-02", "pagefind", 4),
        ("2025-03", "pagefind/shards/2025-03", 2),
    ]
    late = {"2025-03-30.txt": digest_text("Mar 30", ("Late", "Text."))}
    _, library = read_library(write_files(tmp_path / "b", {"site.yml": "", **content, **late}))
    more = plan_shards(library.papers, "en")
    assert more[0] == shards[0]
    assert sorted(r.title for r in more[1].records) == ["Late", "Paper 31", "Paper 32"]


def test_a_latest_month_larger_than_a_shard_is_packed_and_a_new_day_changes_its_newest(
    tmp_path: Path,
) -> None:
    content = {
        f"2025-03-0{d}.txt": digest_text(f"Mar {d}", (f"Paper {d}a", "A."), (f"Paper {d}b", "B."))
        for d in (1, 2, 3)
    }
    _, library = read_library(write_files(tmp_path / "a", {"site.yml": "", **content}))
    shards = plan_shards(library.papers, "en", limit=2)
    assert [(s.period, len(s.records)) for s in shards] == [
        ("2025-03-01_2025-03-01", 2),
        ("2025-03-02_2025-03-02", 2),
        ("2025-03-03_2025-03-03", 2),
    ]
    late = {"2025-03-04.txt": digest_text("Mar 4", ("Late", "Text."))}
    _, library = read_library(write_files(tmp_path / "b", {"site.yml": "", **content, **late}))
    more = plan_shards(library.papers, "en", limit=2)
    assert more[:3] == shards and [r.title for r in more[3].records] == ["Late"]


def test_records_hold_title_abstract_filters_and_root_relative_urls(
    searched: tuple[BuildReport, Path],
) -> None:
    _, site = searched
    record = next(
        r for r in search_records(site / "pagefind") if r["meta"]["title"] == "Old Winter Paper"
    )
    assert record["url"].startswith("/papers/old-winter-paper-")
    assert record["content"] == "Revised snow."  # the current abstract; the title is meta
    assert record["filters"] == {
        "year": ["2024"],
        "month": ["2024-12"],
    }
    assert record["meta"] == {"title": "Old Winter Paper", "first seen": "Monday, 30 December 2024"}
    assert (site / record["url"].strip("/") / "index.html").is_file()


def test_search_page_merges_every_shard_under_the_base_path(
    searched: tuple[BuildReport, Path],
) -> None:
    _, site = searched
    tree = parse_html((site / "search/index.html").read_bytes())
    panel = next(el for el in tree.iter() if el.get("id") == "search")
    assert panel.get("data-bundle") == "/repo/pagefind/"
    assert json.loads(panel.get("data-shards")) == ["/repo/pagefind/shards/2025-03/"]
    scripts = [s.get("src") for s in find_all(tree, "script")]
    assert "/repo/pagefind/pagefind-ui.js" in scripts
    assert any(src.startswith("/repo/assets/search.js?v=") for src in scripts)


def test_only_paper_pages_carry_the_search_body(searched: tuple[BuildReport, Path]) -> None:
    _, site = searched

    def has_body(page: Path) -> bool:
        return any("data-pagefind-body" in el.attrib for el in parse_html(page.read_bytes()).iter())

    assert all(has_body(page) for page in (site / "papers").glob("*/index.html"))
    assert not has_body(site / "index.html")
    assert not has_body(site / "digests/2025-03-14/index.html")


def test_every_page_header_has_a_search_box_that_opens_the_search_page(
    searched: tuple[BuildReport, Path],
) -> None:
    _, site = searched
    for page in [site / "index.html", site / "archive/index.html"]:
        forms = find_all(parse_html(page.read_bytes()), "form")
        # No method: a form submits with GET unless it says otherwise.
        actions = [(f.get("action"), f.get("method", "get")) for f in forms]
        assert actions == [("/repo/search/", "get")]
        inputs = find_all(forms[0], "input")
        assert [i.get("name") for i in inputs] == ["q"]
    # The search page and the 404 page have one search box, their own, not the header's.
    for page in [site / "search/index.html", site / "404.html"]:
        assert find_all(parse_html(page.read_bytes()), "form") == []


def test_no_search_leaves_search_out(tmp_path: Path) -> None:
    content = write_files(tmp_path / "content", CONTENT)
    build(BuildOptions(content=content, out=tmp_path / "site", search=False))
    site = tmp_path / "site"
    assert not (site / "pagefind").exists() and not (site / "search").exists()
    html = (site / "index.html").read_text()
    assert "search" not in html.lower().replace("research", "")
