"""Related papers: each paper's most similar others (see `similarity`), from build to build.

The statistics are frozen so that a new digest changes only the lists it really changes.
Words are weighed by their document frequencies in a reference, the oldest papers up to
the largest power of two (8,192 of 10,000) as they were first listed, and a paper's vector
is normalized before words of one paper only are pruned; so two papers' likeness depends on
their own texts and the reference alone, and a new paper changes a list only by entering
it. When the library doubles, the reference doubles and every list is worked out anew,
once. Exact statistics instead drift with every paper added and reorder near-ties all
over (benchmarks/README.md, "Related papers").

That is also what lets a rebuild reuse the last build's lists (`RelatedMemo`): while the
reference is the same, only papers whose text changed, and lists that held one, are worked
out again; every other list only meets the changed papers. The memo also keeps every
text's word counts, which depend on the text alone (`word_counts.Counts`), so a rebuild
counts only new texts. The result is the same as from scratch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import similarity, word_counts
from .candidates import Candidates, Related, joined

__all__ = ["Related", "RelatedMemo", "related_papers"]
from .similarity import best_pairs, tf_idf
from .word_counts import Counts, combined, count_words

Text = tuple[str, str, str]
"""A paper as related papers read it: slug, title, abstract."""


@dataclass
class RelatedMemo:
    """Every paper's related papers as the last build worked them out."""

    epoch: str = ""
    """A digest of what the weights came from: the reference's texts and the settings."""
    texts: dict[str, str] = field(default_factory=dict)
    """A digest of each paper's text, by slug."""
    lists: Candidates = field(default_factory=lambda: Candidates.none((), ()))
    """Each paper's candidates (its `WINDOW × count` most alike others), best first; its
    related papers are the first that share enough words."""
    counts: Counts | None = None
    """The word counts of every text the last build read (current and first listed)."""
    counted: dict[str, int] = field(default_factory=dict)
    """The row of `counts` of each text, by its digest."""
    saved: bool = False
    """True while it holds what the cache folder has, so saving it again can be skipped."""

    def clear(self) -> None:
        """Forget everything: there is nothing to keep for the next build."""
        self.epoch, self.texts, self.counts, self.counted = "", {}, None, {}
        self.lists = Candidates.none((), ())
        self.saved = False


def related_papers(
    papers: Sequence[Text],
    count: int = 5,
    reference: int | None = None,
    first_texts: Mapping[str, tuple[str, str]] | None = None,
    memo: RelatedMemo | None = None,
) -> dict[str, tuple[Related, ...]]:
    """For each paper, oldest first, its `count` most related papers.

    The oldest `reference` papers (by default the largest power of two there are) weigh the
    words, with the (title, abstract) `first_texts` gives for those first listed otherwise.
    `memo` holds the last build's lists and is brought up to date.
    """
    slugs = [slug for slug, _, _ in papers]
    if len(set(slugs)) != len(slugs):
        raise ValueError("papers' slugs must be unique")
    if count <= 0 or len(slugs) < 2:
        if memo is not None:
            memo.clear()
        return dict.fromkeys(sorted(slugs), ())
    reference = reference or 1 << (len(papers).bit_length() - 1)
    first_texts = first_texts or {}
    firsts = {slug: first_texts.get(slug, (t, a)) for slug, t, a in papers[:reference]}
    # Rows in slug order, so that ties between candidates break by slug.
    ordered = sorted(papers)
    digests = {slug: _digest(f"{t}\0{a}") for slug, t, a in ordered}
    first_digests = {
        slug: digests[slug] if slug not in first_texts else _digest("\0".join(text))
        for slug, text in sorted(firsts.items())
    }
    # What weighs the words: the settings, and each reference paper's text as first listed.
    reference_texts = [slug + digest for slug, digest in first_digests.items()]
    epoch = _digest(repr(_settings(count)) + "\0".join(reference_texts))
    # A reference paper listed otherwise since counts as it was first listed.
    as_first = [firsts.get(s) == (t, a) for s, t, a in ordered]
    current = {slug: (title, abstract) for slug, title, abstract in papers}
    more = [slug for slug, text in firsts.items() if text != current[slug]]
    texts = [(title, abstract) for _, title, abstract in ordered] + [firsts[s] for s in more]
    keys = [digests[slug] for slug, _, _ in ordered] + [first_digests[s] for s in more]
    counted_before = memo.counted if memo is not None else None
    counts = _counted(texts, keys, memo)
    counts_kept = memo is not None and memo.counted == counted_before
    in_reference = [*np.flatnonzero(as_first).tolist(), *range(len(ordered), len(texts))]
    weights, words = tf_idf(counts, len(ordered), np.array(in_reference, dtype=np.int64))
    row = {slug: index for index, (slug, _, _) in enumerate(ordered)}
    names = tuple(slug for slug, _, _ in ordered)
    columns = tuple(words)
    carried = Candidates.none(names, columns)
    redo, changed, moved = set(slugs), set(slugs), set(slugs)
    if memo is not None and memo.epoch == epoch:
        changed = {slug for slug in slugs if memo.texts.get(slug) != digests[slug]}
        moved = changed | (set(memo.texts) - set(slugs))
        redo = changed | (memo.lists.holding(moved) & row.keys())
        # What a kept list holds is unchanged and still here, words and all: what changed
        # or went is in `moved`, and a list holding it is worked out again.
        carried = memo.lists.without(redo | moved).renamed(names, columns)
    window = similarity.WINDOW * count
    worked = best_pairs(weights, columns, names, _rows(redo, row), window, count)
    blocks = [worked, carried]
    rest = _rows(row.keys() - redo, row)
    if len(rest) and changed:
        # Candidates that held no changed paper only meet the changed ones.
        blocks.append(best_pairs(weights, columns, names, rest, window, count, _rows(changed, row)))
    lists = joined(blocks).ranked(window)
    if memo is not None:
        # Nothing changed, moved or was counted anew: the memo is what it was, lists and all.
        memo.saved = memo.saved and not moved and counts_kept and memo.epoch == epoch
        memo.epoch, memo.texts, memo.lists = epoch, digests, lists
    listed = lists.listed(count, similarity.MIN_SHARED)
    return {slug: listed.get(slug, ()) for slug in names}


def _counted(
    texts: Sequence[tuple[str, str]], keys: Sequence[str], memo: RelatedMemo | None
) -> Counts:
    """The word counts of `texts`, in order, by their digests `keys`: the memo's of texts it
    has counted (their counts depend on nothing else), the others' counted now; the memo
    then holds these."""
    known = memo.counted if memo is not None and memo.counts is not None else {}
    new = {key: text for key, text in zip(keys, texts, strict=True) if key not in known}
    fresh = count_words(list(new.values()))
    if known:
        assert memo is not None and memo.counts is not None
        every = combined([memo.counts, fresh])
        start = memo.counts.matrix.shape[0]
    else:
        every, start = fresh, 0
    row = {**known, **{key: start + index for index, key in enumerate(new)}}
    counts = every.rows([row[key] for key in keys])
    if memo is not None:
        memo.counts = counts.pruned()
        memo.counted = {key: index for index, key in enumerate(keys)}
    return counts


def _rows(slugs: Iterable[str], row: dict[str, int]) -> np.ndarray:
    return np.array(sorted(row[slug] for slug in slugs if slug in row), dtype=np.int64)


def _settings(count: int) -> tuple[object, ...]:
    """Everything besides texts that decides the lists."""
    return (
        count,
        similarity.MIN_SIMILARITY,
        similarity.MIN_DF,
        similarity.COMMON_SHARE,
        similarity.MAX_DF,
        word_counts.TITLE_WEIGHT,
        similarity.SHARED,
        similarity.MIN_SHARED,
        similarity.WINDOW,
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]
