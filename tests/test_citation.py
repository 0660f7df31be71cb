"""Citations: BibTeX that a real BibTeX parser reads back as one entry with exactly our
fields, whatever the title and authors hold, and meta tags with only what is known."""

from __future__ import annotations

from datetime import date

import bibtexparser
from bibtexparser.bparser import BibTexParser
from hypothesis import given
from hypothesis import strategies as st

from paperdigest.plan.citation import bibtex, citation_meta, cite_key


def parsed(text: str) -> list[dict[str, str]]:
    """The entries a BibTeX parser finds, fields as it reads them (values not rewritten)."""
    parser = BibTexParser(common_strings=False, interpolate_strings=False)
    parser.ignore_nonstandard_types = False
    parser.homogenize_fields = False
    return list(bibtexparser.loads(text, parser=parser).entries)


def test_a_paper_with_an_arxiv_id_is_a_misc_entry_with_its_eprint() -> None:
    text = bibtex(
        "FuseChat: Knowledge Fusion of Chat Models",
        ["Fanqi Wan", "Xinting Huang", "Ziyi Yang"],
        "2402.16107",
        date(2024, 2, 26),
    )
    [entry] = parsed(text)
    assert entry == {
        "ENTRYTYPE": "misc",
        "ID": "wan2024fusechat",
        "title": "FuseChat: Knowledge Fusion of Chat Models",
        "author": "Fanqi Wan and Xinting Huang and Ziyi Yang",
        "year": "2024",
        "eprint": "2402.16107",
        "archiveprefix": "arXiv",  # field names are case-insensitive; it lowercases them
        "url": "https://arxiv.org/abs/2402.16107",
    }


def test_a_paper_known_only_by_its_title_cites_its_title_and_nothing_invented() -> None:
    [entry] = parsed(bibtex("Attention Is All You Need", [], "", None))
    assert entry == {
        "ENTRYTYPE": "misc",
        "ID": "attention",
        "title": "Attention Is All You Need",
    }


def test_latex_in_titles_is_kept_and_what_would_break_bibtex_is_not() -> None:
    [entry] = parsed(bibtex(r"$\alpha$-Nets at 100% & more #1", [], "", None))
    assert entry["title"] == r"$\alpha$-Nets at 100\% \& more \#1"
    # An unpaired brace would swallow the rest of the file; an injected field stays text.
    hostile = "Evil}, author = {Mallory"
    [entry] = parsed(bibtex(hostile, ["A {B"], "", None))
    assert set(entry) == {"ENTRYTYPE", "ID", "title", "author"}
    assert entry["title"] == r"Evil\textbraceright{}, author = \textbraceleft{}Mallory"
    assert entry["author"] == r"A \textbraceleft{}B"


def test_names_bibtex_would_split_or_reorder_are_braced_whole() -> None:
    names = ["Tom and Jerry Lab", "Smith, Jr., John", "Ann Lee"]
    [entry] = parsed(bibtex("T", names, "", None))
    assert entry["author"] == "{Tom and Jerry Lab} and {Smith, Jr., John} and Ann Lee"


def test_cite_keys_follow_google_scholar_and_stay_ascii() -> None:
    assert cite_key("The Attention Mechanism", ["Ashish Vaswani"], date(2017, 6, 12)) == (
        "vaswani2017attention"
    )
    assert cite_key("Über Modelle", ["Jörg Müller"], None) == "mulleruber"
    assert cite_key("数学", ["王伟"], None) == "paper"


TEXT = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))


@given(title=st.text(TEXT, min_size=1), authors=st.lists(st.text(TEXT), max_size=4))
def test_any_title_and_authors_give_exactly_one_entry_with_exactly_our_fields(
    title: str, authors: list[str]
) -> None:
    authors = [name for name in authors if name.strip()]
    entries = parsed(bibtex(title, authors, "2501.00001", date(2025, 1, 2)))
    assert len(entries) == 1
    expected = {"ENTRYTYPE", "ID", "title", "year", "eprint", "archiveprefix", "url"}
    assert set(entries[0]) == expected | ({"author"} if authors else set())
    assert entries[0]["eprint"] == "2501.00001"


def test_meta_tags_say_only_what_is_known() -> None:
    assert citation_meta("A Title", [], "", None) == (("citation_title", "A Title"),)
    assert citation_meta("A Title", ["Ann Lee", "Bo Li"], "2402.16107", date(2024, 2, 26)) == (
        ("citation_title", "A Title"),
        ("citation_author", "Ann Lee"),
        ("citation_author", "Bo Li"),
        ("citation_date", "2024/02/26"),
        ("citation_arxiv_id", "2402.16107"),
        ("citation_pdf_url", "https://arxiv.org/pdf/2402.16107"),
        ("citation_abstract_html_url", "https://arxiv.org/abs/2402.16107"),
    )
