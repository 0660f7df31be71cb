"""Papers' candidates for related papers, packed into flat arrays, from build to build.

At 100,000 papers the related memo holds two million candidates. As Python tuples they
took about a second to load and another to save on every build, and 280 MB of memory; as
a few integer arrays they load and save in milliseconds, and a rebuild merges the lists it
keeps with the ones it works out in one sort. A candidate is its owner (the paper whose list
it is in), the other paper, their likeness, how many words they share and, for those that
may be listed, the shared words that weigh most.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from .word_counts import ascending

Kept = tuple[int, str, tuple[str, ...], int]
"""A candidate spelled out: its likeness in millionths, slug, the shared words that weigh
most, and how many words are shared."""
_LIKENESS_BITS = 21
"""Likeness is in millionths of at most 1 (2,000,000 fits in 21 bits)."""


@dataclass(frozen=True, slots=True)
class Related:
    """A paper related to another, and why."""

    slug: str
    """The related paper's slug."""
    shared: tuple[str, ...]
    """Up to three words both papers use that weigh most in their similarity, in a fixed
    order (most weight first, ties by word)."""


@dataclass(frozen=True, eq=False)
class Candidates:
    """Some papers' candidates: runs by owner, each best first (ties by slug)."""

    names: tuple[str, ...]
    """Every paper's slug, sorted: owners and others are indices into it, so that index
    order is slug order."""
    words: tuple[str, ...]
    """The words `terms` holds indices into."""
    owner: np.ndarray
    """Each candidate's owner (int64), ascending."""
    other: np.ndarray
    """Each candidate's other paper (int64)."""
    likeness: np.ndarray
    """Each candidate's likeness in millionths (int64)."""
    overlap: np.ndarray
    """How many words each candidate shares with its owner (int64)."""
    term_starts: np.ndarray
    """Where each candidate's shown words start in `terms`, and where the last end (int64)."""
    terms: np.ndarray
    """The shown words of every candidate in turn (int64): none for those that cannot be
    listed."""

    @classmethod
    def none(cls, names: tuple[str, ...], words: tuple[str, ...]) -> Candidates:
        """No candidates at all."""
        empty = np.zeros(0, dtype=np.int64)
        return cls(names, words, empty, empty, empty, empty, np.zeros(1, np.int64), empty)

    def __len__(self) -> int:
        return len(self.owner)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Candidates):
            return NotImplemented
        arrays = ("owner", "other", "likeness", "overlap", "term_starts", "terms")
        return (self.names, self.words) == (other.names, other.words) and all(
            np.array_equal(getattr(self, name), getattr(other, name)) for name in arrays
        )

    def holding(self, slugs: Collection[str]) -> set[str]:
        """The owners with one of `slugs` among their candidates."""
        owners = np.unique(self.owner[np.isin(self.other, self._ids(slugs))])
        return {self.names[i] for i in owners.tolist()}

    def without(self, slugs: Collection[str]) -> Candidates:
        """All but the candidates of these owners."""
        return self.taken(np.flatnonzero(~np.isin(self.owner, self._ids(slugs))))

    def _ids(self, slugs: Collection[str]) -> np.ndarray:
        """The indices of those of `slugs` that are in `names`."""
        names, found = self.names, []
        for slug in slugs:  # names are sorted: a binary search, not a table of 100,000
            at = bisect_left(names, slug)
            if at < len(names) and names[at] == slug:
                found.append(at)
        return np.array(found, dtype=np.int64)

    def renamed(self, names: tuple[str, ...], words: tuple[str, ...]) -> Candidates:
        """The same candidates over other tables; ValueError if one lacks a paper or word."""
        if names == self.names and words == self.words:
            return self
        name_ids, word_ids = _map(self.names, names), _map(self.words, words)
        owner, other, terms = name_ids[self.owner], name_ids[self.other], word_ids[self.terms]
        if (owner < 0).any() or (other < 0).any() or (terms < 0).any():
            raise ValueError("a kept candidate names a paper or word that is gone")
        return Candidates(
            names, words, owner, other, self.likeness, self.overlap, self.term_starts, terms
        )

    def ranked(self, window: int) -> Candidates:
        """Each owner's `window` best, best first, ties by slug."""
        if not len(self):
            return self
        other_bits = max(1, len(self.names).bit_length())
        assert 2 * other_bits + _LIKENESS_BITS < 63
        keys = (
            (self.owner << (_LIKENESS_BITS + other_bits))
            | (((1 << _LIKENESS_BITS) - 1 - self.likeness) << other_bits)
            | self.other
        )
        order = np.argsort(keys, kind="stable")
        return self.taken(order[rank_in_runs(self.owner[order]) < window])

    def taken(self, index: np.ndarray) -> Candidates:
        """The candidates at `index`, in that order."""
        starts, lengths = self.term_starts[index], np.diff(self.term_starts)[index]
        term_starts = np.r_[0, np.cumsum(lengths)].astype(np.int64)
        picked = np.repeat(starts - term_starts[:-1], lengths) + np.arange(term_starts[-1])
        return Candidates(
            self.names,
            self.words,
            self.owner[index],
            self.other[index],
            self.likeness[index],
            self.overlap[index],
            term_starts,
            self.terms[picked],
        )

    def listed(self, count: int, min_shared: int) -> dict[str, tuple[Related, ...]]:
        """Each owner's first `count` candidates that share `min_shared` words or more."""
        passing = self.overlap >= min_shared
        chosen = np.flatnonzero(passing & (rank_in_runs(self.owner, passing) < count))
        shown = self.taken(chosen)
        if not len(shown):
            return {}
        # 400,000 related papers at 100,000 papers: made by C loops (`map`), not Python ones.
        words = np.array(self.words, dtype=object)[shown.terms].tolist()
        ends = shown.term_starts.tolist()
        shared = map(tuple, map(words.__getitem__, map(slice, ends[:-1], ends[1:])))
        names = np.array(self.names, dtype=object)
        related = list(map(Related, names[shown.other].tolist(), shared))
        runs = np.flatnonzero(np.r_[True, shown.owner[1:] != shown.owner[:-1]]).tolist()
        owners = names[shown.owner[runs]].tolist()
        return {
            owner: tuple(related[start:end])
            for owner, start, end in zip(owners, runs, [*runs[1:], len(related)], strict=True)
        }

    def to_dict(self) -> dict[str, tuple[Kept, ...]]:
        """Each owner's candidates spelled out, by slug."""
        words = [self.words[i] for i in self.terms.tolist()]
        starts = self.term_starts.tolist()
        found: dict[str, list[Kept]] = {}
        columns = (self.owner, self.other, self.likeness, self.overlap)
        for at, (owner, other, likeness, overlap) in enumerate(
            zip(*(column.tolist() for column in columns), strict=True)
        ):
            shared = tuple(words[starts[at] : starts[at + 1]])
            found.setdefault(self.names[owner], []).append(
                (likeness, self.names[other], shared, overlap)
            )
        return {slug: tuple(kept) for slug, kept in found.items()}

    def to_parts(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[bytes, ...]]:
        """Plain values to save: a cache loads nothing but plain values."""
        arrays = (self.owner, self.other, self.likeness, self.overlap, self.term_starts, self.terms)
        return self.names, self.words, tuple(a.astype(np.int32).tobytes() for a in arrays)

    @classmethod
    def from_parts(
        cls, parts: tuple[tuple[str, ...], tuple[str, ...], tuple[bytes, ...]]
    ) -> Candidates:
        """Candidates from what `to_parts` gave; ValueError if they do not fit together."""
        names, words, arrays = parts
        if not (isinstance(names, tuple) and isinstance(words, tuple) and len(arrays) == 6):
            raise ValueError("not candidates")
        if not ascending(names) or len(set(words)) != len(words):
            raise ValueError("the tables are not in order")
        owner, other, likeness, overlap, term_starts, terms = (
            np.frombuffer(part, dtype=np.int32).astype(np.int64) for part in arrays
        )
        if not len(owner) == len(other) == len(likeness) == len(overlap) == len(term_starts) - 1:
            raise ValueError("the arrays do not fit together")
        if ((owner < 0) | (owner >= len(names)) | (other < 0) | (other >= len(names))).any():
            raise ValueError("a candidate names no paper")
        if term_starts[0] != 0 or (np.diff(term_starts) < 0).any() or (np.diff(owner) < 0).any():
            raise ValueError("a candidate is out of place")
        if term_starts[-1] != len(terms) or ((terms < 0) | (terms >= len(words))).any():
            raise ValueError("a shown word is not in the table")
        return cls(names, words, owner, other, likeness, overlap, term_starts, terms)


def rank_in_runs(groups: np.ndarray, counted: np.ndarray | None = None) -> np.ndarray:
    """For each item of runs of equal `groups`, how many items before it in its run are
    `counted` (by default all)."""
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(groups) else groups
    lengths = np.diff(np.r_[starts, len(groups)])
    before = np.arange(len(groups)) if counted is None else np.cumsum(counted) - counted
    rank: np.ndarray = before - np.repeat(before[starts], lengths)
    return rank


def joined(blocks: Sequence[Candidates]) -> Candidates:
    """Blocks over the same tables in one, in order."""
    first = blocks[0]
    ends = np.cumsum([len(block.terms) for block in blocks])
    term_starts = [blocks[0].term_starts[:-1]]
    term_starts += [b.term_starts[:-1] + end for b, end in zip(blocks[1:], ends, strict=False)]

    def together(name: str) -> np.ndarray:
        return np.concatenate([getattr(block, name) for block in blocks])

    return Candidates(
        first.names,
        first.words,
        together("owner"),
        together("other"),
        together("likeness"),
        together("overlap"),
        np.r_[np.concatenate(term_starts), ends[-1]].astype(np.int64),
        together("terms"),
    )


def _map(old: Sequence[str], new: Sequence[str]) -> np.ndarray:
    """Each of `old`'s index in `new`, or -1."""
    index = {name: i for i, name in enumerate(new)}
    return np.array([index.get(name, -1) for name in old], dtype=np.int64)
