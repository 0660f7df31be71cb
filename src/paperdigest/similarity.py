"""Similarity of papers' texts: TF-IDF vectors, and each paper's most similar others.

Built for static builds of up to 100,000 papers: the similarity product runs in row chunks
of a sparse matrix and keeps only each row's best few. A row's candidates are its `window`
most similar others above `MIN_SIMILARITY` (ties by row), with the words they share; its
list is the first of them that share `MIN_SHARED` words (`pick`). Both are defined exactly,
so that `related` can update them from part of the rows and get what a computation from
scratch gets.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]

from .candidates import Candidates, joined, rank_in_runs
from .word_counts import Counts

MIN_SIMILARITY = 0.1
"""Cosine similarity a pair needs to be listed at all."""
MIN_DF = 2
"""Terms in fewer papers are left out: a term in one paper cannot relate two."""
COMMON_SHARE = 0.5
"""Terms in more than this share of papers are left out: they tell papers apart too little."""
MAX_DF = 256
"""Terms in more papers than this are left out, so each paper's share of the similarity
product (the sum of its terms' document frequencies) stays bounded as the library grows."""
SHARED = 3
"""How many shared words each related paper shows."""
MIN_SHARED = 2
"""Words a pair must share to be listed: one word in common (`models`) is a coincidence."""
WINDOW = 4
"""Candidates kept per row, times `count`, before those sharing too few words are dropped."""
CHUNK_WORK = 10_000_000
"""Multiply-adds of the similarity product per row chunk: bounds its memory."""
BUCKETS = 256
"""Similarity buckets per row that find which candidates can be among its best."""
SCALE = 1_000_000
"""Similarities are compared as integer millionths, so float noise cannot flip a tie."""


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
    words: tuple[str, ...],
    names: tuple[str, ...],
    rows: np.ndarray,
    window: int,
    count: int,
    columns: np.ndarray | None = None,
) -> Candidates:
    """For each of `rows` (ascending), its `window` most similar other rows among `columns`
    (by default all), best first, ties by index, with the shared words of the first `count`
    that share enough; rows are named by `names` and columns of `weights` by `words`."""
    others = weights if columns is None else weights[columns]
    transposed = others.T.tocsr()
    df = np.diff(transposed.indptr).astype(np.int64)
    # Work per row is the sum of its terms' document frequencies: chunks bound it, not rows.
    row_work = (weights[rows].astype(bool).astype(np.int64) @ df).ravel().tolist()
    found = [Candidates.none(names, words)]
    start, total = 0, 0
    for index, cost in enumerate([*row_work, CHUNK_WORK + 1]):
        if (total + cost > CHUNK_WORK and index > start) or index == len(row_work):
            chunk = rows[start:index]
            found.append(_chunk(weights, transposed, words, names, chunk, window, count, columns))
            start, total = index, 0
        total += cost
    return joined(found)


def _chunk(
    weights: sp.csr_matrix,
    transposed: sp.csr_matrix,
    words: tuple[str, ...],
    names: tuple[str, ...],
    rows: np.ndarray,
    window: int,
    count: int,
    columns: np.ndarray | None,
) -> Candidates:
    """`best_pairs` for one chunk of rows."""
    product = (weights[rows] @ transposed).tocsr()
    local = np.repeat(np.arange(len(rows), dtype=np.int64), np.diff(product.indptr))
    col_of = product.indices if columns is None else columns[product.indices]
    similarity = np.rint(product.data.astype(np.float64) * SCALE).astype(np.int64)
    del product
    keep = (similarity >= round(MIN_SIMILARITY * SCALE)) & (col_of != rows[local])
    keep &= _may_be_best(local, similarity, keep, len(rows), window)
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
    picked = rank_in_runs(row_of) < window
    row_of, col_of, similarity = row_of[picked], col_of[picked], similarity[picked]
    # Row i: pair i's words, each weighed by what it adds to the pair's similarity.
    both = weights[row_of].multiply(weights[col_of]).tocsr()
    overlap = np.diff(both.indptr).astype(np.int64)
    # Only a pair that can be listed needs its shared words: one of the first `count` of
    # its row that share enough. (Merging a rebuild's candidates never lifts another.)
    passing = overlap >= MIN_SHARED
    listed = np.flatnonzero(passing & (rank_in_runs(row_of, passing) < count))
    lengths, terms = _shared(both[listed])
    shown = np.zeros(len(row_of), dtype=np.int64)
    shown[listed] = lengths
    term_starts = np.r_[0, np.cumsum(shown)].astype(np.int64)
    return Candidates(names, words, row_of, col_of, similarity, overlap, term_starts, terms)


def _may_be_best(
    local: np.ndarray, similarity: np.ndarray, keep: np.ndarray, rows: int, window: int
) -> np.ndarray:
    """Which candidates are in or above the similarity bucket that holds their row's
    `window`-th best kept one: all that can be picked, found without sorting all of them."""
    # A histogram per row, best bucket first; a row with fewer than `window` keeps all.
    bucket = (BUCKETS - 1) - np.minimum(similarity * BUCKETS // (SCALE + 1), BUCKETS - 1)
    counts = np.bincount(local[keep] * BUCKETS + bucket[keep], minlength=rows * BUCKETS)
    better = np.cumsum(counts.reshape(rows, BUCKETS), axis=1)
    lowest = np.minimum((better < window).sum(axis=1), BUCKETS - 1)
    may: np.ndarray = bucket <= lowest[local]
    return may


def _shared(both: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """For each pair, given as a row of what each word adds to its similarity, how many
    words it shows (`SHARED` at most), and the words it shows, those that add most."""
    both.sort_indices()  # a slice of the caller's: sorting it in place changes nothing there
    pair = np.repeat(np.arange(both.shape[0]), np.diff(both.indptr))
    weight = np.rint(both.data.astype(np.float64) * SCALE)
    # By pair, then most weight, then word (columns are in word order).
    order = np.lexsort((both.indices, -weight, pair))
    pair, term = pair[order], both.indices[order]
    chosen = rank_in_runs(pair) < SHARED
    lengths = np.bincount(pair[chosen], minlength=both.shape[0]).astype(np.int64)
    return lengths, term[chosen].astype(np.int64)
