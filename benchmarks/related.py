"""Related papers over the benchmark corpus: time, peak memory, and stability when one
30-paper digest is added (frozen statistics, as the build uses, against exact ones).

    .venv/bin/python benchmarks/related.py medium|large [--work DIR] [--sweep]

The corpus is written fresh into the work folder (`corpus.py` is deterministic and its
generator is needed to add the digest), read as a build reads it, and the same digest as
`run.py`'s incremental measure (27 new papers, 3 repeats) is added. `--sweep` also times
other cut-offs for common terms. Quality is measured by the corpus's own construction:
papers are made of seed sentences, so a good neighbour shares sentences with the paper.
"""

from __future__ import annotations

import argparse
import gc
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import SIZES, add_digest, write_corpus  # noqa: E402
from paperdigest import related, similarity  # noqa: E402
from paperdigest.build import read_library  # noqa: E402
from paperdigest.derive import related_order  # noqa: E402

Papers = list[tuple[str, str, str]]
Lists = dict[str, tuple[related.Related, ...]]


def papers_of(content: Path) -> Papers:
    """Every paper of a content folder as (slug, title, abstract), oldest first, as the
    build gives them."""
    _, library = read_library(content)
    return [(p.slug, p.title, p.abstract.text) for p in related_order(library.papers)]


def peak_rss_reset() -> None:
    """Reset the kernel's peak-RSS mark of this process (Linux: `clear_refs` 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def rss(field: str) -> int:
    """A `VmRSS`/`VmHWM` figure of this process, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


@contextmanager
def cap(max_df: int | None) -> Iterator[None]:
    """Run with another cut-off for common terms, restoring it after."""
    saved = similarity.MAX_DF
    similarity.MAX_DF = saved if max_df is None else max_df
    try:
        yield
    finally:
        similarity.MAX_DF = saved


def reference(frozen: bool, papers: Papers) -> int | None:
    """The build's reference (None: the oldest power of two), or every paper: exact."""
    return None if frozen else len(papers)


def measured(
    papers: Papers, frozen: bool, memo: related.RelatedMemo | None = None
) -> tuple[Lists, float, int]:
    """`related_papers` over `papers`, its seconds, and its peak memory beyond the start."""
    gc.collect()
    peak_rss_reset()
    before = rss("VmRSS")
    started = time.perf_counter()
    lists = related.related_papers(papers, reference=reference(frozen, papers), memo=memo)
    seconds = time.perf_counter() - started
    return lists, seconds, rss("VmHWM") - before


def sentences(text: str) -> set[str]:
    """The seed sentences an abstract was made of, split as `corpus.py` joins them."""
    return {s.strip() for s in re.split(r"(?<=\.)\s+", text) if s.strip()}


def quality(papers: Papers, lists: Lists) -> tuple[float, float, float]:
    """Mean seed sentences shared with each listed paper, share of listed papers sharing
    none, and the mean list length."""
    made = {slug: sentences(abstract) for slug, _, abstract in papers}
    pairs = [(slug, other.slug) for slug, listed in lists.items() for other in listed]
    common = [len(made[a] & made[b]) for a, b in pairs]
    return (
        sum(common) / max(1, len(common)),
        sum(1 for c in common if c == 0) / max(1, len(common)),
        len(pairs) / max(1, len(lists)),
    )


def changed(before: Lists, after: Lists, new: set[str]) -> tuple[int, int, int]:
    """Papers listed before whose list changed: in all, because a new paper joined it, and
    in their shared words only."""
    moved = [slug for slug in before if before[slug] != after[slug]]
    joined = sum(1 for slug in moved if any(r.slug in new for r in after[slug]))
    words = sum(
        1 for slug in moved if [r.slug for r in before[slug]] == [r.slug for r in after[slug]]
    )
    return len(moved), joined, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=["medium", "large"])
    parser.add_argument(
        "--work", type=Path, help="folder for the corpus (default: a temporary one)"
    )
    parser.add_argument("--sweep", action="store_true", help="also time other MAX_DF cut-offs")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="related-"))
    content = work / "content"
    shutil.rmtree(content, ignore_errors=True)
    generator = write_corpus(content, SIZES[args.size])
    papers = papers_of(content)
    add_digest(content, generator)
    grown = papers_of(content)
    new = {slug for slug, _, _ in grown} - {slug for slug, _, _ in papers}
    old = {slug: text for slug, *text in papers}
    revised = sum(1 for slug, *text in grown if slug in old and old[slug] != text)
    print(f"{len(papers):,} papers; the digest adds {len(new)} and revises {revised}")
    print("scheme            seconds  peak MiB  lists changed (new paper in it, words only)"
          "  shared sentences  none shared  listed  again, with the memo")  # fmt: skip
    runs: list[tuple[bool, int | None]] = [(True, None), (False, None)]
    if args.sweep:
        runs += [(True, 64), (True, 1024), (True, 1 << 30)]
    for frozen, max_df in runs:
        memo = related.RelatedMemo()
        with cap(max_df):
            before, seconds, peak = measured(papers, frozen, memo)
            after, again, _ = measured(grown, frozen, memo)
            assert after == related.related_papers(grown, reference=reference(frozen, grown))
            label = f"{'frozen' if frozen else 'exact'}, cap {similarity.MAX_DF}"
        moved, joined, words = changed(before, after, new)
        shared, none, listed = quality(papers, before)
        print(f"{label:<26} {seconds:6.2f} {peak / 2**20:8.0f}  {moved:6} ({joined}, {words})"
              f"  {shared:17.2f} {none:12.1%} {listed:7.2f}  {again:6.2f}")  # fmt: skip
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
