"""Similarity of papers' texts: TF-IDF vectors, and each paper's most similar others.

Built for static builds of up to 100,000 papers: the similarity product runs in row chunks
of a sparse matrix and keeps only each row's best few. A row's candidates are its `window`
most similar others above `MIN_SIMILARITY` (ties by row), with the words they share; its
list is the first of them that share `MIN_SHARED` words (`pick`). Both are defined exactly,
so that `related` can update them from part of the rows and get what a computation from
scratch gets.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]

from .stop_words import STOP_WORDS

Pair = tuple[int, str, tuple[str, ...], int]
"""Another row as a row's candidate: its similarity in millionths, its name, the words the
two share that weigh most (if it can be listed), and how many words they share."""

MIN_SIMILARITY = 0.1
"""Cosine similarity a pair needs to be listed at all."""
MIN_DF = 2
"""Terms in fewer papers are left out: a term in one paper cannot relate two."""
COMMON_SHARE = 0.5
"""Terms in more than this share of papers are left out: they tell papers apart too little."""
MAX_DF = 256
"""Terms in more papers than this are left out, so each paper's share of the similarity
product (the sum of its terms' document frequencies) stays bounded as the library grows."""
TITLE_WEIGHT = 2
"""How many times a title's words count, against once for the abstract's."""
SHARED = 3
"""How many shared words each related paper shows."""
MIN_SHARED = 2
"""Words a pair must share to be listed: one word in common (`models`) is a coincidence."""
WINDOW = 4
"""Candidates kept per row, times `count`, before those sharing too few words are dropped."""
CHUNK_WORK = 10_000_000
"""Multiply-adds of the similarity product per row chunk: bounds its memory."""
SCALE = 1_000_000
"""Similarities are compared as integer millionths, so float noise cannot flip a tie."""

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
        if list(words) != sorted(set(words)):
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


def tf_idf(counts: Counts, papers: int, reference: np.ndarray) -> tuple[sp.csr_matrix, list[str]]:
    """Rows of unit length for the first `papers` rows of `counts`, weighted by the
    statistics of its rows `reference`; and the word of each column."""
    matrix = counts.matrix
    reference_counts = matrix[reference]
    reference_df = np.bincount(reference_counts.indices, minlength=matrix.shape[1])
    common = min(COMMON_SHARE * reference_counts.shape[0], MAX_DF)
    # Columns stay in word order, so shared words tie by word and sums run in one order.
    kept = [
        (word, index) for index, word in enumerate(counts.words) if reference_df[index] <= common
    ]
    kept_columns = np.array([index for _, index in kept], dtype=np.int64)
    weights = weigh(matrix[:papers][:, kept_columns].tocsr(), reference_counts[:, kept_columns])
    # A word of one paper adds nothing to any similarity: dropped only now, after the norm,
    # so that a second paper using it later leaves the first's vector as it was.
    df = np.bincount(weights.indices, minlength=weights.shape[1])
    shared = np.flatnonzero(df >= MIN_DF)
    weights = weights[:, shared].tocsr()
    weights.sort_indices()
    return weights.astype(np.float32), [kept[column][0] for column in shared]


def weigh(counts: sp.csr_matrix, reference: sp.csr_matrix) -> sp.csr_matrix:
    """TF-IDF rows of unit length, as scikit-learn's `TfidfTransformer(sublinear_tf=True)`
    fitted on `reference` gives them: 1 + ln(count) times 1 + ln((1 + n) / (1 + df))."""
    df = np.bincount(reference.indices, minlength=reference.shape[1])
    idf = np.log((1 + reference.shape[0]) / (1 + df)) + 1
    # Sublinear term frequency: a word said five times is not five times as telling.
    weights = counts.astype(np.float64)
    weights.data = np.log(weights.data) + 1
    weights = (weights @ sp.diags(idf)).tocsr()
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return (sp.diags(1 / norms) @ weights).tocsr()


def best_pairs(
    weights: sp.csr_matrix,
    words: list[str],
    names: Sequence[str],
    rows: np.ndarray,
    window: int,
    count: int,
    columns: np.ndarray | None = None,
) -> dict[str, list[Pair]]:
    """For each of `rows` by its name, its `window` most similar other rows among `columns` (by
    default all), best first, ties by index, with the shared words of the first `count`
    that share enough; rows without any are left out."""
    others = weights if columns is None else weights[columns]
    transposed = others.T.tocsr()
    df = np.diff(transposed.indptr).astype(np.int64)
    # Work per row is the sum of its terms' document frequencies: chunks bound it, not rows.
    row_work = (weights[rows].astype(bool).astype(np.int64) @ df).ravel().tolist()
    found: dict[str, list[Pair]] = {}
    start, total = 0, 0
    for index, cost in enumerate([*row_work, CHUNK_WORK + 1]):
        if (total + cost > CHUNK_WORK and index > start) or index == len(row_work):
            chunk = rows[start:index]
            found |= _chunk(weights, transposed, words, names, chunk, window, count, columns)
            start, total = index, 0
        total += cost
    return found


def _chunk(
    weights: sp.csr_matrix,
    transposed: sp.csr_matrix,
    words: list[str],
    names: Sequence[str],
    rows: np.ndarray,
    window: int,
    count: int,
    columns: np.ndarray | None,
) -> dict[str, list[Pair]]:
    """`best_pairs` for one chunk of rows."""
    product = (weights[rows] @ transposed).tocsr()
    local = np.repeat(np.arange(len(rows), dtype=np.int64), np.diff(product.indptr))
    col_of = product.indices if columns is None else columns[product.indices]
    similarity = np.rint(product.data.astype(np.float64) * SCALE).astype(np.int64)
    del product
    keep = (similarity >= round(MIN_SIMILARITY * SCALE)) & (col_of != rows[local])
    # One int64 per candidate, sorted once: by row, then best first, then by index; a
    # total order, so any part of it is exact.
    col_bits = max(1, weights.shape[0].bit_length())
    sim_bits = (2 * SCALE).bit_length()
    assert local.size == 0 or len(rows).bit_length() + sim_bits + col_bits < 63
    keys = np.sort(
        (local[keep] << (sim_bits + col_bits))
        | ((2 * SCALE - similarity[keep]) << col_bits)
        | col_of[keep].astype(np.int64)
    )
    del local, col_of, similarity, keep
    row_of = rows[keys >> (sim_bits + col_bits)]
    similarity = 2 * SCALE - ((keys >> col_bits) & ((1 << sim_bits) - 1))
    col_of = keys & ((1 << col_bits) - 1)
    rank = _rank(row_of)
    picked = rank < window
    row_of, col_of, similarity = row_of[picked], col_of[picked], similarity[picked]
    # Row i: pair i's words, each weighed by what it adds to the pair's similarity.
    both = weights[row_of].multiply(weights[col_of]).tocsr()
    overlap = np.diff(both.indptr)
    # Only a pair that can be listed needs its shared words: one of the first `count` of
    # its row that share enough. (Merging a rebuild's candidates never lifts another.)
    passing = overlap >= MIN_SHARED
    listed = passing & (_rank(row_of, passing) < count)
    terms: list[tuple[str, ...]] = [()] * len(row_of)
    for index, shared in zip(
        np.flatnonzero(listed).tolist(),
        _shared(both[listed], words),
        strict=True,
    ):
        terms[index] = shared
    found: dict[str, list[Pair]] = {}
    named = [names[col] for col in col_of.tolist()]
    for row, name, sim, words_, n in zip(
        row_of.tolist(), named, similarity.tolist(), terms, overlap.tolist(), strict=True
    ):
        found.setdefault(names[row], []).append((sim, name, words_, n))
    return found


def _rank(groups: np.ndarray, counted: np.ndarray | None = None) -> np.ndarray:
    """For each item of runs of equal `groups`, how many items before it in its run are
    `counted` (by default all)."""
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(groups) else groups
    lengths = np.diff(np.r_[starts, len(groups)])
    before = np.arange(len(groups)) if counted is None else np.cumsum(counted) - counted
    rank: np.ndarray = before - np.repeat(before[starts], lengths)
    return rank


def _shared(both: sp.csr_matrix, words: list[str]) -> list[tuple[str, ...]]:
    """For each pair, given as a row of what each word adds to its similarity, the
    `SHARED` words that add most."""
    if not both.shape[0]:
        return []
    both.sort_indices()  # a slice of the caller's: sorting it in place changes nothing there
    pair = np.repeat(np.arange(both.shape[0]), np.diff(both.indptr))
    weight = np.rint(both.data.astype(np.float64) * SCALE)
    # By pair, then most weight, then word (columns are in word order).
    order = np.lexsort((both.indices, -weight, pair))
    pair, term = pair[order], both.indices[order]
    chosen = _rank(pair) < SHARED
    shared: list[list[str]] = [[] for _ in range(both.shape[0])]
    for index, column in zip(pair[chosen].tolist(), term[chosen].tolist(), strict=True):
        shared[index].append(words[column])
    return [tuple(terms) for terms in shared]
