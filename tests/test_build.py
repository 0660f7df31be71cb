"""Whole builds: the bundled content, page contents, links, and literal text end to end."""

from __future__ import annotations

import gc
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import (
    REPO,
    assert_inert,
    digest_text,
    every_file,
    find_all,
    library_of,
    paper_page,
    parse_html,
    text_of,
)
from paperdigest import latex
from paperdigest.build import BuildOptions, BuildReport, build
from paperdigest.dates import date_words
from paperdigest.errors import ContentError
from paperdigest.latex import read as read_latex
from paperdigest.markdown import markdown_to_html
from paperdigest.read.align import ABSTRACT_AT_LEAST, score
from paperdigest.render.templates import templates_dir

Builder = Callable[..., tuple[BuildReport, Path]]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, Path]:
    out = tmp_path_factory.mktemp("bundled") / "site"
    report = build(BuildOptions(content=REPO / "content", out=out, search=False))
    return report, out


def test_bundled_content_gives_three_digests_and_387_papers(
    bundled: tuple[BuildReport, Path],
) -> None:
    report, site = bundled
    assert (report.digests, report.papers, report.entries) == (3, 387, 448)
    assert sorted(p.name for p in (site / "digests").iterdir()) == [
        "2025-03-11",
        "2025-03-11.json.gz",
        "2025-03-11.md",
        "2025-03-12",  # no digest that day: a page pointing to the nearest ones
        "2025-03-13",
        "2025-03-13.json.gz",
        "2025-03-13.md",
        "2025-03-14",
        "2025-03-14.json.gz",
        "2025-03-14.md",
    ]
    assert len(list((site / "papers").glob("*/index.html"))) == 387
    assert len(list((site / "papers").glob("*.md"))) == 387


def test_fusechat_page_shows_both_abstracts_current_first(
    bundled: tuple[BuildReport, Path],
) -> None:
    _, site = bundled
    page = paper_page(site, "FuseChat: Knowledge Fusion of Chat Models")
    tree = parse_html(page.read_bytes())
    assert [text_of(h) for h in find_all(tree, "h1")] == [
        "FuseChat: Knowledge Fusion of Chat Models"
    ]
    paragraphs = find_all(tree, "p")
    texts = [text_of(p) for p in paragraphs]
    current = next(i for i, p in enumerate(texts) if "this approach incurs substantial" in p)
    older = next(i for i, p in enumerate(texts) if "it this approach incurs substantial" in p)
    assert current < older
    headings = [text_of(h) for h in find_all(tree, "h2")]
    assert "Other versions of the abstract" in headings
    assert [text_of(h) for h in find_all(tree, "h3")] == [
        "Version 1, listed on Tuesday, 11 March 2025"
    ]
    # The older version, with what the current one changed marked.
    removed = [text_of(d) for d in find_all(paragraphs[older], "del")]
    added = [text_of(i) for i in find_all(paragraphs[older], "ins")]
    assert removed[:2] == ["it", "Knowledge fusion aims"]
    assert added[:2] == ["this approach", "potential"]
    markdown = page.parent.with_suffix(".md").read_text()
    assert "this approach incurs substantial" in markdown and "it incurs substantial" in markdown


def test_every_paper_page_has_one_h1_its_abstract_digests_and_first_seen(
    bundled: tuple[BuildReport, Path],
) -> None:
    _, site = bundled
    library = library_of(REPO / "content", 2025)
    for paper in library.papers:
        page = site / "papers" / paper.slug / "index.html"
        main = find_all(parse_html(page.read_bytes()), "main")[0]
        assert [text_of(h) for h in find_all(main, "h1")] == [paper.title]
        text = text_of(main)
        assert f"First seen in the digest of {date_words(paper.first_seen)}" in text
        # As shown: LaTeX read (`--` a dash, `10^{26}` a superscript; no seed has math).
        shown = "".join(
            text_of(parse_html(piece.html)) if piece.html else piece.text
            for piece in read_latex(paper.abstract.text)
        )
        assert " ".join(shown.split()) in " ".join(text.split())
        links = {a.get("href") for a in find_all(main, "a")}
        listed = {link for link in links if link.startswith("/digests/")}
        # Each digest is linked at the paper's own entry, on the page of it that lists it.
        days = {link.split("/")[2] for link in listed}
        assert days == {day.isoformat() for day in paper.dates}
        for link in listed:
            target, _, anchor = link.partition("#")
            assert anchor == paper.slug, link
            entry = parse_html((site / target.strip("/") / "index.html").read_bytes())
            assert [a for a in find_all(entry, "article") if a.get("id") == anchor], link
        if len(paper.dates) > 1:
            assert f"Listed in {len(paper.dates)} digests" in text


def entries(tree) -> list:  # type: ignore[no-untyped-def]
    """A list page's paper entries: the articles inside its main article."""
    return [a for a in find_all(find_all(tree, "main")[0], "article") if a.get("id")]


def test_digest_page_lists_new_papers_then_those_seen_before_each_with_its_abstract(
    bundled: tuple[BuildReport, Path],
) -> None:
    _, site = bundled
    library = library_of(REPO / "content", 2025)
    [digest] = [d for d in library.digests if d.date.isoformat() == "2025-03-14"]
    papers = {p.slug: p for p in library.papers}
    new = [p.slug for p in digest.papers if digest.is_new(p)]
    seen = [p.slug for p in digest.papers if not digest.is_new(p)]
    assert new and seen, "the bundled Mar 14 digest repeats papers from earlier days"
    # 272 papers, 100 a page: the day goes on at /2/ and /3/, each page linking them all.
    urls = ["/digests/2025-03-14/", "/digests/2025-03-14/2/", "/digests/2025-03-14/3/"]
    trees = [parse_html((site / url.strip("/") / "index.html").read_bytes()) for url in urls]
    found = [article for tree in trees for article in entries(tree)]
    assert [len(entries(tree)) for tree in trees] == [100, 100, 72]
    assert [a.get("id") for a in found] == new + seen  # each group in the day's order
    h1 = [text_of(find_all(tree, "h1")[0]) for tree in trees]
    # No-break spaces: "page 3 of 3" never wraps before its last number.
    assert h1 == [f"Papers of Friday, 14 March 2025, page\xa0{n}\xa0of\xa03" for n in (1, 2, 3)]
    h2 = [[text_of(h) for h in find_all(tree, "h2")] for tree in trees]
    assert h2 == [
        [f"New in this digest ({len(new)})"],
        [f"New in this digest ({len(new)}), continued"],
        [f"New in this digest ({len(new)}), continued", f"Seen in an earlier digest ({len(seen)})"],
    ]
    for number, tree in enumerate(trees):
        pages = [n for n in find_all(tree, "nav") if "Pages" in (n.get("aria-label") or "")]
        pages += [n for n in find_all(tree, "nav") if "More pages" in (n.get("aria-label") or "")]
        assert len(pages) == 2  # top and bottom
        others = urls[:number] + urls[number + 1 :]  # linked, but not the page itself
        for nav in pages:
            assert text_of(find_all(nav, "p")[0]) == "Papers 1–100 · 101–200 · 201–272 of 272"
            assert [a.get("href") for a in find_all(find_all(nav, "p")[0], "a")] == others
        # At the bottom, the way on: the next page, if there is one.
        following = [a for a in find_all(pages[1], "a") if "Next page" in text_of(a)]
        assert [a.get("href") for a in following] == urls[number + 1 : number + 2]
    for article in found:
        paper = papers[article.get("id")]
        title = find_all(article, "h3")[0]
        assert text_of(title) == paper.title
        href = find_all(title, "a")[0].get("href")
        assert href == f"/papers/{paper.slug}/"
        assert (site / href.strip("/") / "index.html").is_file()
        assert ("First seen" in text_of(article)) == (paper.slug in seen)
        # The teaser and the folded rest read as the whole abstract, as listed that day.
        details = find_all(article, "details")
        teaser = text_of(find_all(article, "p")[-1 if not details else -2])
        rest = "".join(text_of(p) for p in find_all(details[0], "p")) if details else ""
        abstract = digest.entries[digest.papers.index(paper)].abstract
        if not latex.needs_reading(abstract):  # else MathML's text differs from the source
            assert " ".join(filter(None, [teaser.removesuffix("…"), rest])) == abstract
        assert len(teaser) <= 281
    count = len(new) + len(seen)
    for tree in trees:
        summary = text_of(find_all(tree, "p")[1])
        assert summary == f"{count} papers: {len(new)} new, {len(seen)} seen in an earlier digest."
        navs = find_all(tree, "nav")
        days = [
            text_of(n).strip() for n in navs if "digests" in (n.get("aria-label") or "").lower()
        ]
        assert days == ["← Thursday, 13 March 2025 · Calendar of March 2025"] * 2  # top, bottom
        footer = find_all(tree, "footer")[0]
        assert [a.get("href") for a in find_all(footer, "a")] == [
            "/digests/2025-03-14.md", "/digests/2025-03-14.json.gz"
        ]  # fmt: skip
    # The twin is the whole day on one page.
    twin = (site / "digests/2025-03-14.md").read_text(encoding="utf-8")
    assert twin.count("\n### ") == count and "2025-03-14/2" not in twin


def test_home_page_shows_the_latest_digest_first_and_links_recent_digests(
    bundled: tuple[BuildReport, Path],
) -> None:
    _, site = bundled
    tree = parse_html((site / "index.html").read_bytes())
    h2 = [text_of(h) for h in find_all(tree, "h2")]
    assert h2 == ["Latest digest: Friday, 14 March 2025", "Recent digests"]
    links = [a.get("href") for a in find_all(find_all(tree, "main")[0], "a")]
    assert links[0] == "/digests/2025-03-14/"
    assert links[1].startswith("/papers/")
    assert {"/digests/2025-03-13/", "/digests/2025-03-11/", "/archive/"} <= set(links)
    # What is new, in a few screens: the first new papers with teasers, then the whole day.
    library = library_of(REPO / "content", 2025)
    latest = library.digests[-1]
    new = [p.slug for p in latest.papers if latest.is_new(p)]
    assert [a.get("id") for a in entries(tree)] == new[:10]
    assert not find_all(tree, "details")
    assert "272 papers, 235 new. The first 10 new papers:" in text_of(tree)
    assert "All 272 papers of Friday, 14 March 2025" in [text_of(a) for a in find_all(tree, "a")]


def test_archive_shows_a_calendar_per_month_and_its_page_lists_every_paper(
    bundled: tuple[BuildReport, Path],
) -> None:
    _, site = bundled
    tree = parse_html((site / "archive/index.html").read_bytes())
    assert [text_of(h) for h in find_all(tree, "h2")] == ["March 2025"]
    [table] = find_all(tree, "table")
    assert [text_of(th) for th in find_all(table, "th")] == [
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
    ]  # fmt: skip
    cells = [text_of(td) for td in find_all(table, "td")]
    assert cells[:7] == ["", "", "", "", "", "1", "2"] and len(cells) == 6 * 7
    linked = {text_of(a): a.get("href") for a in find_all(table, "a")}
    assert linked == {"11": "/digests/2025-03-11/", "13": "/digests/2025-03-13/",
                      "14": "/digests/2025-03-14/"}  # fmt: skip
    assert "14 272" in [" ".join(text_of(td).split()) for td in find_all(table, "td")]
    # The month's page lists every paper first seen in it, once, under its first day.
    month = parse_html((site / "archive/2025-03/index.html").read_bytes())
    listed = [a.get("href") for li in find_all(month, "li") for a in find_all(li, "a")]
    papers = {f"/papers/{p.name}/" for p in (site / "papers").iterdir() if p.is_dir()}
    assert len(listed) == len(set(listed)) == 387 and set(listed) == papers
    days = [text_of(h) for h in find_all(month, "h2")]
    assert days == ["Tuesday, 11 March 2025: 77 new", "Thursday, 13 March 2025: 75 new",
                    "Friday, 14 March 2025: 235 new"]  # fmt: skip


def test_a_day_between_digests_points_to_the_nearest_ones(
    bundled: tuple[BuildReport, Path],
) -> None:
    _, site = bundled
    page = parse_html((site / "digests/2025-03-12/index.html").read_bytes())
    assert text_of(find_all(page, "h1")[0]) == "No digest on Wednesday, 12 March 2025"
    links = {text_of(a): a.get("href") for a in find_all(find_all(page, "main")[0], "a")}
    assert links == {
        "Tuesday, 11 March 2025": "/digests/2025-03-11/",
        "Thursday, 13 March 2025": "/digests/2025-03-13/",
        "March 2025": "/archive/2025-03/",
    }
    assert "2025-03-12" not in (site / "sitemap.xml").read_text()
    assert not (site / "digests/2025-03-12.md").exists()  # not a digest: no twin, no data


def test_markdown_twins_link_to_twins_and_html_to_pretty_urls(
    bundled: tuple[BuildReport, Path],
) -> None:
    _, site = bundled
    markdown = (site / "digests/2025-03-14.md").read_text()
    md_links = re.findall(r"\]\(([^)<>]+)\)", markdown)
    # A link to a topic's day keeps its fragment: the day's section on the month's twin.
    md_files = [link.partition("#")[0] for link in md_links]
    assert md_files and all(link.endswith(".md") for link in md_files)
    for link in md_files:
        assert (site / "digests" / link).resolve().is_file(), link


def test_every_internal_link_in_the_site_resolves(bundled: tuple[BuildReport, Path]) -> None:
    _, site = bundled
    broken = []
    for page in site.rglob("*.html"):
        for element in parse_html(page.read_bytes()).iter():
            for attribute in ("href", "src"):
                url = element.get(attribute)
                if not url or urlsplit(url).scheme or url.startswith("#"):
                    continue
                path = urlsplit(url).path
                target = site / path.lstrip("/")
                if path.endswith("/"):
                    target = target / "index.html"
                if "pagefind" not in path and not target.is_file():
                    broken.append((page.relative_to(site), url))
    assert broken == []


# --- literal text through the whole pipeline -----------------------------------------------

text_line = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1)
    .map(str.strip)
    .filter(
        lambda t: (
            t and not re.fullmatch(r"[A-Za-z]{3,9}\.?\s+\d{1,2}.*|\d{1,2}\s+[A-Za-z]{3,9}.*", t)
        )
    )
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=text_line, abstract=text_line)
def test_any_printable_title_and_abstract_show_literally(
    make_site: Builder, title: str, abstract: str
) -> None:
    # Text the parser pairs as title and abstract: an "abstract" shaped like a title is read
    # as a second title (or refused), and a "title" shaped like an abstract is refused.
    assume(score(title) < ABSTRACT_AT_LEAST and score(abstract) >= 0)
    # Math and LaTeX commands (`$0$`) are rendered as MathML and HTML by design
    # (tests/test_latex.py); every other text must come through literally.
    assume(all(not piece.html for piece in read_latex(abstract)))
    _, site = make_site({"2025-03-14.txt": digest_text("Mar 14", (title, abstract))})
    page = next((site / "papers").glob("*/index.html"))
    tree = parse_html(page.read_bytes())
    assert text_of(find_all(tree, "h1")[0]) == title
    assert abstract in [text_of(p) for p in find_all(tree, "p")]
    assert_inert(page.read_bytes(), "paper page", "/", "http://localhost:8000/")
    twin_html = markdown_to_html(page.parent.with_suffix(".md").read_text(), "papers/x", "/")
    assert_inert(twin_html, "Markdown twin", "/", "http://localhost:8000/")
    twin = parse_html(twin_html)
    assert text_of(find_all(twin, "h1")[0]) == title
    assert abstract in [text_of(p) for p in find_all(twin, "p")]


def test_builds_hand_the_garbage_collector_back_as_they_found_it(tmp_path: Path) -> None:
    # The preview server runs build after build in one process: a build that left the
    # collector off, or objects frozen, would leak memory with every save.
    content = tmp_path / "content"
    content.mkdir()
    (content / "2025-03-14.txt").write_text(digest_text("Mar 14", ("A Paper", "Abstract.")))
    options = BuildOptions(content=content, out=tmp_path / "site", search=False)
    build(options)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    (content / "2025-03-15.txt").write_text("a header with no date\n")
    with pytest.raises(ContentError):
        build(options)
    assert gc.isenabled() and gc.get_freeze_count() == 0


# Content that changes between builds: titles that dedupe together ("Alpha", "alpha"),
# abstracts that differ only in whitespace, a file whose date comes from site.yml's `year`,
# dates that appear between others, site.yml's settings, and edits to the templates.
_FILES = {
    "2025-03-14.txt": "Mar 14",
    "2025-03-15.txt": "Mar 15",
    "2025-03-15-b.txt": "Mar 15",
    "undated.txt": "Mar 16",
}
_entries = st.lists(
    st.tuples(
        st.sampled_from(["Alpha", "alpha", "Beta", "Gamma", "Delta — Epsilon"]),
        st.sampled_from(["One.", "One.\n  again", "One. again", "Two http://x.org/a."]),
    ),
    min_size=1,
    max_size=3,
)
_settings = st.fixed_dictionaries(
    {
        "year": st.integers(2024, 2025),
        "title": st.sampled_from(["Digest", "Other digest"]),
        "feed_items": st.sampled_from([1, 30]),
        "home_digests": st.sampled_from([1, 10]),
        "base_url": st.sampled_from(["http://localhost:8000/", "https://u.github.io/r/"]),
    }
)
_TEMPLATE_EDITS = {
    "none": None,
    "paper": ("paper.md", "## Abstract", "## Summary"),
    "style": ("static/style.css", "body {", "body { color: #111;"),
    "layout": ("layout.html", "<main id", "<hr>\n<main id"),
}
# None keeps the previous state's files or settings, so that one kind of edit often
# comes alone: a change whose key forgot it would then leave stale pages behind.
_states = st.lists(
    st.tuples(
        st.none() | st.dictionaries(st.sampled_from(sorted(_FILES)), _entries, min_size=1),
        st.none() | _settings,
        st.sampled_from(sorted(_TEMPLATE_EDITS)),
    ),
    min_size=2,
    max_size=4,
)


def _apply(root: Path, files: dict[str, list], config: dict[str, object], edit: str) -> None:
    """Write one state of the content and templates; unchanged files keep their stamps."""
    content, templates = root / "content", root / "templates"
    content.mkdir(exist_ok=True)
    wanted = {"site.yml": "".join(f"{key}: {value}\n" for key, value in config.items())}
    wanted |= {name: digest_text(_FILES[name], *entries) for name, entries in files.items()}
    for name in set(_FILES) - set(files):
        (content / name).unlink(missing_ok=True)
    for name, text in wanted.items():
        path = content / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    if not templates.exists():
        shutil.copytree(templates_dir(), templates)
    for name, original in every_file(templates_dir()).items():
        text = original.decode()
        change = _TEMPLATE_EDITS[edit]
        if change and change[0] == name:
            assert change[1] in text
            text = text.replace(change[1], change[2], 1)
        if (templates / name).read_text() != text:
            (templates / name).write_text(text)


def _rebuilds_equal_a_cold_build(root: Path, states: list, search: bool) -> None:
    templates = root / "templates"
    files: dict[str, list] = {"2025-03-14.txt": [("Alpha", "One.")]}
    config: dict[str, object] = {"year": 2025}
    for new_files, new_config, edit in states:
        files, config = new_files or files, new_config or config
        _apply(root, files, config, edit)
        build(BuildOptions(root / "content", root / "site", templates=templates, search=search))
    build(BuildOptions(root / "content", root / "cold", templates=templates, search=search))
    assert every_file(root / "site") == every_file(root / "cold")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(states=_states)
def test_a_rebuild_after_any_edits_equals_a_cold_build(
    tmp_path_factory: pytest.TempPathFactory, states: list
) -> None:
    _rebuilds_equal_a_cold_build(tmp_path_factory.mktemp("edits"), states, search=False)


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(states=_states)
def test_a_rebuild_with_search_after_any_edits_equals_a_cold_build(
    tmp_path_factory: pytest.TempPathFactory, states: list
) -> None:
    _rebuilds_equal_a_cold_build(tmp_path_factory.mktemp("edits"), states, search=True)


def test_a_build_run_once_leaves_only_the_site_and_the_next_build_is_still_incremental(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "2025-03-14.txt").write_text(digest_text("Mar 14", ("A Paper", "Abstract.")))
    out = tmp_path / "site"
    build(BuildOptions(content=content, out=out, search=False, prepare_next=False))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "content", "site"]
    once = every_file(out)
    page = paper_page(out, "A Paper")
    stamp = page.stat().st_mtime_ns

    (content / "2025-03-15.txt").write_text(digest_text("Mar 15", ("B Paper", "Other.")))
    report = build(BuildOptions(content=content, out=out, search=False))
    assert page.stat().st_mtime_ns == stamp  # unchanged, so kept, not rewritten
    assert report.reused > 0
    assert (tmp_path / ".site.spare").is_dir() and (tmp_path / ".site.cache").exists()
    build(BuildOptions(content=content, out=tmp_path / "cold", search=False))
    assert every_file(out) == every_file(tmp_path / "cold")
    assert every_file(out) != once


def test_a_paper_listed_without_an_abstract_says_so_on_its_page_and_in_the_feed(
    make_site: Builder,
) -> None:
    text = digest_text("Mar 14", ("A Paper With Text", "We show it. It works.")).replace(
        "Mar 14\n\n", "Mar 14\n\nSegment Anything in Any Scene\n\n", 1
    )
    report, site = make_site({"2025-03-14.txt": text})
    assert [w.message for w in report.warnings] == [
        "the title 'Segment Anything in Any Scene' has no abstract; it is published without one"
    ]
    page = parse_html(paper_page(site, "Segment Anything in Any Scene").read_bytes())
    assert "No abstract was listed for this paper." in text_of(find_all(page, "main")[0])
    description = [
        m.get("content") for m in find_all(page, "meta") if m.get("name") == "description"
    ]
    assert description == ["No abstract was listed for this paper."]
    feed = (site / "feed.xml").read_text()
    assert "No abstract was listed for this paper." in feed


def test_dumps_named_in_order_from_december_into_january_build_in_the_right_years(
    make_site: Builder,
) -> None:
    days = [f"Dec {d}" for d in range(1, 32)] + [f"Jan {d}" for d in range(1, 32)]
    files = {
        f"{n:03}_dump.txt": digest_text(day, (f"Paper of {day} Dump", f"We study {day}. It works."))
        for n, day in enumerate(days)
    }
    report, site = make_site({"site.yml": "year: 2025\n", **files})
    assert (report.first_date, report.last_date) == (date(2025, 12, 1), date(2026, 1, 31))
    feed = ElementTree.parse(site / "feed.xml").getroot()
    assert feed.findtext("channel/item/title") == "Saturday, 31 January 2026: 1 paper, 1 new"
    page = parse_html(paper_page(site, "Paper of Jan 2 ").read_bytes())
    assert "First seen in the digest of Friday, 2 January 2026" in text_of(page)
