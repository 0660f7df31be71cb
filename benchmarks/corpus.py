"""A deterministic, seeded benchmark corpus built from the bundled seed digests.

Titles and abstract sentences of the seed dumps are recombined into new papers and written
as digest files in the seed format. About 11% of all entries repeat a paper from an earlier
digest, and a fifth of those repeats carry a revised abstract, as real dumps do.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from paperdigest.dates import MONTH_ABBR
from paperdigest.dedupe import normalize_title
from paperdigest.errors import Problems
from paperdigest.read.cache import ContentCache
from paperdigest.read.files import read_digests

REPO = Path(__file__).resolve().parents[1]
HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
    "byAK and the research community\n\n"
)
REPEAT_SHARE = 0.11
REVISED_SHARE = 0.2
QUALIFIERS = (
    "at Scale", "in Practice", "Revisited", "for Long Contexts", "with Few Examples",
    "without Labels", "under Distribution Shift", "for Low-Resource Languages",
    "in the Wild", "on a Budget", "for Robotics", "for Code", "via Distillation",
)  # fmt: skip


@dataclass(frozen=True)
class Size:
    """A corpus size: how many unique papers, in how many digest files, over how many days."""

    papers: int
    digests: int
    days: int


SIZES = {
    "small": Size(papers=1_000, digests=40, days=40),
    "medium": Size(papers=10_000, digests=365, days=365),
    "large": Size(papers=100_000, digests=3_000, days=1_500),
}
START = date(2023, 1, 2)


class Generator:
    """Makes papers and digests from the seeds' titles and sentences, reproducibly."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        problems = Problems()
        files = read_digests(REPO / "content", ContentCache(), problems)
        problems.raise_if_any()
        entries = [(entry.title, entry.abstract) for file in files for entry in file.entries]
        self.heads = sorted({title.split(":")[0].strip() for title, _ in entries})
        self.tails = sorted({title.split(":", 1)[-1].strip() for title, _ in entries})
        self.sentences = sorted(
            {s.strip() for _, text in entries for s in re.split(r"(?<=\.)\s+", text) if s.strip()}
        )
        self.seen_titles: set[str] = set()
        self.papers: list[tuple[str, str]] = []
        self.arxiv_ids: dict[str, str] = {}
        """The arXiv ID of each paper a JSON corpus has listed, by title."""

    def new_paper(self) -> tuple[str, str]:
        """A title never used before, and an abstract of 7 to 11 seed sentences."""
        while True:
            title = f"{self.rng.choice(self.heads)}: {self.rng.choice(self.tails)}"
            if self.rng.random() < 0.5:
                title = f"{title} {self.rng.choice(QUALIFIERS)}"
            key = normalize_title(title)
            if key not in self.seen_titles:
                break
        self.seen_titles.add(key)
        paper = (title, self.abstract())
        self.papers.append(paper)
        return paper

    def abstract(self) -> str:
        return " ".join(self.rng.sample(self.sentences, self.rng.randint(7, 11)))

    def repeat(self) -> tuple[str, str]:
        """An earlier paper again, recent ones likelier; sometimes with a revised abstract."""
        recent = self.papers[-3000:]
        title, abstract = recent[int(len(recent) * (1 - self.rng.random() ** 2)) - 1]
        if self.rng.random() < REVISED_SHARE:
            abstract = f"{abstract} {self.rng.choice(self.sentences)}"
        return title, abstract

    def digest(self, new: int) -> list[tuple[str, str]]:
        """One digest: `new` new papers with repeats mixed in at the usual share."""
        entries = [self.new_paper() for _ in range(new)]
        repeats = round(new * REPEAT_SHARE / (1 - REPEAT_SHARE))
        for _ in range(min(repeats, len(self.papers) - new)):
            entries.insert(self.rng.randrange(len(entries) + 1), self.repeat())
        return entries


def digest_text(day: date, entries: list[tuple[str, str]]) -> str:
    """A digest dump in the seed format."""
    body = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in entries)
    return f"{HEADER}{MONTH_ABBR[day.month - 1]} {day.day}\n\n{body}"


GIVEN = (
    "Ada",
    "Bo",
    "Chen",
    "Dana",
    "Eli",
    "Fatima",
    "Goran",
    "Hana",
    "Ivan",
    "Jun",
    "Kofi",
    "Lea",
)
FAMILY = ("Wang", "Smith", "Kumar", "Garcia", "Kim", "Novak", "Okafor", "Rossi", "Sato", "Zhou")


def digest_json(day: date, entries: list[tuple[str, str]], ids: dict[str, str]) -> str:
    """The same digest as a Hugging Face daily-papers day, in the API's shape.

    Each paper's arXiv ID is numbered in `ids` when first listed, and its authors come
    from a hash of its title, so it keeps both in every listing, and the text corpus's
    random sequence is untouched.
    """
    records = []
    for title, abstract in entries:
        seed = int.from_bytes(hashlib.sha256(title.encode()).digest()[:8], "big")
        count = 2 + seed % 7
        authors = [
            {"name": f"{GIVEN[(seed >> (4 * n)) % 11]} {FAMILY[(seed >> (4 * n + 2)) % 10]}",
             "hidden": False}
            for n in range(count)
        ]  # fmt: skip
        arxiv_id = ids.setdefault(title, f"{day:%y%m}.{len(ids):05}")
        paper = {
            "id": arxiv_id, "authors": authors, "title": title, "summary": abstract,
            "publishedAt": f"{day.isoformat()}T00:00:00.000Z",
            "submittedOnDailyAt": f"{day.isoformat()}T00:00:00.000Z",
            "upvotes": seed % 90,
        }  # fmt: skip
        records.append({"paper": paper, "title": title, "numComments": seed % 5})
    return json.dumps(records, indent=2) + "\n"


def write_corpus(folder: Path, size: Size, seed: int = 2025, form: str = "text") -> Generator:
    """Write a corpus of `size` into `folder` (a content folder); return its generator.

    `form` "json" writes each digest as a Hugging Face daily-papers day instead of a dump.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.yml").write_text(
        "title: Benchmark digest\nbase_url: https://example.github.io/bench/\n"
        + yaml.safe_dump({"topics": bundled_topics()}, sort_keys=False, allow_unicode=True)
    )
    generator = Generator(seed)
    per_day = size.digests / size.days
    made = 0
    for number in range(size.digests):
        day = START + timedelta(days=int(number / per_day))
        new = (size.papers - made) // (size.digests - number)
        made += new
        suffix = "" if per_day == 1 else f"-{number % round(per_day):02}"
        stem = f"{day.isoformat()}{suffix}"
        write_digest(folder, stem, day, generator.digest(new), form, generator.arxiv_ids)
    return generator


def bundled_topics() -> list[dict[str, object]]:
    """The bundled site's topic rules: a benchmark site has everything on, topics too (their
    pages, month pages, feeds and search filter)."""
    site = yaml.safe_load((REPO / "content" / "site.yml").read_text())
    return list(site["topics"])


def write_digest(
    folder: Path,
    stem: str,
    day: date,
    entries: list[tuple[str, str]],
    form: str,
    ids: dict[str, str],
) -> Path:
    """Write one digest as a dump (`form` "text") or a daily-papers day ("json")."""
    if form == "json":
        path = folder / f"{stem}.json"
        path.write_text(digest_json(day, entries, ids))
    else:
        path = folder / f"{stem}.txt"
        path.write_text(digest_text(day, entries))
    return path


def add_digest(folder: Path, generator: Generator, entries: int = 30) -> Path:
    """Add one digest of `entries` entries on the day after the latest one, in the
    corpus's own form (daily-papers JSON if it has any, else a text dump)."""
    form = "json" if any(folder.glob("*.json")) else "text"
    latest = max(date.fromisoformat(p.name[:10]) for p in folder.glob("????-??-??*.*"))
    day = latest + timedelta(days=1)
    new = round(entries * (1 - REPEAT_SHARE))
    stem = f"{day.isoformat()}-added"
    return write_digest(folder, stem, day, generator.digest(new), form, generator.arxiv_ids)


if __name__ == "__main__":
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("corpus")
    write_corpus(target, SIZES[sys.argv[1] if len(sys.argv) > 1 else "small"])
    print(f"wrote {len(list(target.glob('*.txt')))} digests to {target}")
