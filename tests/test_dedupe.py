"""Paper identity, merging by date, abstract versions, and slugs."""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import dated, digest_text
from paperdigest import dedupe
from paperdigest.dedupe import (
    SLUG_WORDS_CHARS,
    assign_slugs,
    build_library,
    normalize_title,
    slugify,
)
from paperdigest.model import DigestFile, Entry, Library, ParsedFile, Source
from paperdigest.read.text_dump import parse_dump_text

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def parsed(name: str, text: str) -> ParsedFile:
    digest, _ = parse_dump_text(f"content/{name}", text)
    return digest


def library(files: dict[str, str], year: int | None = 2025) -> Library:
    return build_library(dated([parsed(n, t) for n, t in files.items()], year))


def titles(lib: Library) -> list[list[str]]:
    return [[p.title for p in d.papers] for d in lib.digests]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("FuseChat: Knowledge Fusion", "fusechat:  knowledge\tfusion"),
        ("Ｆｕｌｌｗｉｄｔｈ Title", "Fullwidth title"),
        ("Self–Play — Fine-Tuning", "Self-Play - Fine‐Tuning"),
        ("PLeaS -- Merging Models", "PLeaS — Merging Models"),
        ("“Quoted” and ‘single’", "\"quoted\" and 'single'"),
        ("``LaTeX'' quotes", '"latex" quotes'),
        ("STRASSE", "Straße"),
    ],
)
def test_titles_that_normalize_the_same(a: str, b: str) -> None:
    assert normalize_title(a) == normalize_title(b)


@given(
    st.text(
        st.sampled_from("aZ-'` \t\u2013\u2014\u2019\u201c\uff0d\u00b4\u2033\u00dfﬁＡ"), max_size=30
    )
)
def test_normalizing_skips_only_steps_with_nothing_to_do(title: str) -> None:
    unified = unicodedata.normalize("NFKC", title).translate(str.maketrans(dedupe._UNIFY))
    unified = re.sub("''", '"', re.sub("-{2,}", "-", unified))  # the steps, all taken
    assert normalize_title(title) == " ".join(unified.casefold().split())


@pytest.mark.parametrize(
    ("a", "b"),
    [("Model A", "Model B"), ("A Survey", "A Survey."), ("GPT-4", "GPT 4")],
)
def test_titles_that_stay_different(a: str, b: str) -> None:
    assert normalize_title(a) != normalize_title(b)


def test_files_sharing_a_date_merge_in_file_name_order_and_list_a_paper_once() -> None:
    lib = library(
        {
            "b.txt": digest_text("Mar 14", ("B1", "b"), ("Shared", "first text")),
            "a.txt": digest_text("Mar 14", ("A1", "a"), ("SHARED", "first text")),
            "c.txt": digest_text("Mar 13", ("C1", "c"), ("A1", "a")),
        }
    )
    assert [d.date for d in lib.digests] == [date(2025, 3, 13), date(2025, 3, 14)]
    # Position from a.txt, title from the latest appearance (b.txt).
    assert titles(lib) == [["C1", "A1"], ["A1", "Shared", "B1"]]
    assert lib.digests[1].sources == ("content/a.txt", "content/b.txt")
    assert lib.entry_count == 6
    assert len(lib.papers) == 4
    assert lib.merged_count == 2


def test_paper_records_digests_first_and_last_seen_and_new_marks() -> None:
    lib = library(
        {
            "1.txt": digest_text("Mar 11", ("Paper", "x")),
            "2.txt": digest_text("Mar 13", ("Other", "y")),
            "3.txt": digest_text("Mar 14", ("paper", "x")),
        }
    )
    paper = next(p for p in lib.papers if p.key == "paper")
    assert paper.dates == (date(2025, 3, 11), date(2025, 3, 14))
    assert (paper.first_seen, paper.last_seen) == (date(2025, 3, 11), date(2025, 3, 14))
    assert paper.title == "paper"  # as written in its latest appearance
    assert paper.source.path == "content/1.txt"
    first, _, last = lib.digests
    assert first.is_new(paper) and not last.is_new(paper)


def test_no_abstract_is_lost_and_the_latest_is_current() -> None:
    lib = library(
        {
            "1.txt": digest_text("Mar 11", ("P", "Old text."), ("Q", "q")),
            "2.txt": digest_text("Mar 12", ("P", "Old   text.")),  # whitespace only
            "3.txt": digest_text("Mar 13", ("P", "Middle text.")),
            "4.txt": digest_text("Mar 14", ("P", "New text."), ("P", "Newest, same day.")),
        }
    )
    paper = next(p for p in lib.papers if p.key == "p")
    assert [v.text for v in paper.abstracts] == [
        "Newest, same day.",
        "New text.",
        "Middle text.",
        "Old   text.",
    ]
    assert paper.abstract.text == "Newest, same day."
    assert paper.abstracts[3].dates == (date(2025, 3, 11), date(2025, 3, 12))
    assert paper.abstracts[0].source.path == "content/4.txt"
    assert titles(lib)[3] == ["P"]


# --- slugs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "readable"),
    [
        ("FuseChat: Knowledge Fusion of Chat Models", "fusechat-knowledge-fusion-of-chat-models"),
        ("../../etc/passwd", "etc-passwd"),
        ("Über Café Models", "uber-cafe-models"),
        ("!!!???", "paper"),
        ("大規模言語モデル", "paper"),
        ("🚀🔥", "paper"),
    ],
)
def test_slug_is_readable_words_then_a_hash(title: str, readable: str) -> None:
    slug = slugify(normalize_title(title))
    assert slug.rsplit("-", 1)[0] == readable
    assert re.fullmatch(r"[0-9a-f]{8}", slug.rsplit("-", 1)[1])


def test_long_titles_give_bounded_slugs() -> None:
    slug = slugify(normalize_title("Scaling " * 500))
    assert len(slug) <= SLUG_WORDS_CHARS + 9
    one_word = slugify(normalize_title("x" * 5000))
    assert len(one_word) <= SLUG_WORDS_CHARS + 9


def test_colliding_short_hashes_both_get_distinct_slugs() -> None:
    # Two CJK titles (readable part "paper") whose 8-digit hashes collide, found by search.
    a, b = "論文一九八一六", "論文一二零一零九"
    assert slugify(a) == slugify(b)
    slugs = assign_slugs([a, b, "something else"])
    assert slugs[a] != slugs[b]
    assert slugs["something else"] == slugify("something else")


def test_slugs_do_not_depend_on_other_papers() -> None:
    key = normalize_title("A Stable Paper")
    alone = assign_slugs([key])[key]
    crowded = assign_slugs([key, *(f"a stable paper {n}" for n in range(200))])[key]
    assert alone == crowded == slugify(key)


printable = st.text(
    st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=200
).filter(lambda t: t.strip())


@given(st.lists(printable, min_size=1, max_size=30))
def test_slugs_are_unique_safe_ascii_and_bounded(raw_titles: list[str]) -> None:
    keys = [normalize_title(t) for t in raw_titles]
    slugs = assign_slugs(keys)
    assert len(set(slugs.values())) == len(set(keys))
    for slug in slugs.values():
        assert SLUG.fullmatch(slug), slug
        assert len(slug) <= SLUG_WORDS_CHARS + 9


@given(printable)
def test_normalization_is_idempotent(title: str) -> None:
    key = normalize_title(title)
    assert normalize_title(key) == key


entry = st.tuples(st.sampled_from(["Alpha", "ALPHA", "Beta", "beta ", "Gamma", "Delta"]),
                  st.sampled_from(["one", "two", "one ", "three"]))  # fmt: skip
digest_files = st.lists(
    st.tuples(st.sampled_from(["Mar 11", "Mar 12", "Mar 13"]), st.lists(entry, min_size=1)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60)
@given(digest_files, st.randoms(use_true_random=False))
def test_dedupe_does_not_depend_on_the_order_files_are_given(
    files: list[tuple[str, list[tuple[str, str]]]], rng: random.Random
) -> None:
    parsed_files = [
        parsed(f"{index:02}.txt", digest_text(day, *entries))
        for index, (day, entries) in enumerate(files)
    ]
    shuffled = parsed_files[:]
    rng.shuffle(shuffled)
    lib = build_library(dated(parsed_files, 2025))
    assert build_library(dated(shuffled, 2025)) == lib
    assert lib.entry_count == sum(len(entries) for _, entries in files)
    # Every abstract ever written survives on its paper's page.
    for _, entries in files:
        for title, abstract in entries:
            paper = next(p for p in lib.papers if p.key == normalize_title(title))
            assert " ".join(abstract.split()) in {" ".join(v.text.split()) for v in paper.abstracts}


# --- listings without an abstract -------------------------------------------------------


def file_of(day: date, *entries: tuple[str, str]) -> DigestFile:
    return DigestFile(
        f"content/{day}.txt",
        day,
        tuple(
            Entry(t, a, Source(f"content/{day}.txt", 3 + 4 * n)) for n, (t, a) in enumerate(entries)
        ),
    )


@pytest.mark.parametrize(
    "abstracts",
    [["", "Real text."], ["Real text.", ""], ["", "Real text.", ""]],
)
def test_a_listing_without_an_abstract_is_no_version_of_it(abstracts: list[str]) -> None:
    files = [file_of(date(2025, 3, 10 + n), ("P", a)) for n, a in enumerate(abstracts)]
    paper = build_library(files).papers[0]
    assert [v.text for v in paper.abstracts] == ["Real text."]
    assert len(paper.dates) == len(abstracts)  # every listing still counts as an appearance


def test_a_paper_never_listed_with_an_abstract_has_one_empty_version() -> None:
    files = [file_of(date(2025, 3, 10 + n), ("P", "")) for n in range(2)]
    paper = build_library(files).papers[0]
    assert [(v.text, len(v.dates)) for v in paper.abstracts] == [("", 2)]


# --- identity with and without arXiv IDs ---------------------------------------------------


def listing(day: date, *entries: tuple[str, str]) -> DigestFile:
    """A day's file whose entries are (title, arXiv ID or "")."""
    path = f"content/{day}.json"
    listed = tuple(
        Entry(title, f"Abstract of {title}.", Source(path, 2 + n), arxiv_id=arxiv_id)
        for n, (title, arxiv_id) in enumerate(entries)
    )
    return DigestFile(path, day, listed)


D1, D2, D3, D4 = (date(2025, 3, d) for d in (10, 11, 12, 13))


def test_a_paper_first_seen_in_a_dump_keeps_its_url_when_a_listing_adds_its_id() -> None:
    before = build_library([listing(D1, ("FuseChat: Knowledge Fusion", ""))])
    after = build_library(
        [
            listing(D1, ("FuseChat: Knowledge Fusion", "")),
            listing(D2, ("FuseChat: knowledge fusion", "2402.16107")),
        ]
    )
    assert len(after.papers) == 1
    paper = after.papers[0]
    assert (
        paper.slug
        == before.papers[0].slug
        == slugify(normalize_title("FuseChat: Knowledge Fusion"))
    )
    assert paper.arxiv_id == "2402.16107" and paper.dates == (D1, D2)


def test_a_dump_listing_joins_the_paper_known_by_its_id() -> None:
    lib = build_library(
        [
            listing(D1, ("FuseChat: Knowledge Fusion", "2402.16107")),
            listing(D2, ("FuseChat: Knowledge Fusion", "")),
        ]
    )
    assert [(p.arxiv_id, p.dates) for p in lib.papers] == [("2402.16107", (D1, D2))]
    assert lib.papers[0].key == "arXiv:2402.16107"


def test_two_ids_never_merge_whatever_their_titles() -> None:
    lib = build_library(
        [
            listing(D1, ("Attention Is All You Need", "1706.03762")),
            listing(D2, ("Attention Is All You Need", "2501.00001")),
            listing(D3, ("Attention is all you need", "")),  # joins the one listed last
        ]
    )
    by_id = {p.arxiv_id: p for p in lib.papers}
    assert set(by_id) == {"1706.03762", "2501.00001"}
    assert by_id["1706.03762"].slug != by_id["2501.00001"].slug
    assert by_id["1706.03762"].slug.startswith("attention-is-all-you-need-")
    assert by_id["2501.00001"].dates == (D2, D3) and by_id["1706.03762"].dates == (D1,)


def test_a_title_revised_between_listings_of_one_id_stays_one_paper_with_both_titles() -> None:
    lib = build_library(
        [
            listing(D1, ("Scaling Laws for Agents", "2503.00001")),
            listing(D2, ("scaling laws for agents", "2503.00001")),  # recased: no revision
            listing(D3, ("Scaling Laws for Language Agents", "2503.00001")),
        ]
    )
    (paper,) = lib.papers
    assert paper.title == "Scaling Laws for Language Agents"
    assert paper.other_titles == ("scaling laws for agents",)
    assert paper.slug.startswith("scaling-laws-for-agents-")  # from the first listing


_titles = st.sampled_from(["Alpha", "alpha", "Beta", "Gamma Ray"])
_ids = st.sampled_from(["", "", "2501.00001", "2501.00002", "2501.00003"])
_days = st.lists(st.lists(st.tuples(_titles, _ids), min_size=1, max_size=4), min_size=2, max_size=6)


@settings(max_examples=200)
@given(_days)
def test_adding_digests_in_date_order_never_moves_a_url(days: list[list[tuple[str, str]]]) -> None:
    files = [listing(date(2025, 3, 1 + n), *entries) for n, entries in enumerate(days)]
    for cut in range(1, len(files)):
        earlier = build_library(files[:cut])
        later = build_library(files)
        slugs = {p.slug for p in later.papers}
        assert {p.slug for p in earlier.papers} <= slugs
        # And a paper keeps its page: every digest of the earlier site lists the same slugs.
        for old, new in zip(earlier.digests, later.digests, strict=False):
            assert [p.slug for p in old.papers] == [p.slug for p in new.papers]


@settings(max_examples=200)
@given(_days)
def test_no_paper_holds_two_ids(days: list[list[tuple[str, str]]]) -> None:
    files = [listing(date(2025, 3, 1 + n), *entries) for n, entries in enumerate(days)]
    lib = build_library(files)
    for paper in lib.papers:
        ids = {
            a.arxiv_id
            for d in lib.digests
            for p, a in zip(d.papers, d.entries, strict=True)
            if p is paper and a.arxiv_id
        }
        assert len(ids) <= 1 and (not ids or ids == {paper.arxiv_id})
