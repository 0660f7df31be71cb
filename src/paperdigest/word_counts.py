"""Word counts of papers' texts, read for related papers: a row per text, columns in word order.

Texts are read in batches by C code (`bytes.translate`, `bytes.split`, a dict's
`__getitem__` through `map`), not word by word in Python. A text's counts depend on the
text alone, so a rebuild counts only texts it has not counted (`related.RelatedMemo`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]

from .stop_words import STOP_WORDS

TITLE_WEIGHT = 2
"""How many times a title's words count, against once for the abstract's."""

# `$...$`, `$$...$$`, `\(...\)`, `\[...\]` math and `\command` names go, braces' text stays:
# `\textsc{FuseChat}` leaves `FuseChat`, and `alpha` or `mathbf` never become terms.
_LATEX = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]|\\[A-Za-z]+|\\.", re.S)
_BREAK = " \x01 "
"""Ends each text of a batch, as a token of its own."""
BATCH = 5_000
"""Texts read at once: one pass of C over each batch, not a Python step per text."""
# Bytes, not str: `bytes.translate` and `bytes.split` run at C speed. ASCII letters and
# digits stay, other ASCII becomes a space, and UTF-8 bytes stay so `Schrödinger` is one
# token; a token with non-ASCII punctuation in it is dropped later with its vocabulary entry.
_SPACES = bytes(c if c >= 128 or c == 1 or chr(c).isalnum() else 32 for c in range(256))


def ascending(items: Sequence[str]) -> bool:
    """Whether each item is greater than the one before: sorted, and none twice."""
    # One pass, not `sorted(set(items))`: a cache loads 100,000s of words and slugs.
    return all(map(str.__lt__, items[:-1], items[1:]))


def is_word(token: str) -> bool:
    """Whether a token may be a term: two or more letters or digits, one a letter, no stop word."""
    return (
        len(token) > 1
        and token.isalnum()
        and any(c.isalpha() for c in token)
        and token not in STOP_WORDS
    )


@dataclass(frozen=True)
class Counts:
    """How often each word is in each of some texts: a row per text, and columns in word
    order, so that every sum over a row's words runs in one order, whatever else was counted
    with it. That is what lets a rebuild count only new texts and get a cold build's sums."""

    words: tuple[str, ...]
    """The vocabulary, sorted: the word of each column; only words (`is_word`)."""
    matrix: sp.csr_matrix
    """The counts, with each row's columns sorted."""

    def rows(self, rows: Sequence[int]) -> Counts:
        """These rows, in this order, over the same vocabulary."""
        return Counts(self.words, self.matrix[np.asarray(rows, dtype=np.int64)])

    def to_parts(self) -> tuple[str, int, bytes, bytes, bytes]:
        """Plain values to save: a cache loads nothing but plain values."""
        matrix = self.matrix
        return (
            "\n".join(self.words),  # a word has no white space in it
            matrix.shape[0],
            matrix.indptr.astype(np.int64).tobytes(),
            matrix.indices.astype(np.int32).tobytes(),
            matrix.data.astype(np.float32).tobytes(),
        )

    @classmethod
    def from_parts(cls, parts: tuple[str, int, bytes, bytes, bytes]) -> Counts:
        """Counts from what `to_parts` gave; ValueError if they do not fit together."""
        text, rows, indptr, indices, data = parts
        words = tuple(text.split("\n")) if text else ()
        if not ascending(words):
            raise ValueError("the words are not in order")
        matrix = sp.csr_matrix(
            (
                np.frombuffer(data, np.float32).copy(),
                np.frombuffer(indices, np.int32).copy(),
                np.frombuffer(indptr, np.int64).copy(),
            ),
            shape=(rows, len(words)),
        )
        matrix.check_format(full_check=True)
        if not matrix.has_sorted_indices:
            raise ValueError("a row's words are not in order")
        return cls(words, matrix)

    def pruned(self) -> Counts:
        """The same rows over the words they use."""
        used = np.flatnonzero(np.bincount(self.matrix.indices, minlength=len(self.words)))
        if len(used) == len(self.words):  # as after most rebuilds: no copy (0.5 s, large)
            return self
        return Counts(tuple(self.words[i] for i in used.tolist()), self.matrix[:, used].tocsr())


def count_words(texts: Sequence[tuple[str, str]]) -> Counts:
    """The words of (title, abstract) texts: the title's count `TITLE_WEIGHT` times."""
    # The vocabulary numbers each new token as it is first met, all in C (no Python per
    # token); the break between texts is number 0.
    vocabulary: defaultdict[bytes, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    vocabulary[_BREAK.strip().encode()]  # noqa: B018 (numbers it 0)
    indices: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    done = 0
    every = [(f"{title} " * TITLE_WEIGHT + abstract) for title, abstract in texts]
    for start in range(0, len(every), BATCH):
        batch = "".join(
            # Math is read text by text, so that a lone `$` cannot run into the next one.
            (_LATEX.sub(" ", text) if "\\" in text or "$" in text else text) + _BREAK
            for text in every[start : start + BATCH]
        )
        tokens = batch.lower().encode().translate(_SPACES).split()
        # Looked up in C, numbering new tokens as met, straight into an array.
        ids = np.fromiter(map(vocabulary.__getitem__, tokens), np.int32, len(tokens))
        breaks = np.flatnonzero(ids == 0)
        ends.append(breaks - np.arange(len(breaks)) + done)
        indices.append(ids[ids != 0] - 1)
        done += len(indices[-1])
    columns = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int32)
    indptr = np.concatenate([[0], *ends]).astype(np.int64)
    counts = sp.csr_matrix(
        (np.ones(len(columns), dtype=np.float32), columns, indptr),
        shape=(len(every), len(vocabulary) - 1),
    )
    counts.sum_duplicates()
    # Only words are kept (never a stop word), in word order (UTF-8 sorts as text does).
    words = sorted(
        (word, index - 1)
        for token, index in vocabulary.items()
        if index and is_word(word := token.decode())
    )
    counts = counts[:, np.array([index for _, index in words], dtype=np.int64)].tocsr()
    counts.sort_indices()
    return Counts(tuple(word for word, _ in words), counts)


def combined(parts: Sequence[Counts]) -> Counts:
    """The rows of every part, one part after another, over one vocabulary in word order."""
    words = sorted(set().union(*(part.words for part in parts)))
    column = {word: index for index, word in enumerate(words)}
    matrices = []
    for part in parts:
        # Word order is kept, so each row's columns stay sorted.
        renumbered = np.array([column[word] for word in part.words], dtype=np.int32)
        matrix = part.matrix
        matrices.append(
            sp.csr_matrix(
                (matrix.data, renumbered[matrix.indices], matrix.indptr),
                shape=(matrix.shape[0], len(words)),
            )
        )
    if not matrices:
        return Counts((), sp.csr_matrix((0, 0), dtype=np.float32))
    return Counts(tuple(words), sp.vstack(matrices, format="csr"))
