"""Telling titles from abstracts by shape, and pairing them where abstracts are missing."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, read_folder
from paperdigest.model import Entry, Source
from paperdigest.read.align import (
    ABSTRACT_AT_LEAST,
    LONG_CHARS,
    SHORT_CHARS,
    TITLE_AT_MOST,
    Alignment,
    Shape,
    _may_be_abstract,
    _may_be_title,
    align,
    score,
    shape,
)

# Shortened real entries, and the shapes the seeds lack: a one-sentence abstract, a very
# long title, a title in sentence case, a title that asks.
ENTRIES = [
    (
        "UniCoder: Scaling Code Large Language Model via Universal Code",
        "Intermediate reasoning steps have improved large language models on many tasks. "
        "We propose UniCoder, which writes pseudo-code before code, and show it helps.",
    ),
    ("Vision Transformers Need Registers", "Vision transformers need registers."),
    (
        "From Pixels to Policies: A Large-Scale Study of Vision-Language-Action Models for "
        "Robotic Manipulation Across Simulated and Real-World Environments, with Benchmarks, "
        "Ablations, Failure Analyses, and Open-Source Tooling for Reproducible Research",
        "Robot policies built on vision-language models are compared in simulation and on "
        "real arms. Code: https://example.org/pixels",
    ),
    (
        "Large language models as optimizers",
        "Optimization is everywhere. We describe tasks to a language model in words and let it "
        "propose solutions, which improve step by step.",
    ),
    (
        "What Matters for Model Merging at Scale?",
        "Model merging combines experts into one model. We study merging at up to 64B "
        "parameters and find that larger models merge more easily.",
    ),
    (
        "ZeRO: Memory Optimizations Toward Training Trillion Parameter Models",
        "Large deep learning models offer significant accuracy gains, but training billions "
        "to trillions of parameters is challenging.",
    ),
]


def paragraphs(entries: list[tuple[str, str]], start: int = 11) -> list[tuple[int, tuple[str]]]:
    """The body paragraphs of a dump of these entries (an empty abstract is left out)."""
    found = []
    line = start
    for title, abstract in entries:
        found.append((line, (title,)))
        line += 2
        if abstract:
            found.append((line, (abstract,)))
            line += 2
    return found


def without(missing: set[int]) -> list[tuple[str, str]]:
    return [(t, "" if i in missing else a) for i, (t, a) in enumerate(ENTRIES)]


def quote(title: str) -> str:
    return repr(title if len(title) <= 60 else title[:59] + "…")


@pytest.mark.parametrize(
    "missing",
    [
        set(),
        {0},  # at the start
        {3},  # in the middle
        {5},  # at the end
        {1},  # its own abstract is one short sentence
        {0, 2},  # before a title with a short abstract, and a very long title's own
        {2},  # a very long title's
        {1, 2},  # two in a row: paired by position they would cancel out
        {1, 4},  # two apart: they cancel out too
        {0, 3, 5},  # three: start, middle and end
        {2, 3, 4},  # three in a row
    ],
)
def test_missing_abstracts_become_entries_without_one_and_a_warning(missing: set[int]) -> None:
    expected = without(missing)
    body = paragraphs(expected)
    got = align("x.txt", body)
    assert got.errors == ()
    lines = {title: line for line, (title,) in body if any(title == t for t, _ in ENTRIES)}
    assert got.entries == tuple(Entry(t, a, Source("x.txt", lines[t])) for t, a in expected)
    end = len(ENTRIES) - 1
    assert [str(w) for w in got.warnings] == [
        f"x.txt:{lines[ENTRIES[i][0]]}: warning: the title {quote(ENTRIES[i][0])} has no abstract"
        + (" and ends the file (is the file cut off?)" if i == end else "")
        + "; it is published without one"
        for i in sorted(missing)
    ]


def test_an_abstract_where_a_title_belongs_is_an_error_there() -> None:
    (title, abstract), (_, other) = ENTRIES[0], ENTRIES[3]
    got = align("x.txt", [(11, (title,)), (13, (abstract,)), (15, (other,))])
    assert [str(e) for e in got.errors] == [
        "x.txt:15: expected a title, but this reads as an abstract; is a title missing above it?"
    ]
    assert got.entries == (Entry(title, abstract, Source("x.txt", 11)),)


def test_after_an_unsure_abstract_the_error_names_it_too() -> None:
    body = [(11, ("A Paper",)), (13, ("Short and plain.",)), (15, (ENTRIES[3][1],))]
    assert [e.message for e in align("x.txt", body).errors] == [
        "expected a title, but this reads as an abstract; is a title missing above it, "
        "or is line 13 a title without an abstract?"
    ]


UNSURE_TITLE = (
    "LLMs Can Easily Learn to Reason from Demonstrations Structure, not content, is what matters!"
)


def test_a_paragraph_that_may_be_a_title_where_an_abstract_is_due_stops_the_build() -> None:
    title, abstract = ENTRIES[0]
    body = [(11, (title,)), (13, (UNSURE_TITLE,)), (15, (abstract,))]
    assert shape((UNSURE_TITLE,)) is Shape.UNSURE and score(UNSURE_TITLE) < 0
    got = align("x.txt", body)
    assert [str(e) for e in got.errors] == [
        "x.txt:13: expected the abstract of the title on line 11, but this reads more like a "
        "title; cannot tell which it is, so the entries may be out of step"
    ]


def test_two_titles_in_a_row_need_the_first_to_be_certain_too() -> None:
    title, abstract = ENTRIES[0]
    got = align("x.txt", [(11, (UNSURE_TITLE,)), (13, (title,)), (15, (abstract,))])
    assert [str(e) for e in got.errors] == [
        "x.txt:13: expected the abstract of the title on line 11, but this reads as a title; "
        "line 11 does not read clearly as a title, so cannot tell whether it lacks an abstract"
    ]
    assert got.warnings == ()


@pytest.mark.parametrize("last", ["Cut off", UNSURE_TITLE, "T"])
def test_an_unsure_last_paragraph_without_an_abstract_is_an_error(last: str) -> None:
    got = align("x.txt", [*paragraphs(ENTRIES[:1]), (15, (last,))])
    assert [str(e) for e in got.errors] == [f"x.txt:15: the title {quote(last)} has no abstract"]


def test_a_title_running_onto_its_abstract_is_still_an_error_and_the_next_pair_is_read() -> None:
    (title, abstract), (second, its) = ENTRIES[0], ENTRIES[4]
    got = align("x.txt", [(11, (title, abstract)), (13, (second,)), (15, (its,))])
    assert [e.message for e in got.errors] == [
        "a title runs onto line 12; separate each title from its abstract with a blank line"
    ]
    assert got.entries == (Entry(second, its, Source("x.txt", 13)),)


def test_a_long_title_longer_than_its_abstract_still_warns() -> None:
    title = "Word " * 61 + "End"
    got = align("x.txt", [(11, (title,)), (13, ("Short abstract.",))])
    assert [w.message for w in got.warnings] == [
        "this title is 308 characters long and longer than its abstract; "
        "is a title or an abstract missing above it?"
    ]


@pytest.mark.parametrize(
    "title",
    [
        "Attention Is All You Need",
        "Segment Anything",
        "GoEX: A Survey",
        "Large language models as optimizers",
        "An empirical study of catastrophic forgetting in large language models during fine-tuning",
        "What Matters for Model Merging at Scale?",
        "Why Can GPT Learn In-Context? Language Models Implicitly Perform Gradient Descent",
        "GPT-4 vs. Human Translators: A Comprehensive Evaluation of Translation Quality",
        "U.S. Patent Classification with Transformers",
        "Kimi k1.5: Scaling Reinforcement Learning with LLMs",
        "Do We Still Need Clinical Language Models?",
        ENTRIES[2][0],
    ],
)
def test_titles_of_every_style_read_as_titles(title: str) -> None:
    assert shape((title,)) is Shape.TITLE, score(title)


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("Vision transformers need registers.", Shape.UNSURE),
        ("A survey of recent advances in retrieval-augmented generation.", Shape.UNSURE),
        ("Code and data: https://github.com/example/repo", Shape.UNSURE),
        ("Large language models hallucinate. We measure how often, and why.", Shape.ABSTRACT),
        ("We release the weights of a 7B model trained on 2T tokens.", Shape.ABSTRACT),
        ("We prove a regret bound of $O(\\sqrt{T})$ for the proposed algorithm.", Shape.ABSTRACT),
        ("Tags such as <think> are stripped; we report accuracy on answers alone.", Shape.ABSTRACT),
    ],
)
def test_short_abstracts_never_lean_towards_a_title(abstract: str, expected: Shape) -> None:
    assert shape((abstract,)) is expected
    assert score(abstract) >= 0


def test_a_wrapped_paragraph_is_an_abstract() -> None:
    assert shape(("Attention Is All You Need", "Segment Anything")) is Shape.ABSTRACT


@pytest.mark.parametrize("text", ["T", "Abstract one", "first text", "0000000000A A", "#1 ?"])
def test_too_short_or_wordless_paragraphs_never_lean_towards_a_title(text: str) -> None:
    assert score(text) >= 0


@given(st.text(min_size=LONG_CHARS + 1).map(str.strip).filter(lambda t: len(t) > LONG_CHARS))
def test_a_paragraph_longer_than_any_title_leans_towards_an_abstract(text: str) -> None:
    assert score(text) >= 1


_FRAGMENTS = ["We ", " we ", " our ", " Title", " case", ". ", ".", "?", " http://x", ": "]


@settings(max_examples=500)
@given(st.lists(st.sampled_from([*_FRAGMENTS, " e.g. ", " A", "z", " 1", " " + "x" * 90])))
def test_the_walks_shortcuts_agree_with_the_score(fragments: list[str]) -> None:
    text = "".join(fragments).strip()
    if text:
        assert _may_be_title((text,)) == (score(text) < ABSTRACT_AT_LEAST)
        assert _may_be_abstract((text,)) == (score(text) >= 0)


def test_abbreviations_and_initials_do_not_end_sentences() -> None:
    sentence = "Models such as GPT-4 vs. Humans and U.S. Agencies, e.g. The Census Bureau"
    assert score(sentence) == score(sentence.replace(".", ""))
    assert score("It ends. Then Another begins") - score("It ends Then Another begins") == 2


def seed_entries() -> list[list[tuple[str, str]]]:
    files, _, errors = read_folder(REPO / "content")
    assert errors == []
    return [[(e.title, e.abstract) for e in file.entries] for file in files]


SEEDS = seed_entries()


def test_every_paragraph_of_the_seeds_reads_as_what_it_is() -> None:
    pairs = [pair for entries in SEEDS for pair in entries]
    assert {shape((title,)) for title, _ in pairs} == {Shape.TITLE}
    assert {shape((abstract,)) for _, abstract in pairs} == {Shape.ABSTRACT}


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, len(SEEDS) - 1),
    st.sets(st.integers(0, 79), max_size=6),
    st.sets(st.integers(0, 79), max_size=20),
)
def test_deleting_any_abstracts_of_a_seed_gives_exact_entries_and_warnings(
    dump: int, missing: set[int], cut: set[int]
) -> None:
    # Abstracts in `cut` shrink to their first sentence: missing ones beside short ones.
    entries = [
        (t, "" if i in missing else re.split(r"(?<=\.)\s+", a)[0] if i in cut else a)
        for i, (t, a) in enumerate(SEEDS[dump])
    ]
    got: Alignment = align("x.txt", paragraphs(entries))
    assert got.errors == ()
    assert [(e.title, e.abstract) for e in got.entries] == entries
    lines = [entry.source.line for entry in got.entries]
    warned = [w.line for w in got.warnings if "has no abstract" in w.message]
    assert warned == [line for line, (_, a) in zip(lines, entries, strict=True) if not a]


def test_the_accuracy_script_runs_and_finds_nothing_wrong(
    capsys: pytest.CaptureFixture[str],
) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from align_accuracy import main

    assert main(["--trials", "40", "--corpus", "10"]) == 0
    out = capsys.readouterr().out
    assert "| seeds | 448 | 448 | 0 | 0 | 448 | 448 | 0 | 0 |" in out
    rows = [line for line in out.splitlines() if line.startswith("| seeds, ")]
    assert len(rows) == 3 and all(" / " in row for row in rows)


def test_the_readme_states_the_thresholds_the_code_has() -> None:
    readme = " ".join((REPO / "README.md").read_text().split())
    assert (
        f"A score of \u2212{-TITLE_AT_MOST} or less is certainly a title, "
        f"{ABSTRACT_AT_LEAST} or more certainly an abstract"
    ) in readme
    assert f"| longer than {LONG_CHARS} characters, which no title is |" in readme
    assert f"| shorter than {SHORT_CHARS} characters, or fewer" in readme
