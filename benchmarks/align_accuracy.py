"""How well the parser tells titles from abstracts, on the seeds and on every dump this makes.

    .venv/bin/python benchmarks/align_accuracy.py [--trials N] [--corpus N] [--seed S]

Shapes: every title and abstract of the five seed dumps, of a synthetic corpus (corpus.py)
and of hard-cases.txt, as `align.shape` reads it (title, unsure or abstract).

Deletions: dumps made from those entries with 0 to 3 abstracts deleted (at random places,
or in a run, which puts two titles in a row and can cancel out), parsed as a build parses
them. Each parse is exact (every entry right, and a warning at each title that lost its
abstract), refused (the build would stop with an error), or wrong (the build would succeed
with an entry out of step or a missing abstract unreported). Wrong must be 0. Besides the
seeds and the corpus as they are, three variants make the neighbours hard: abstracts cut
to their first sentence, titles lengthened to 150-300 characters, and hard-case titles and
abstracts mixed in.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import HEADER, QUALIFIERS, Generator  # noqa: E402
from paperdigest.errors import (  # noqa: E402
    ContentError,
    ContentErrors,
    Problems,  # noqa: E402
)
from paperdigest.read.align import Shape, shape  # noqa: E402
from paperdigest.read.cache import ContentCache  # noqa: E402
from paperdigest.read.files import read_digests  # noqa: E402
from paperdigest.read.text_dump import parse_dump_text  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CASES = Path(__file__).with_name("hard-cases.txt")
Pair = tuple[str, str]
Variant = Callable[[list[Pair], random.Random], list[Pair]]


def seed_dumps() -> list[list[Pair]]:
    """The entries of each bundled seed dump."""
    problems = Problems()
    files = read_digests(REPO / "content", ContentCache(), problems)
    problems.raise_if_any()
    return [[(e.title, e.abstract) for e in file.entries] for file in files]


def corpus_dumps(count: int, seed: int) -> list[list[Pair]]:
    """`count` synthetic digests of 30 entries, as benchmarks/corpus.py makes them."""
    generator = Generator(seed)
    return [generator.digest(27) for _ in range(count)]


def hard_cases() -> tuple[list[str], list[str]]:
    """The hand-written titles and abstracts of hard-cases.txt."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif line.strip() and not line.startswith("#"):
            current.append(line.strip())
    return sections["titles"], sections["abstracts"]


def shape_row(name: str, titles: list[str], abstracts: list[str]) -> tuple[str, int]:
    """One table row (how the titles and the abstracts read), and how many read the opposite."""
    t = Counter(shape((text,)) for text in titles)
    a = Counter(shape((text,)) for text in abstracts)
    row = (
        f"| {name} | {len(titles):,} | {t[Shape.TITLE]:,} | {t[Shape.UNSURE]:,} | "
        f"{t[Shape.ABSTRACT]:,} | {len(abstracts):,} | {a[Shape.ABSTRACT]:,} | "
        f"{a[Shape.UNSURE]:,} | {a[Shape.TITLE]:,} |"
    )
    return row, t[Shape.ABSTRACT] + a[Shape.TITLE]


def as_is(entries: list[Pair], rng: random.Random) -> list[Pair]:
    return entries


def short_abstracts(entries: list[Pair], rng: random.Random) -> list[Pair]:
    """Half the abstracts cut to their first sentence, as the shortest real ones are."""
    return [
        (title, re.split(r"(?<=\.)\s+", abstract)[0] if rng.random() < 0.5 else abstract)
        for title, abstract in entries
    ]


def long_titles(entries: list[Pair], rng: random.Random) -> list[Pair]:
    """A third of the titles lengthened to 150-300 characters with other titles' words."""
    titles = [title for title, _ in entries]
    out = []
    for title, abstract in entries:
        if rng.random() < 0.3:
            target = rng.randint(150, 300)
            while len(title) < target:
                title = f"{title}: {rng.choice(titles)} {rng.choice(QUALIFIERS)}"
            title = title[:target].rsplit(" ", 1)[0].rstrip(" :,-")
        out.append((title, abstract))
    return out


def mixed_in(cases: tuple[list[str], list[str]]) -> Variant:
    """A third of the titles and of the abstracts replaced by hard cases."""
    titles, abstracts = cases

    def variant(entries: list[Pair], rng: random.Random) -> list[Pair]:
        return [
            (
                rng.choice(titles) if rng.random() < 0.3 else title,
                rng.choice(abstracts) if rng.random() < 0.3 else abstract,
            )
            for title, abstract in entries
        ]

    return variant


def dump(entries: list[Pair]) -> tuple[str, list[int]]:
    """A dump's text, and the line of each title in it."""
    lines = HEADER.count("\n") + 3  # the header, the date line and a blank line
    text, where = [HEADER, "Mar 14\n\n"], []
    for title, abstract in entries:
        where.append(lines)
        text.append(f"{title}\n\n{abstract}\n\n" if abstract else f"{title}\n\n")
        lines += 4 if abstract else 2
    return "".join(text), where


def trial(entries: list[Pair], missing: int, rng: random.Random, run: bool) -> tuple[str, int]:
    """Delete `missing` abstracts, parse, and judge: ('exact' | 'refused' | 'wrong', off)."""
    if run:
        start = rng.randrange(len(entries) - missing + 1)
        gone = set(range(start, start + missing))
    else:
        gone = set(rng.sample(range(len(entries)), missing))
    expected = [(t, "" if i in gone else a) for i, (t, a) in enumerate(entries)]
    text, where = dump(expected)
    try:
        parsed, warnings = parse_dump_text("trial.txt", text)
    except (ContentError, ContentErrors):
        return "refused", 0
    got = [(entry.title, entry.abstract) for entry in parsed.entries]
    warned = {w.line for w in warnings if "has no abstract" in w.message}
    off = sum(g != e for g, e in zip(got, expected, strict=False)) + abs(len(got) - len(expected))
    if off or warned != {where[i] for i in gone}:
        return "wrong", max(off, 1)
    return "exact", 0


def deletion_row(
    name: str, dumps: list[list[Pair]], variant: Variant, trials: int, seed: int
) -> tuple[str, int]:
    """One table row (outcomes of `trials` dumps for 0 to 3 missing abstracts), and wrongs."""
    rng = random.Random(seed)
    cells, wrong = [], 0
    for missing in range(4):
        outcomes: Counter[str] = Counter()
        off = 0
        for number in range(trials):
            entries = variant(rng.choice(dumps), rng)
            outcome, shifted = trial(entries, missing, rng, run=number % 2 == 1)
            outcomes[outcome] += 1
            off += shifted
        cells.append(f"{outcomes['exact']:,} / {outcomes['refused']:,} / {outcomes['wrong']:,}")
        if off:
            cells[-1] += f" ({off:,} entries off)"
        wrong += outcomes["wrong"]
    return f"| {name} | " + " | ".join(cells) + " |", wrong


def main(argv: list[str] | None = None) -> int:
    """Print both tables; exit 1 if any parse was wrong or a shape was the opposite one."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=2000, help="dumps per cell (2000)")
    parser.add_argument("--corpus", type=int, default=200, help="synthetic digests (200)")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    seeds = seed_dumps()
    corpus = corpus_dumps(args.corpus, args.seed)
    cases = hard_cases()
    print("| paragraphs | titles | read as title | unsure | abstract |", end=" ")
    print("abstracts | read as abstract | unsure | title |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    opposite = 0
    for name, dumps in (("seeds", seeds), (f"corpus.py, {args.corpus} digests", corpus)):
        pairs = [pair for entries in dumps for pair in entries]
        row, wrong = shape_row(name, [t for t, _ in pairs], [a for _, a in pairs])
        print(row)
        opposite += wrong
    row, wrong = shape_row("hard-cases.txt", *cases)
    print(row)
    opposite += wrong
    print(f"\n{args.trials:,} dumps per cell: exact / refused / wrong\n")
    print("| dumps | none missing | 1 missing | 2 missing | 3 missing |")
    print("|---|---:|---:|---:|---:|")
    variants: list[tuple[str, list[list[Pair]], Variant]] = [
        ("seeds", seeds, as_is),
        ("corpus.py", corpus, as_is),
        ("seeds, short abstracts", seeds, short_abstracts),
        ("seeds, long titles", seeds, long_titles),
        ("seeds, hard cases mixed in", seeds, mixed_in(cases)),
    ]
    wrongs = 0
    for number, (name, dumps, variant) in enumerate(variants):
        row, wrong = deletion_row(name, dumps, variant, args.trials, args.seed + number)
        print(row)
        wrongs += wrong
    return 1 if wrongs or opposite else 0


if __name__ == "__main__":
    sys.exit(main())
