"""Topics as readers meet them: their pages, a digest filtered by topic, their feeds as a
feed reader parses them, the OPML list of every feed, and hostile topic names."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import listparser

from conftest import digest_text, find_all, parse_html, run_cli, text_of
from paperdigest.build import BuildOptions, BuildReport, build
from paperdigest.check import check_site

Builder = Callable[..., tuple[BuildReport, Path]]
BASE = "https://user.github.io/repo/"
SITE = (
    f"base_url: {BASE}\ntitle: Group\nyear: 2025\n"
    "topics:\n"
    "  - name: Robot mapping\n    slug: slam\n    description: SLAM for robots.\n"
    "    include: [SLAM, visual odometry]\n    exclude: [watermark]\n"
    "  - name: Agents\n    include: agent\n    plurals: true\n"
)
DAYS = {
    "2025-03-10.txt": digest_text(
        "Mar 10",
        ("SLAM for Legged Robots", "We map stairs."),
        ("SLAM: Watermarking LLM Output", "A watermark for text."),
        ("Agents That Plan", "Tool use."),
    ),
    "2025-03-11.txt": digest_text(
        "Mar 11",
        ("Visual Odometry at Night", "Dark scenes."),
        ("SLAM for Legged Robots", "We map stairs."),
        ("Unrelated Optics", "Lenses."),
    ),
}


def build_site(root: Path, files: dict[str, str]) -> Path:
    content = root / "content"
    shutil.rmtree(content, ignore_errors=True)
    content.mkdir(parents=True)
    for name, text in {"site.yml": SITE, **files}.items():
        (content / name).write_text(text)
    build(BuildOptions(content=content, out=root / "site", search=False))
    return root / "site"


def links(page: Path) -> dict[str, str]:
    main = find_all(parse_html(page.read_bytes()), "main")[0]
    return {text_of(a): a.get("href") or "" for a in find_all(main, "a")}


def feed(site: Path, path: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((site / path).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def test_a_topic_page_lists_its_papers_and_months_and_links_its_feed(tmp_path: Path) -> None:
    site = build_site(tmp_path, DAYS)
    page = site / "topics/slam/index.html"
    found = links(page)
    # The watermarking paper says SLAM but is excluded; "Unrelated Optics" never matched.
    assert "SLAM: Watermarking LLM Output" not in found and "Unrelated Optics" not in found
    assert found["Visual Odometry at Night"].startswith("/repo/papers/visual-odometry-at-night-")
    assert found["March 2025"] == "/repo/topics/slam/2025-03/"
    assert found["RSS feed of this topic"] == "/repo/topics/slam/feed.xml"
    head = find_all(parse_html(page.read_bytes()), "head")[0]
    alternates = [
        link.get("href") for link in find_all(head, "link") if link.get("rel") == "alternate"
    ]
    assert alternates == ["/repo/feed.xml", "/repo/topics/slam/feed.xml"]
    assert "SLAM for robots." in text_of(find_all(parse_html(page.read_bytes()), "main")[0])


def test_a_digest_is_filtered_by_topic_through_the_topics_month_page(tmp_path: Path) -> None:
    site = build_site(tmp_path, DAYS)
    found = links(site / "digests/2025-03-11/index.html")
    assert found["Robot mapping"] == "/repo/topics/slam/2025-03/#2025-03-11"
    assert "Agents" not in found  # no paper of that day is on it
    month = parse_html((site / "topics/slam/2025-03/index.html").read_bytes())
    sections = {s.get("id"): s for s in find_all(month, "section")}
    assert list(sections) == ["2025-03-11", "2025-03-10"]  # newest day first
    day = {text_of(a) for a in find_all(sections["2025-03-11"], "a")}
    assert {"Visual Odometry at Night", "SLAM for Legged Robots"} <= day
    assert "Unrelated Optics" not in day
    paper = next(site.glob("papers/slam-for-legged-robots-*/index.html"))
    assert links(paper)["Robot mapping"] == "/repo/topics/slam/"


def test_topic_feeds_list_only_the_topics_papers_with_their_own_guids(tmp_path: Path) -> None:
    site = build_site(tmp_path, DAYS)
    slam = feed(site, "topics/slam/feed.xml")
    assert slam.feed.title == "Group: Robot mapping"
    assert slam.feed.link == f"{BASE}topics/slam/"
    assert [e.title for e in slam.entries] == [
        "Robot mapping on Tuesday, 11 March 2025: 2 papers, 1 new",
        "Robot mapping on Monday, 10 March 2025: 1 paper, 1 new",
    ]
    assert [e.id for e in slam.entries] == [
        f"{BASE}topics/slam/2025-03/#2025-03-11",
        f"{BASE}topics/slam/2025-03/#2025-03-10",
    ]
    first = slam.entries[1].summary
    assert "SLAM for Legged Robots" in first and "Agents That Plan" not in first
    main_ids = {e.id for e in feed(site, "feed.xml").entries}
    assert main_ids.isdisjoint(e.id for e in slam.entries)
    assert check_site(site).problems == []


def item_xml(site: Path, path: str) -> dict[str, bytes]:
    root = ElementTree.parse(site / path).getroot()
    return {i.findtext("guid") or "": ElementTree.tostring(i) for i in root.iter("item")}


def test_published_topic_items_never_change_as_the_topic_grows(tmp_path: Path) -> None:
    site = build_site(tmp_path, DAYS)
    before = item_xml(site, "topics/slam/feed.xml")
    more = {
        **DAYS,
        # A new day on the topic, and an old paper re-listed with the topic's words gone.
        "2025-03-12.txt": digest_text(
            "Mar 12",
            ("Dense SLAM in Real Time", "Fast maps."),
            ("Visual Odometry at Night", "Dark scenes, revised without the phrase."),
        ),
    }
    site = build_site(tmp_path, more)
    after = item_xml(site, "topics/slam/feed.xml")
    assert {guid: after[guid] for guid in before} == before
    [new] = set(after) - set(before)
    assert new == f"{BASE}topics/slam/2025-03/#2025-03-12"
    # That day's item lists what that day's listings matched: the retitled abstract's
    # paper still matches by its title, the new paper by its own.
    assert b"Dense SLAM in Real Time" in after[new]
    assert check_site(site).problems == []


def test_the_opml_lists_every_feed_as_a_feed_reader_imports_it(tmp_path: Path) -> None:
    site = build_site(tmp_path, DAYS)
    parsed = listparser.parse((site / "feeds.opml").read_text())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert [(f.title, f.url) for f in parsed.feeds] == [
        ("Group", f"{BASE}feed.xml"),
        ("Group: Robot mapping", f"{BASE}topics/slam/feed.xml"),
        ("Group: Agents", f"{BASE}topics/agents/feed.xml"),
    ]
    for listed in parsed.feeds:
        assert (site / urlsplit(listed.url).path.removeprefix("/repo/")).is_file()
    assert links(site / "topics/index.html")["Every feed of this site"] == "/repo/feeds.opml"


def test_check_names_a_topic_feed_the_opml_leaves_out_and_a_lost_day(tmp_path: Path) -> None:
    site = build_site(tmp_path, DAYS)
    opml = site / "feeds.opml"
    opml.write_text("\n".join(row for row in opml.read_text().splitlines() if "agents" not in row))
    month = site / "topics/slam/2025-03/index.html"
    month.write_text(month.read_text().replace('id="2025-03-10"', 'id="elsewhere"'))
    problems = check_site(site).problems
    assert "topics/agents/feed.xml: a feed that feeds.opml does not list" in problems
    assert (
        f"topics/slam/feed.xml: item link {BASE}topics/slam/2025-03/#2025-03-10 points at no "
        "part of its page"
    ) in problems


def test_hostile_topic_names_are_refused_or_stay_inert_inside_the_site(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "2025-03-10.txt").write_text(DAYS["2025-03-10.txt"])
    (content / "site.yml").write_text(
        "year: 2025\ntopics:\n  - name: <script>alert(1)</script>\n    include: SLAM\n"
    )
    result = run_cli("build", "--content", str(content), "--out", str(tmp_path / "site"))
    assert result.returncode == 1 and not (tmp_path / "site").exists()
    assert f"{content}/site.yml:3: topic 1: `name` '<script>alert(1)</script>' looks like" in (
        result.stderr
    )
    (content / "site.yml").write_text(
        f"base_url: {BASE}\nyear: 2025\ntopics:\n"
        "  - name: ../../x & [y](javascript:alert(1))\n    include: agents\n"
    )
    build(BuildOptions(content=content, out=tmp_path / "site", search=False))
    site = tmp_path / "site"
    assert [p.name for p in (site / "topics").iterdir() if p.is_dir()] == ["x-y-javascript-alert-1"]
    assert not (tmp_path / "x").exists()
    page = parse_html((site / "topics/x-y-javascript-alert-1/index.html").read_bytes())
    assert text_of(find_all(page, "h1")[0]) == "../../x & [y](javascript:alert(1))"
    assert not [a for a in find_all(page, "a") if (a.get("href") or "").startswith("javascript")]
    assert check_site(site).problems == []


def test_a_slug_given_as_a_path_is_refused_with_its_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yml").write_text("topics:\n  - name: X\n    slug: ../x\n    include: a\n")
    (content / "2025-03-10.txt").write_text(DAYS["2025-03-10.txt"])
    result = run_cli("build", "--content", str(content), "--out", str(tmp_path / "site"))
    assert result.returncode == 1
    assert f"{content}/site.yml:3: topic 1: `slug` '../x' must be lowercase" in result.stderr
    assert not (tmp_path / "site").exists()


def test_search_records_carry_their_papers_topics_as_a_filter(tmp_path: Path) -> None:
    from paperdigest.build import read_library
    from paperdigest.derive import derive
    from paperdigest.plan.outputs import plan_outputs
    from paperdigest.plan.search import Shard
    from paperdigest.render.templates import load_templates, templates_dir

    build_site(tmp_path, DAYS)
    site, library = read_library(tmp_path / "content")
    theme = load_templates(templates_dir()).theme()
    plan = plan_outputs(library, derive(library, site), site, theme, search=True)
    records = [r for o in plan.outputs if isinstance(o.record, Shard) for r in o.record.records]
    filters = {r.title: r.fields("en")["filters"].get("topic") for r in records}
    # A no-break space: Pagefind's UI makes element ids of the values.
    assert filters == {
        "SLAM for Legged Robots": ["Robot\u00a0mapping"],
        "SLAM: Watermarking LLM Output": None,
        "Agents That Plan": ["Agents"],
        "Visual Odometry at Night": ["Robot\u00a0mapping"],
        "Unrelated Optics": None,
    }
