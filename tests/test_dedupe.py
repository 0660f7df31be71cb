"""Paper identity, merging by date, abstract versions, and slugs."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import dated, digest_text
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
