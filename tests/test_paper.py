"""A paper's page from rich listings: authors, IDs, dates, revised titles, listing facts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import bibtexparser

from conftest import (
    digest_text,
    every_file,
    find_all,
    paper_page,
    parse_html,
    search_records,
    text_of,
)
from hf import hf_day, hf_record
from paperdigest.build import BuildReport
from paperdigest.markdown import EXTERNAL_REL
from zotero import zotero_item

Builder = Callable[..., tuple[BuildReport, Path]]
FUSECHAT = "FuseChat: Knowledge Fusion of Chat Models"
DUMP = digest_text("Mar 14", (FUSECHAT, "We fuse chats. It works."))
AUTHORS = ["Fanqi Wan", "Ziyi Yang", "Longguang Zhong", "Xiaojun Quan"]


def fusechat(day: str, title: str = FUSECHAT, **fields: Any) -> dict[str, Any]:
    """FuseChat as a day's listing gives it."""
    return hf_record("2402.16107", title, "We fuse chats. It works.", day=day, **fields)


def main_text(page: Path) -> str:
    return " ".join(text_of(find_all(parse_html(page.read_bytes()), "main")[0]).split())


def entries(site: Path, day: str) -> list[str]:
    """Each entry a digest page lists: its title, then the line under it."""
    tree = parse_html((site / f"digests/{day}/index.html").read_bytes())
    found = [a for a in find_all(find_all(tree, "main")[0], "article") if a.get("id")]
    return [
        f"{text_of(find_all(a, 'h3')[0])} — {' '.join(text_of(find_all(a, 'p')[0]).split())}"
        for a in found
    ]


def test_a_dump_then_listings_with_its_id_give_one_page_with_authors_ids_and_titles(
    make_site: Builder, tmp_path: Path
) -> None:
    _, before = make_site({"site.yml": "year: 2025\n", "2025-03-14.txt": DUMP})
    slug = next((before / "papers").glob("*/index.html")).parent.name
    files = {
        "site.yml": "year: 2025\n",
        "2025-03-14.txt": DUMP,
        "2025-03-15.json": hf_day(
            fusechat("2025-03-15", authors=[*AUTHORS, "Hidden One"], hidden=("Hidden One",))
        ),
        "2025-03-16.json": hf_day(
            fusechat("2025-03-16", "FuseChat: Fusing Chat Models", authors=AUTHORS)
        ),
    }
    _, site = make_site(files)
    pages = list((site / "papers").glob("*/index.html"))
    assert [p.parent.name for p in pages] == [slug]  # one paper, and its URL did not move
    text = main_text(pages[0])
    assert (
        text_of(find_all(parse_html(pages[0].read_bytes()), "h1")[0])
        == "FuseChat: Fusing Chat Models"
    )
    assert "By Fanqi Wan, Ziyi Yang, Longguang Zhong, Xiaojun Quan" in text
    assert "Hidden One" not in text
    assert "arXiv 2402.16107 · PDF · HTML · Hugging Face" in text
    assert "Submitted to arXiv on Monday, 14 July 2025. First seen" in text
    assert "Earlier title: “FuseChat: Knowledge Fusion of Chat Models”" in text
    assert "First seen in the digest of Friday, 14 March 2025" in text
    twin = (site / "papers" / f"{slug}.md").read_text()
    assert "By Fanqi Wan, Ziyi Yang, Longguang Zhong, Xiaojun Quan" in twin
    assert "arXiv 2402.16107" in twin


def test_a_long_list_of_authors_folds_after_ten_in_html_and_is_whole_in_markdown(
    make_site: Builder,
) -> None:
    names = [f"Author Number{n}" for n in range(1, 24)]
    _, site = make_site({"2025-03-15.json": hf_day(fusechat("2025-03-15", authors=names))})
    page = next((site / "papers").glob("*/index.html"))
    tree = parse_html(page.read_bytes())
    (details,) = find_all(tree, "details")
    assert text_of(find_all(details, "summary")[0]) == "and 13 more authors"
    assert " ".join(text_of(details).split()).endswith(", ".join(names[10:]))
    shown = next(p for p in find_all(tree, "p") if text_of(p).startswith("By "))
    assert text_of(shown) == "By " + ", ".join(names[:10])
    twin = page.parent.with_suffix(".md").read_text()
    assert "By " + ", ".join(names) in twin and ":::" not in twin


def test_digest_pages_name_authors_under_titles_with_the_days_upvotes(make_site: Builder) -> None:
    second = hf_record("2403.00002", "A Second Paper", day="2025-03-15", authors=["Solo Author"])
    second["paper"]["upvotes"], second["numComments"] = 1, 0
    records = [fusechat("2025-03-15", authors=AUTHORS, upvotes=42, comments=3), second]
    _, site = make_site({"2025-03-15.json": hf_day(*records)})
    assert entries(site, "2025-03-15") == [
        f"{FUSECHAT} — By Fanqi Wan, Ziyi Yang, Longguang Zhong and 1 more · 42 upvotes, "
        "3 comments",
        "A Second Paper — By Solo Author · 1 upvote",
    ]


def test_a_later_listing_changes_nothing_published_for_an_earlier_date(make_site: Builder) -> None:
    first = {"2025-03-15.json": hf_day(fusechat("2025-03-15", authors=AUTHORS, upvotes=10))}
    _, site = make_site(first)
    before = every_file(site)
    later = {
        **first,
        "2025-03-16.json": hf_day(fusechat("2025-03-16", authors=AUTHORS, upvotes=99)),
    }
    _, site = make_site(later)
    after = every_file(site)
    for path in ("digests/2025-03-15/index.html", "digests/2025-03-15.md"):
        assert after[path].replace(b"Next digest", b"").count(b"10 upvotes") == 1
    old_item = before["feed.xml"].split(b"<item>")[1].split(b"</item>")[0]
    assert old_item in after["feed.xml"]  # the first day's feed item, byte for byte
    assert b"upvote" not in after["feed.xml"]  # counts that churn stay out of the feed


def test_a_text_dump_and_a_json_day_of_one_date_form_one_digest(make_site: Builder) -> None:
    files = {
        "2025-03-15-dump.txt": digest_text("Mar 15", ("A Dumped Paper", "We dump it. It works.")),
        "2025-03-15.json": hf_day(fusechat("2025-03-15")),
    }
    report, site = make_site(files)
    assert (report.digests, report.papers) == (1, 2)
    assert len(entries(site, "2025-03-15")) == 2


def test_search_records_carry_the_authors_to_search_by(make_site: Builder) -> None:
    _, site = make_site(
        {"2025-03-15.json": hf_day(fusechat("2025-03-15", authors=AUTHORS))}, search=True
    )
    (record,) = search_records(site / "pagefind")
    assert record["content"].endswith(
        "Authors: Fanqi Wan, Ziyi Yang, Longguang Zhong, Xiaojun Quan."
    )


def test_the_same_paper_in_one_day_file_twice_is_listed_once(make_site: Builder) -> None:
    twice = hf_day(fusechat("2025-03-15"), fusechat("2025-03-15"))
    report, site = make_site({"2025-03-15.json": twice})
    assert (report.papers, report.entries) == (1, 2)
    assert len(entries(site, "2025-03-15")) == 1


def test_paper_pages_show_the_listing_facts_of_each_digest(make_site: Builder) -> None:
    files = {
        "2025-03-15.json": hf_day(fusechat("2025-03-15", upvotes=10, comments=0)),
        "2025-03-16.json": hf_day(fusechat("2025-03-16", upvotes=25, comments=2)),
    }
    _, site = make_site(files)
    page = paper_page(site, "FuseChat")
    items = [" ".join(text_of(li).split()) for li in find_all(parse_html(page.read_bytes()), "li")]
    assert "Sunday, 16 March 2025 — 25 upvotes, 2 comments" in items
    assert "Saturday, 15 March 2025 — 10 upvotes" in items


LATEX = (
    r"We present \textsc{FuseChat-7B}, up by 12\% with \textbf{C}ausal fusion in $O(n^2)$ "
    r"time and C^{2}DLM. It works."
)


def test_latex_in_an_abstract_is_math_and_markup_in_html_and_plain_text_elsewhere(
    make_site: Builder,
) -> None:
    files = {
        "2025-03-15.json": hf_day(hf_record("2402.16107", "FuseChat", LATEX, day="2025-03-15"))
    }
    _, site = make_site(files, search=True)
    page = paper_page(site, "FuseChat")
    tree = parse_html(page.read_bytes())
    (math,) = [e for e in tree.iter() if str(e.tag).endswith("MathML}math")]
    assert math.get("display") == "inline"
    assert [text_of(e) for e in find_all(tree, "strong")] == ["C"]
    assert "12% with" in main_text(page) and "\\" not in main_text(page)
    shown = "We present FuseChat-7B, up by 12% with Causal fusion in O(n²) time and C²DLM."
    twin = page.parent.with_suffix(".md").read_text()
    assert shown in twin.replace("\\", "") and "textsc" not in twin and "$" not in twin
    (indexed,) = search_records(site / "pagefind")
    assert indexed["content"].startswith("We present FuseChat-7B, up by 12% with Causal")
    assert shown in (site / "feed.xml").read_text()
    metas = {m.get("name"): m.get("content") for m in find_all(tree, "meta")}
    assert metas["description"].startswith("We present FuseChat-7B, up by 12% with Causal")


def links_out(page: Path) -> list[tuple[str, str, str]]:
    """The article's links that leave the site: (text, href, rel)."""
    article = find_all(parse_html(page.read_bytes()), "article")[0]
    return [
        (text_of(a), a.get("href"), a.get("rel"))
        for a in find_all(article, "a")
        if a.get("href", "").startswith("https://")
    ]


def cite_blocks(page: Path) -> tuple[str, str]:
    """The BibTeX entry as the HTML page shows it and as its Markdown twin holds it."""
    (pre,) = find_all(parse_html(page.read_bytes()), "pre")
    twin = page.parent.with_suffix(".md").read_text()
    fenced = twin.split("```bibtex\n", 1)[1].split("\n```", 1)[0]
    return text_of(pre).rstrip("\n"), fenced


def test_a_paper_with_an_id_links_out_and_saves_to_zotero_as_the_right_item(
    make_site: Builder,
) -> None:
    record = fusechat("2025-03-15", authors=AUTHORS, github="https://github.com/fanqiwan/FuseAI")
    _, site = make_site({"2025-03-15.json": hf_day(record)})
    page = paper_page(site, "FuseChat")
    assert links_out(page) == [
        ("arXiv 2402.16107", "https://arxiv.org/abs/2402.16107", EXTERNAL_REL),
        ("PDF", "https://arxiv.org/pdf/2402.16107", EXTERNAL_REL),
        ("HTML", "https://arxiv.org/html/2402.16107", EXTERNAL_REL),
        ("Hugging Face", "https://huggingface.co/papers/2402.16107", EXTERNAL_REL),
        ("Code", "https://github.com/fanqiwan/FuseAI", EXTERNAL_REL),
    ]
    item = zotero_item(page.read_bytes())
    assert item == {
        "itemType": "journalArticle",
        "title": FUSECHAT,
        "creators": [
            {"firstName": "Fanqi", "lastName": "Wan", "creatorType": "author"},
            {"firstName": "Ziyi", "lastName": "Yang", "creatorType": "author"},
            {"firstName": "Longguang", "lastName": "Zhong", "creatorType": "author"},
            {"firstName": "Xiaojun", "lastName": "Quan", "creatorType": "author"},
        ],
        "date": "2025-07-14",
        "attachments": [
            {
                "title": "Full Text PDF",
                "url": "https://arxiv.org/pdf/2402.16107",
                "mimeType": "application/pdf",
            }
        ],
        "url": "https://arxiv.org/abs/2402.16107",
    }
    shown, twin = cite_blocks(page)
    assert shown == twin
    [entry] = bibtexparser.loads(shown).entries
    assert (entry["ENTRYTYPE"], entry["eprint"], entry["archiveprefix"]) == (
        "misc",
        "2402.16107",
        "arXiv",
    )
    assert entry["author"] == " and ".join(AUTHORS)


def test_a_paper_known_by_its_title_links_searches_and_cites_only_its_title(
    make_site: Builder,
) -> None:
    title = "Attention & <Transformers>: 100% \\emph{Sure}?"
    _, site = make_site({"2025-03-14.txt": digest_text("Mar 14", (title, "It works."))})
    page = paper_page(site, "Attention")
    found = links_out(page)
    assert [text for text, _, _ in found] == [
        "Search arXiv",
        "Search Google Scholar",
        "Search Semantic Scholar",
    ]
    for _, href, rel in found:
        query = parse_qs(urlsplit(href).query)
        assert query.get("q", query.get("query")) == [title] and rel == EXTERNAL_REL
    assert {urlsplit(href).netloc for _, href, _ in found} == {
        "arxiv.org",
        "scholar.google.com",
        "www.semanticscholar.org",
    }
    item = zotero_item(page.read_bytes())
    assert (item["title"], item["creators"], item["date"]) == (title, [], "")
    assert item["url"].endswith(f"/papers/{page.parent.name}/")
    shown, twin = cite_blocks(page)
    assert shown == twin
    [entry] = bibtexparser.loads(shown).entries
    assert set(entry) == {"ENTRYTYPE", "ID", "title"}  # no page of ours posing as the paper's


def test_code_and_data_links_in_an_abstract_are_listed_beside_the_title_once(
    make_site: Builder,
) -> None:
    abstract = (
        "We fuse chats (code: https://github.com/fanqiwan/FuseAI). Weights at "
        "huggingface.co/FuseAI/FuseChat-7B; data at https://huggingface.co/datasets/FuseAI/"
        "FuseChat-Mixture, and a demo: https://huggingface.co/spaces/FuseAI/chat{here}."
    )
    listed = hf_record(
        "2402.16107",
        FUSECHAT,
        abstract,
        day="2025-03-15",
        github="https://github.com/fanqiwan/FuseAI",
    )
    _, site = make_site({"2025-03-15.json": hf_day(listed)})
    page = paper_page(site, "FuseChat")
    assert [(text, href) for text, href, _ in links_out(page)][4:8] == [
        ("Code", "https://github.com/fanqiwan/FuseAI"),
        ("Model", "https://huggingface.co/FuseAI/FuseChat-7B"),
        ("Dataset", "https://huggingface.co/datasets/FuseAI/FuseChat-Mixture"),
        ("Demo", "https://huggingface.co/spaces/FuseAI/chat"),
    ]
    twin = page.parent.with_suffix(".md").read_text()
    assert "[Demo](<https://huggingface.co/spaces/FuseAI/chat>)" in twin
