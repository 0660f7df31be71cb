"""The site's data: JSON per digest, the paper index, their schemas, and llms.txt."""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import REPO, dated, digest_text, every_file, read_folder
from hf import hf_day, hf_record
from paperdigest.build import BuildOptions, BuildReport, build, read_library
from paperdigest.dedupe import build_library
from paperdigest.derive import derive
from paperdigest.markdown import markdown_to_html
from paperdigest.model import DigestFile, Library
from paperdigest.plan.export import SCHEMAS_DIR
from paperdigest.plan.outputs import plan_outputs
from paperdigest.publish.manifest import MANIFEST
from paperdigest.render.templates import load_templates, templates_dir

Builder = Callable[..., tuple[BuildReport, Path]]
BASE = "https://example.org/digest/"
FUSECHAT = "FuseChat: Knowledge Fusion of Chat Models"  # in the bundled dumps of Mar 11
SAME_DAY = "A Paper Listed Twice in One Day"
RICH_DAYS = {
    # Read before the day's JSON, which lists the same paper with its ID: its slug comes
    # from this listing, which the export does not carry (it carries the day's last one).
    "2025-03-15-dump.txt": digest_text("Mar 15", (SAME_DAY, "Listed twice today.")),
    "2025-03-15.json": hf_day(
        hf_record("2402.16107", FUSECHAT, "We fuse chats.", day="2025-03-15",
                  authors=["Fanqi Wan", "Ziyi Yang"]),
        hf_record("2503.00002", 'Ünïcode — “Quoted” \\ [Title](x)', "Ça marche: $x^2$.",
                  day="2025-03-15", authors=["Zoë Ærø", "李雷"]),
        hf_record("hep-th/9901001", "An Old-Style Identifier", "", day="2025-03-15"),
        hf_record("2503.00009", SAME_DAY, "Listed twice today.", day="2025-03-15"),
    ),
    "2025-04-01.json": hf_day(
        hf_record("2503.00002", 'Ünïcode — “Quoted” \\ [Title](x)', "Revised.",
                  day="2025-04-01", authors=["Zoë Ærø"]),
        hf_record("2504.00001", "An April Paper", day="2025-04-01"),
    ),
}  # fmt: skip
"""Days of daily papers after the bundled dumps: IDs, authors, a new month, no abstract."""


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of the bundled dumps and daily-papers days, under a base path."""
    root = tmp_path_factory.mktemp("rich")
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    site_yml = (content / "site.yml").read_text().replace("http://localhost:8000/", BASE)
    (content / "site.yml").write_text(site_yml)
    for name, text in RICH_DAYS.items():
        (content / name).write_text(text, encoding="utf-8")
    build(BuildOptions(content=content, out=root / "site", search=False))
    return root / "site"


def data_files(site: Path) -> dict[str, Any]:
    """Every JSON file the site publishes (not Pagefind's, not the manifest), decoded."""
    files = {}
    for path, data in every_file(site).items():
        if path == MANIFEST or path.startswith("pagefind/"):
            continue
        if path.endswith(".json.gz"):
            files[path] = json.loads(gzip.decompress(data))
        elif path.endswith(".json"):
            files[path] = json.loads(data)
    return files


def load(path: Path) -> Any:
    """A published data file, decoded (the digests' and months' are gzip-compressed)."""
    data = path.read_bytes()
    return json.loads(gzip.decompress(data) if path.suffix == ".gz" else data)


def test_the_shipped_schemas_are_valid_draft_2020_12_schemas() -> None:
    shipped = sorted(SCHEMAS_DIR.glob("*.schema.json"))
    assert [p.name for p in shipped] == [
        "digest-v1.schema.json",
        "paper-index-v1.schema.json",
        "paper-month-v1.schema.json",
    ]
    for path in shipped:
        schema = json.loads(path.read_text())
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)


def test_every_published_data_file_validates_against_the_schema_it_names(rich: Path) -> None:
    files = data_files(rich)
    schemas = {path: doc for path, doc in files.items() if path.startswith("schemas/")}
    assert sorted(schemas) == [f"schemas/{p.name}" for p in sorted(SCHEMAS_DIR.iterdir())]
    for path, schema in schemas.items():
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"{BASE}{path}"
    data = {path: doc for path, doc in files.items() if path not in schemas}
    assert sorted(data) == [
        "digests/2025-03-11.json.gz",
        "digests/2025-03-13.json.gz",
        "digests/2025-03-14.json.gz",
        "digests/2025-03-15.json.gz",
        "digests/2025-04-01.json.gz",
        "papers/2025-03.json.gz",
        "papers/2025-04.json.gz",
        "papers/index.json",
    ]
    for path, document in data.items():
        schema = files[document["$schema"].removeprefix(BASE)]
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        assert [error.message for error in validator.iter_errors(document)] == [], path


def test_a_digest_lists_each_paper_as_that_days_listing_gave_it(rich: Path) -> None:
    day = load(rich / "digests/2025-03-15.json.gz")
    same_day, fusechat, unicode, old = day["papers"]
    assert (same_day["title"], same_day["arxiv_id"]) == (SAME_DAY, "2503.00009")  # the last listing
    assert day["date"] == "2025-03-15" and day["url"] == f"{BASE}digests/2025-03-15/"
    assert fusechat["slug"] == "fusechat-knowledge-fusion-of-chat-models-18e04e7f"  # from Mar 11
    assert fusechat["url"] == f"{BASE}papers/{fusechat['slug']}/"
    assert (fusechat["arxiv_id"], fusechat["authors"]) == ("2402.16107", ["Fanqi Wan", "Ziyi Yang"])
    assert fusechat["abstract"] == "We fuse chats."  # that day's, not the current one
    assert unicode["title"] == "Ünïcode — “Quoted” \\ [Title](x)"
    assert "abstract" not in old and old["arxiv_id"] == "hep-th/9901001"
    earlier = load(rich / "digests/2025-03-11.json.gz")
    listed = next(p for p in earlier["papers"] if p["slug"] == fusechat["slug"])
    assert "arxiv_id" not in listed and "authors" not in listed  # the dump gave neither


def test_the_paper_index_pages_by_month_without_abstracts(rich: Path) -> None:
    index = json.loads((rich / "papers/index.json").read_bytes())
    assert index["months"] == [
        {"month": "2025-03", "papers": 390, "url": f"{BASE}papers/2025-03.json.gz"},
        {"month": "2025-04", "papers": 1, "url": f"{BASE}papers/2025-04.json.gz"},
    ]
    assert [d["date"] for d in index["digests"]][-2:] == ["2025-03-15", "2025-04-01"]
    assert index["digests"][-1] == {
        "date": "2025-04-01",
        "papers": 2,
        "url": f"{BASE}digests/2025-04-01.json.gz",
    }
    march = load(rich / "papers/2025-03.json.gz")
    assert not [p for p in march["papers"] if "abstract" in p]
    by_slug = {p["slug"]: p for p in march["papers"]}
    unicode = next(p for p in march["papers"] if p.get("arxiv_id") == "2503.00002")
    assert unicode["dates"] == ["2025-03-15", "2025-04-01"]
    assert unicode["authors"] == ["Zoë Ærø"]  # the latest listing's
    assert by_slug["fusechat-knowledge-fusion-of-chat-models-18e04e7f"]["dates"][0] == "2025-03-11"
    # Every paper once, in the month it was first seen.
    april = load(rich / "papers/2025-04.json.gz")
    slugs = [p["slug"] for p in march["papers"] + april["papers"]]
    assert len(slugs) == len(set(slugs)) == len(list((rich / "papers").glob("*.md")))


def test_the_data_is_compact_utf8_with_one_paper_a_line(rich: Path) -> None:
    data = gzip.decompress((rich / "digests/2025-03-15.json.gz").read_bytes())
    assert "Zoë Ærø".encode() in data and b"\\u" not in data
    lines = data.decode().splitlines()
    assert len(lines) == 1 + 4 + 1  # the head, a line per paper, the end
    assert lines[0].endswith('"papers":[') and lines[-1] == "]}"
    assert ": " not in lines[0] and '", "' not in data.decode()


def test_a_tiny_digest_export_is_exactly_this(make_site: Builder) -> None:
    day = hf_day(
        hf_record("2507.10548", "Alpha: A Model", "We do it.", authors=["A. One", "B. Two"]),
        hf_record("2507.10549", "Beta", ""),
    )
    _, site = make_site({"site.yml": "base_url: https://ex.org/d/\n", "2025-07-15.json": day})
    data = (site / "digests/2025-07-15.json.gz").read_bytes()
    assert data[:4] == b"\x1f\x8b\x08\x00" and data[4:8] == bytes(4)  # no name, no time
    assert gzip.decompress(data).decode() == (
        '{"$schema":"https://ex.org/d/schemas/digest-v1.schema.json","date":"2025-07-15",'
        '"url":"https://ex.org/d/digests/2025-07-15/","papers":[\n'
        '{"slug":"alpha-a-model-301cbd12","url":"https://ex.org/d/papers/alpha-a-model-301cbd12/",'
        '"title":"Alpha: A Model","arxiv_id":"2507.10548","authors":["A. One","B. Two"],'
        '"abstract":"We do it."},\n'
        '{"slug":"beta-ba6cc2a5","url":"https://ex.org/d/papers/beta-ba6cc2a5/","title":"Beta",'
        '"arxiv_id":"2507.10549","authors":["Mingxian Lin","Wei Huang"]}\n'
        "]}\n"
    )


def test_each_digest_page_links_its_data(rich: Path) -> None:
    page = (rich / "digests/2025-04-01/index.html").read_text()
    link = '<a href="/digest/digests/2025-04-01.json.gz" type="application/gzip">'
    assert f"{link}This digest as JSON (gzip)</a>" in page
    assert ".json" not in (rich / "index.html").read_text()
    assert ".json" not in (rich / "sitemap.xml").read_text()  # the sitemap lists pages


def test_llms_txt_links_the_home_archive_and_latest_digests_as_markdown(rich: Path) -> None:
    text = (rich / "llms.txt").read_text()
    assert text.startswith("# Trending papers digest\n\n> A daily digest of trending")
    links = re.findall(r"^- \[([^\]]+)\]\(([^)]+)\): ", text, re.MULTILINE)
    urls = [url for _, url in links]
    assert all(url.startswith(BASE) for url in urls)
    assert all((rich / url.removeprefix(BASE)).is_file() for url in urls)
    markdown = [url.removeprefix(BASE) for url in urls if url.endswith(".md")]
    assert markdown == [
        "index.md",
        "archive.md",
        "digests/2025-04-01.md",
        "digests/2025-03-15.md",
        "digests/2025-03-14.md",
        "digests/2025-03-13.md",
        "digests/2025-03-11.md",
    ]
    assert ("Papers of Tuesday, 1 April 2025", f"{BASE}digests/2025-04-01.md") in links
    assert f"{BASE}papers/index.json" in urls


def test_llms_txt_shows_a_hostile_site_title_as_text(make_site: Builder) -> None:
    config = (
        'title: "[Click](javascript:alert(1)) **x**"\n'
        'description: "line one\\n## Injected\\n- [x](https://evil.example/)"\n'
        "base_url: https://ex.org/a(b)/\nyear: 2025\nhome_digests: 1\n"
    )
    days = {f"2025-03-{n}.txt": digest_text(f"Mar {n}", ("A Paper", "Text.")) for n in (13, 14)}
    _, site = make_site({"site.yml": config, **days})
    text = (site / "llms.txt").read_text()
    assert "\n## Injected" not in text and "\n- [x]" not in text
    html = markdown_to_html(text)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(href.startswith("https://ex.org/a%28b%29/") for href in hrefs)
    assert "<strong>" not in html
    assert text.count("digests/2025-03-") == 1  # as many digests as the home page links


def test_no_two_outputs_share_a_path_or_nest_in_one(rich: Path) -> None:
    site, library = read_library(rich.parent / "content")
    theme = load_templates(templates_dir()).theme()
    plan = plan_outputs(library, derive(library, site), site, theme, search=True)
    paths = [path for output in plan.outputs for path in output.paths]
    assert len(paths) == len(set(paths))
    folders = {str(parent) for path in paths for parent in Path(path).parents}
    assert not set(paths) & folders


def test_a_site_built_from_its_own_export_has_the_same_papers_digests_and_urls(
    rich: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "content"
    exported.mkdir()
    shutil.copy(rich.parent / "content" / "site.yml", exported)
    for day in (rich / "digests").glob("*.json.gz"):
        shutil.copy(day, exported)
    again = tmp_path / "site"
    report = build(BuildOptions(content=exported, out=again, search=False))
    assert all("has no abstract" in warning.message for warning in report.warnings)

    def papers(library: Library) -> list[tuple[object, ...]]:
        return [(p.slug, p.title, p.arxiv_id, p.authors, p.dates) for p in library.papers]

    _, before = read_library(rich.parent / "content")
    _, after = read_library(exported)
    assert papers(after) == papers(before)
    days = [(d.date, [p.slug for p in d.papers]) for d in before.digests]
    assert [(d.date, [p.slug for p in d.papers]) for d in after.digests] == days
    # The same pages at the same URLs, and the same data: the export is a fixed point.
    pages = {path for path in every_file(rich) if path.endswith((".html", ".md"))}
    assert {path for path in every_file(again) if path.endswith((".html", ".md"))} == pages
    assert data_files(again) == data_files(rich)
    # Without the slugs it states, the paper listed twice on Mar 15 would move: its slug
    # comes from its first listing, the dump's, which the export does not carry.
    moved = build_library(
        [dataclasses.replace(f, entries=tuple(dataclasses.replace(e, slug="") for e in f.entries))
         for f in _dated_files(exported)]
    )  # fmt: skip
    assert {p.slug for p in moved.papers} != {p.slug for p in before.papers}


def _dated_files(content: Path) -> list[DigestFile]:
    files, _, errors = read_folder(content)
    assert errors == []
    return dated(files)
