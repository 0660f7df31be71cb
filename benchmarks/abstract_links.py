"""How abstracts' URLs are cut and classified, on the seeds and on the generated corpus.

    .venv/bin/python benchmarks/abstract_links.py [--papers N] [--links] [--shared DIR]

For each source: how many abstracts hold a URL, how many URLs and links of each kind. Then,
for a human to eyeball: every URL whose cut differs from a naive `https?://\\S+`, every URL
that gives no link, and every URL that markdown.py's linkify (which links URLs in the
abstract's text) cuts otherwise than `abstract_links.find_urls`. With `--links`, every
link found, by kind.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import SIZES, Generator  # noqa: E402
from paperdigest.abstract_links import LABELS, artifact_links, find_urls, link_for  # noqa: E402
from paperdigest.errors import Problems  # noqa: E402
from paperdigest.latex import plain  # noqa: E402
from paperdigest.markdown import linkify_markdown  # noqa: E402
from paperdigest.read.cache import ContentCache  # noqa: E402
from paperdigest.read.files import read_digests  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
NAIVE = re.compile(r"https?://\S+", re.IGNORECASE)
LINKIFIED = re.compile(r"\]\(<((?:[^>\\]|\\.)*)>\)")


@dataclass
class Tally:
    """What one source's abstracts hold."""

    name: str
    abstracts: int = 0
    with_naive: int = 0
    with_url: int = 0
    with_link: int = 0
    urls: int = 0
    bare: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    differs: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(naive match, our cut) → how often."""
    contexts: dict[tuple[str, str], str] = field(default_factory=dict)
    """(naive match, our cut) → where it was first seen."""
    unlinked: Counter[str] = field(default_factory=Counter)
    linkify: Counter[tuple[str, str]] = field(default_factory=Counter)
    links: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, abstract: str) -> None:
        self.abstracts += 1
        found = find_urls(abstract)
        naive = list(NAIVE.finditer(abstract))
        self.with_naive += bool(naive)
        self.with_url += bool(found)
        self.urls += len(found)
        self.bare += sum(not url.text.lower().startswith("http") for url in found)
        links = artifact_links(abstract)
        self.with_link += bool(links)
        self.kinds.update(link.kind for link in links)
        self.links.update((link.kind, link.url) for link in links)
        self.unlinked.update(url.url for url in found if link_for(url.url) is None)
        ours = {url.start: url for url in found}
        for match in naive:
            cut = ours.pop(match.start(), None)
            if cut is None or cut.text != match.group(0):
                self.differ(abstract, match.group(0), cut.text if cut else "(none)", match.start())
        for url in ours.values():  # found where no naive match starts
            self.differ(abstract, "(none)", url.text, url.start)
        linkified = [
            m.group(1).replace("\\&", "&")
            for m in LINKIFIED.finditer(linkify_markdown(plain(abstract)))
        ]
        with_scheme = [
            url.text for url in find_urls(plain(abstract)) if url.text.lower().startswith("http")
        ]
        if linkified != with_scheme:
            self.linkify[(" ".join(linkified), " ".join(with_scheme))] += 1

    def differ(self, abstract: str, naive: str, ours: str, start: int) -> None:
        key = (naive, ours)
        self.differs[key] += 1
        end = start + max(len(naive), len(ours))
        self.contexts.setdefault(key, abstract[max(0, start - 30) : end + 15])


def seed_abstracts(folder: Path) -> list[str]:
    """Every abstract of the dumps in `folder`, as the build reads them."""
    problems = Problems()
    files = read_digests(folder, ContentCache(), problems)
    return [entry.abstract for file in files for entry in file.entries if entry.abstract]


def corpus_abstracts(papers: int) -> list[str]:
    """The abstracts of the benchmark's corpus of `papers` papers, repeats included."""
    size = next((s for s in SIZES.values() if s.papers == papers), None)
    digests = size.digests if size else max(1, papers // 30)
    generator = Generator(2025)  # the seed write_corpus uses: the same corpus, unwritten
    made, abstracts = 0, []
    for number in range(digests):
        new = (papers - made) // (digests - number)
        made += new
        abstracts += [abstract for _, abstract in generator.digest(new)]
    return abstracts


WRAPPERS = {
    "sentence end": "Code is available at {u}.",
    "parentheses": "Our code (see {u}) runs.",
    "parentheses, then comma": "The models ({u}), and",
    "\\url{…}": "available at \\url{{{u}}}.",
    "\\href{…}{…}": "see \\href{{{u}}}{{our repository}}.",
    "LaTeX brace after": "at {u}{{here}}.",
    "<…>": "at <{u}>.",
    "[text](…)": "our [code]({u}).",
    "double quotes": 'at "{u}", and',
    "single quotes": "at '{u}', and",
    "curly quotes": "at “{u}”.",
    "CJK full stop": "代码见{u}。",
    "CJK comma": "代码：{u}，数据集",
    "em dash": "at {u}—and more",
    "question, exclaim": "Is it {u}?!",
    "ellipsis": "at {u}...",
    "bold": "at **{u}**.",
    "LaTeX escape": "at {e}.",
    "without scheme": "Code at {b}.",
}
"""Shapes real abstracts wrap URLs in; `{u}` is a URL, `{e}` it with `_` written `\\_`,
`{b}` it without its scheme."""


def wrapped(urls: list[str]) -> None:
    """How often each rule gets the URL exactly, for each seed link in each wrapper."""
    print("\n## Seed links in generated wrappers\n")
    print(f"Each of the {len(urls)} distinct seed links, written in each shape.\n")
    print("| shape | find_urls | naive `https?://\\S+` | markdown.py linkify |")
    print("|---|---|---|---|")
    misses: list[str] = []
    for shape, template in WRAPPERS.items():
        exact = Counter()
        for url in urls:
            bare = re.sub(r"^https?://", "", url)
            text = template.format(u=url, e=url.replace("_", "\\_"), b=bare)
            expected = "https://" + bare if "{b}" in template else url
            found = [u.url for u in find_urls(text)]
            naive = [m.group(0) for m in NAIVE.finditer(text)]
            linkified = [
                m.group(1).replace("\\&", "&")
                for m in LINKIFIED.finditer(linkify_markdown(plain(text)))
            ]
            exact["ours"] += found[:1] == [expected]
            if found[:1] != [expected]:
                misses.append(f"- {shape}: {text!r} gives {found}")
            exact["naive"] += naive[:1] == [expected]
            exact["linkify"] += linkified[:1] == [expected]
        cells = " | ".join(f"{exact[rule]}/{len(urls)}" for rule in ("ours", "naive", "linkify"))
        print(f"| {shape} | {cells} |")
    print(f"\nWhere find_urls gives another URL ({len(misses)}):\n")
    print("\n".join(misses))


def report(tally: Tally, show_links: bool) -> None:
    print(f"\n## {tally.name}\n")
    print(f"- abstracts: {tally.abstracts:,}")
    print(f"- with a naive `https?://\\S+` match: {tally.with_naive:,}")
    urls = f"{tally.urls:,} URLs, {tally.bare} without scheme"
    print(f"- with a URL by find_urls: {tally.with_url:,} ({urls})")
    kinds = ", ".join(f"{LABELS[k]} {tally.kinds[k]:,}" for k in LABELS)
    print(f"- with a link: {tally.with_link:,}; links: {kinds}")
    differs = f"{sum(tally.differs.values()):,}, {len(tally.differs)} distinct"
    print(f"\n### Cut otherwise than naive ({differs})\n")
    for (naive, ours), count in sorted(tally.differs.items()):
        print(f"- {count:>4} × `{naive}` → `{ours}`   in {tally.contexts[naive, ours]!r}")
    print(f"\n### URLs that give no link ({len(tally.unlinked)} distinct)\n")
    for url, count in sorted(tally.unlinked.items()):
        print(f"- {count:>4} × {url}")
    print(f"\n### Linkified otherwise by markdown.py ({sum(tally.linkify.values())} abstracts)\n")
    for (linkified, ours), count in sorted(tally.linkify.items()):
        print(f"- {count:>4} × linkify `{linkified}` / find_urls `{ours}`")
    if show_links:
        print(f"\n### Every link ({len(tally.links)} distinct)\n")
        for (kind, url), count in sorted(tally.links.items()):
            print(f"- {count:>4} × {LABELS[kind]:<12} {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=SIZES["medium"].papers)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--links", action="store_true", help="list every link found")
    args = parser.parse_args()
    sources = {"Bundled seeds (content/*.txt)": seed_abstracts(REPO / "content")}
    if args.shared.is_dir():
        digest = hashlib.sha256
        same = {digest(p.read_bytes()).digest() for p in (REPO / "content").glob("*.txt")} == {
            digest(p.read_bytes()).digest() for p in args.shared.glob("*.txt")
        }
        if same:
            print(f"{args.shared} holds the same files as content/: counted once.")
        else:
            sources[f"Shared seeds ({args.shared})"] = seed_abstracts(args.shared)
    sources[f"Generated corpus ({args.papers:,} papers, seed 2025)"] = corpus_abstracts(args.papers)
    seed_links: list[str] = []
    for name, abstracts in sources.items():
        started = time.perf_counter()
        for abstract in abstracts:
            artifact_links(abstract)
        took = time.perf_counter() - started
        tally = Tally(name)
        for abstract in abstracts:
            tally.add(abstract)
        report(tally, args.links)
        print(f"\nartifact_links over these {len(abstracts):,} abstracts took {took:.3f} s.")
        if not seed_links:
            seed_links = sorted({url for _, url in tally.links})
    wrapped(seed_links)


if __name__ == "__main__":
    main()
