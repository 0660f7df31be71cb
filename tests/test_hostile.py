"""Hostile content stays inert everywhere; builds are reproducible; URLs never move."""

from __future__ import annotations

import html
from pathlib import Path
from xml.etree import ElementTree

import pytest
from markdown_it import MarkdownIt

from conftest import (
    ALLOWED_ELEMENTS,
    REPO,
    digest_text,
    every_file,
    find_all,
    parse_html,
    search_records,
    text_of,
    write_files,
)
from conftest import assert_inert as conftest_assert_inert
from paperdigest.build import BuildOptions, build
from paperdigest.check import check_site

BASE = "https://user.github.io/repo/"
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "[click me](javascript:alert(1))",
    "![pixel](javascript:alert(1))",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "]]></description><script>alert(1)</script>",
    "{{ 7*7 }} {% raw %} ${7*7}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E; &amp; &#38; &unknown;",
    "javascript:alert(1) data:text/html;base64,PHNjcmlwdD4= <http://evil.example/>",
    "<style>body{display:none}</style> <!-- comment --> <?php echo 1; ?>",
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    entries = [(f"{text} #{n}", f"Abstract {n}: {text}.") for n, text in enumerate(HOSTILE)]
    content = write_files(
        root / "content",
        {"site.yml": f"base_url: {BASE}\n", "2025-03-14.txt": digest_text("Mar 14", *entries)},
    )
    build(BuildOptions(content=content, out=root / "site"))
    return root / "site"


def assert_inert(html: str | bytes, where: str) -> None:
    conftest_assert_inert(html, where, "/repo/", BASE)


def test_html_pages_show_hostile_text_literally_and_stay_inert(hostile_site: Path) -> None:
    pages = [p for p in hostile_site.rglob("*.html") if "pagefind" not in p.parts]
    for page in pages:
        assert_inert(page.read_bytes(), page.name)
    shown = {
        text_of(find_all(parse_html(p.read_bytes()), "h1")[0])
        for p in (hostile_site / "papers").glob("*/index.html")
    }
    assert shown == {f"{text} #{n}" for n, text in enumerate(HOSTILE)}
    assert check_site(hostile_site).problems == []


def test_markdown_twins_stay_inert_even_where_raw_html_is_allowed(hostile_site: Path) -> None:
    # GitHub renders Markdown with some raw HTML allowed: escaping, not the renderer, must hold.
    permissive = MarkdownIt("commonmark", {"html": True})
    for twin in hostile_site.rglob("*.md"):
        html = permissive.render(twin.read_text())
        for element in parse_html(html).iter():
            if isinstance(element.tag, str):
                assert element.tag.split("}")[-1] in ALLOWED_ELEMENTS, twin.name
                assert not [a for a in element.attrib if a.lower().startswith("on")], twin.name
        for link in find_all(parse_html(html), "a"):
            href = link.get("href")
            twin = href.partition("#")[0].endswith(".md")  # a paper's entry: `x.md#<slug>`
            assert twin or href == "feed.xml" or href.startswith("http"), href


def test_feed_html_stays_inert(hostile_site: Path) -> None:
    root = ElementTree.parse(hostile_site / "feed.xml").getroot()
    (description,) = root.iterfind("channel/item/description")
    assert_inert(description.text or "", "feed")
    text = text_of(parse_html(description.text or ""))
    for n, hostile in enumerate(HOSTILE):
        assert f"{hostile} #{n}" in text


def test_search_records_hold_the_literal_text(hostile_site: Path) -> None:
    # Pagefind reads a record's content as HTML text (it decodes entities), so records
    # hold it escaped, and an excerpt shows exactly what the abstract says.
    records = search_records(hostile_site / "pagefind")
    assert {r["meta"]["title"] for r in records} == {f"{t} #{n}" for n, t in enumerate(HOSTILE)}
    contents = {html.unescape(r["content"]) for r in records}
    assert contents == {f"Abstract {n}: {t}." for n, t in enumerate(HOSTILE)}


def test_hostile_titles_cannot_write_outside_the_site(tmp_path: Path) -> None:
    titles = ["../../etc/passwd", "..\\..\\windows", "/absolute/path", "....//....//x", "\u202e"]
    content = write_files(
        tmp_path / "content",
        {"2025-03-14.txt": digest_text("Mar 14", *((t, "x") for t in titles))},
    )
    build(BuildOptions(content=content, out=tmp_path / "site", search=False))
    everything = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*")}
    assert everything == {"content", "site", ".site.spare", ".site.lock", ".site.cache"}
    assert len(list((tmp_path / "site/papers").glob("*/index.html"))) == len(titles)


def test_two_builds_are_byte_identical_search_index_included(tmp_path: Path) -> None:
    build(BuildOptions(content=REPO / "content", out=tmp_path / "one"))
    build(BuildOptions(content=REPO / "content", out=tmp_path / "two"))
    one, two = every_file(tmp_path / "one"), every_file(tmp_path / "two")
    assert sorted(one) == sorted(two)
    assert [path for path in one if one[path] != two[path]] == []
    assert any(path.startswith("pagefind/filter/") for path in one)
    assert {"digests/2025-03-14.json.gz", "papers/index.json", "llms.txt"} <= set(
        one
    )  # the data too


def page_titles(site: Path, folder: str) -> dict[str, str]:
    return {
        page.parent.name: text_of(find_all(parse_html(page.read_bytes()), "h1")[0])
        for page in (site / folder).glob("*/index.html")
    }


def feed_items(site: Path) -> dict[str, str]:
    root = ElementTree.parse(site / "feed.xml").getroot()
    return {i.findtext("guid"): i.findtext("pubDate") for i in root.iterfind("channel/item")}


def test_adding_digests_with_colliding_titles_moves_no_url(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for source in (REPO / "content").iterdir():
        write_files(content, {source.name: source.read_bytes()})
    build(BuildOptions(content=content, out=tmp_path / "site", search=False))
    papers, digests = (
        page_titles(tmp_path / "site", "papers"),
        page_titles(tmp_path / "site", "digests"),
    )
    guids = feed_items(tmp_path / "site")

    collisions = [
        ("FuseChat: Knowledge Fusion of Chat Models!", "A different paper, same words."),
        ("FuseChat -- Knowledge Fusion of Chat Models?", "Another one."),
        ("fusechat knowledge fusion of chat models (extended)", "Longer title."),
    ]
    write_files(
        content,
        {
            # A backfilled day before every existing digest, and a day after them all.
            "2025-03-10.txt": digest_text("Mar 10", *collisions[:2]),
            "2025-03-20.txt": digest_text(
                "Mar 20", collisions[2], ("FuseChat: Knowledge Fusion of Chat Models", "New.")
            ),
        },
    )
    build(BuildOptions(content=content, out=tmp_path / "site", search=False))
    papers_after = page_titles(tmp_path / "site", "papers")
    digests_after = page_titles(tmp_path / "site", "digests")
    assert {slug: papers_after.get(slug) for slug in papers} == papers
    assert {day: digests_after.get(day) for day in digests} == digests
    assert {guid: feed_items(tmp_path / "site").get(guid) for guid in guids} == guids
    new = {title for title, _ in collisions}
    assert new <= set(papers_after.values())
    fusechat = [s for s, t in papers_after.items() if t.lower().startswith("fusechat")]
    assert len(fusechat) == 4 and len(set(fusechat)) == 4
