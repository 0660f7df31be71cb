"""Teasers: the first sentence or two of an abstract, and the rest, which read as the whole."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from paperdigest import latex
from paperdigest.plan.teaser import TEASER_CHARS, split_teaser

LONG = "It goes on. " * 30


def test_a_short_abstract_is_its_own_teaser() -> None:
    assert split_teaser("We do it. It works.") == ("We do it. It works.", "")


def test_the_teaser_is_a_sentence_and_a_short_one_takes_the_next() -> None:
    first = "We study, at length and with care, a question that matters to many readers: " * 2
    assert split_teaser(f"{first}. Then more. {LONG}") == (f"{first}.", f"Then more. {LONG}")
    short = "We study it."
    teaser, _ = split_teaser(f"{short} The second sentence says what we found. {LONG}")
    assert teaser == f"{short} The second sentence says what we found."


def test_abbreviations_and_initials_do_not_end_a_teaser() -> None:
    text = "Agents (e.g. Toolformer) and methods of J. R. Smith et al. work well. " + LONG
    first = "Agents (e.g. Toolformer) and methods of J. R. Smith et al. work well."
    assert split_teaser(text)[0] == f"{first} It goes on."


def test_without_a_sentence_end_the_teaser_stops_between_words() -> None:
    teaser, rest = split_teaser("word " * 100)
    assert teaser.endswith("word…") and len(teaser) <= TEASER_CHARS + 1
    assert rest.startswith("word")


def test_math_and_latex_groups_are_never_cut() -> None:
    # The first sentence end falls inside the math and inside the bold group: neither is used.
    math = "We bound $a. B$ and more. " + LONG
    assert split_teaser(math)[0] == "We bound $a. B$ and more. It goes on."
    bold = r"We show \textbf{this. Really} holds for every case we could find. " + LONG
    assert split_teaser(bold)[0].startswith(r"We show \textbf{this. Really} holds")


_words = st.sampled_from([
    "We", "study", "it.", "e.g.", "J.", "R.", "$x$", "$a.", "B$", "\\textbf{Bold", "text}",
    "It", "works!", "Why?", "https://github.com/a/b.", "(see", "Fig.", "3).",
])  # fmt: skip


@given(st.lists(_words, min_size=1, max_size=120))
def test_teaser_and_rest_are_the_whole_abstract_and_its_latex_reads_the_same(
    words: list[str],
) -> None:
    text = " ".join(words)
    teaser, rest = split_teaser(text)
    assert len(teaser) <= TEASER_CHARS + 1
    whole = teaser.removesuffix("…") + (" " if rest else "") + rest
    assert whole == text
    assert latex.plain(teaser.removesuffix("…")) + (" " if rest else "") + latex.plain(
        rest
    ) == latex.plain(text)
