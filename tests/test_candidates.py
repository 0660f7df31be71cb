"""Packed candidates: what the related memo keeps from build to build."""

from __future__ import annotations

import numpy as np
import pytest

from paperdigest.candidates import Candidates, Related, joined

NAMES = ("a", "b", "c", "d")
WORDS = ("graph", "robot", "slam")


def block(*candidates: tuple[str, str, int, int, tuple[str, ...]]) -> Candidates:
    """Candidates from (owner, other, likeness, overlap, shown words), in the order given."""
    lengths = [len(terms) for *_, terms in candidates]

    def ints(values: list[int]) -> np.ndarray:
        return np.array(values, dtype=np.int64)

    return Candidates(
        NAMES,
        WORDS,
        ints([NAMES.index(owner) for owner, *_ in candidates]),
        ints([NAMES.index(other) for _, other, *_ in candidates]),
        ints([likeness for _, _, likeness, _, _ in candidates]),
        ints([overlap for _, _, _, overlap, _ in candidates]),
        ints([0, *np.cumsum(lengths, dtype=np.int64).tolist()]),
        ints([WORDS.index(word) for *_, terms in candidates for word in terms]),
    )


def test_ranking_puts_the_most_alike_first_ties_by_slug_and_keeps_each_words() -> None:
    mixed = joined(
        [
            block(("b", "d", 500_000, 3, ("slam",)), ("a", "c", 200_000, 2, ())),
            block(("a", "d", 900_000, 2, ("robot", "graph")), ("a", "b", 200_000, 4, ("slam",))),
        ]
    )
    assert mixed.ranked(2).to_dict() == {
        "a": ((900_000, "d", ("robot", "graph"), 2), (200_000, "b", ("slam",), 4)),
        "b": ((500_000, "d", ("slam",), 3),),
    }


def test_only_candidates_sharing_enough_words_are_listed() -> None:
    lists = block(
        ("a", "b", 900_000, 1, ()), ("a", "c", 800_000, 2, ("graph", "slam")),
        ("a", "d", 700_000, 3, ("robot",)), ("c", "a", 800_000, 2, ("slam",)),
    )  # fmt: skip
    assert lists.listed(1, 2) == {
        "a": (Related("c", ("graph", "slam")),),
        "c": (Related("a", ("slam",)),),
    }
    assert lists.listed(5, 3) == {"a": (Related("d", ("robot",)),)}


def test_holding_and_without_pick_lists_by_what_they_hold_and_whose_they_are() -> None:
    lists = block(("a", "b", 900_000, 2, ()), ("b", "c", 800_000, 2, ()), ("c", "b", 1, 2, ()))
    assert lists.holding({"b", "gone"}) == {"a", "c"}
    assert lists.without({"a", "c", "gone"}).to_dict() == {"b": ((800_000, "c", (), 2),)}


def test_renaming_keeps_the_candidates_and_refuses_a_paper_that_is_gone() -> None:
    lists = block(("a", "c", 900_000, 2, ("slam",)))
    renamed = lists.renamed(("a", "aa", "c"), ("slam",))
    assert renamed.to_dict() == lists.to_dict()
    with pytest.raises(ValueError, match="gone"):
        lists.renamed(("a", "b"), WORDS)


def test_what_is_saved_loads_as_it_was_and_what_does_not_fit_is_refused() -> None:
    lists = block(("a", "c", 900_000, 2, ("slam", "graph")), ("d", "a", 300_000, 5, ()))
    names, words, arrays = lists.to_parts()
    assert Candidates.from_parts((names, words, arrays)) == lists
    for broken in [
        (names[::-1], words, arrays),  # the slugs out of order
        (names, words, arrays[:5]),  # an array missing
        (names, words, (arrays[1], arrays[0], *arrays[2:])),  # owners out of order
        (names, words[:1], arrays),  # a shown word not in the table
        (names[:2], words, arrays),  # a candidate naming no paper
    ]:
        with pytest.raises(ValueError):
            Candidates.from_parts(broken)
