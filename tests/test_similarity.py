"""Each row's best candidates are those a sort of all its similarities gives."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from paperdigest import similarity
from paperdigest.similarity import MIN_SIMILARITY, SCALE, best_pairs

# Weights in eighths up to a half over four words: every product is exact in float32, so
# the brute force below and the sparse product agree to the last bit, ties and all.
matrices = st.integers(2, 40).flatmap(
    lambda rows: st.lists(
        st.lists(st.integers(0, 4), min_size=4, max_size=4), min_size=rows, max_size=rows
    )
)


def _by_brute_force(dense: np.ndarray, window: int) -> list[tuple[int, int, int]]:
    """Every row's `window` most similar others, by sorting all of its similarities."""
    likeness = np.rint((dense @ dense.T).astype(np.float64) * SCALE).astype(np.int64)
    found = []
    for row in range(len(dense)):
        others = [
            (-int(likeness[row, other]), other)
            for other in range(len(dense))
            if other != row and likeness[row, other] >= round(MIN_SIMILARITY * SCALE)
        ]
        found += [(row, other, -negative) for negative, other in sorted(others)[:window]]
    return found


@settings(max_examples=200, deadline=None)
@given(
    matrices, st.integers(1, 6), st.sampled_from([1, 50, 10_000_000]), st.sampled_from([1, 3, 256])
)
def test_best_pairs_are_the_best_of_all_similarities(
    cells: list[list[int]], window: int, chunk_work: int, buckets: int
) -> None:
    dense = np.array(cells, dtype=np.float32) / 8
    weights = sp.csr_matrix(dense)
    names = tuple(f"p{index:03}" for index in range(len(cells)))
    # Small chunks and coarse buckets too: neither may change what a row is given.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(similarity, "CHUNK_WORK", chunk_work)
        patch.setattr(similarity, "BUCKETS", buckets)
        found = best_pairs(weights, ("a", "b", "c", "d"), names, np.arange(len(cells)), window, 2)
    pairs = list(
        zip(found.owner.tolist(), found.other.tolist(), found.likeness.tolist(), strict=True)
    )
    assert pairs == _by_brute_force(dense, window)
