"""What a reader's first search loads: the site's index against one Pagefind index.

    .venv/bin/python benchmarks/search_load.py [small|medium|large] [--work DIR] [--json]

It writes the corpus, builds it with search, and builds one Pagefind index over the very
records the build indexed (the same `SearchRecord`s, one `IndexJob` shard). It serves
the site twice on 127.0.0.1: as built, and with `pagefind/` replaced by the single index
and the search page told to merge nothing. Headless Chromium (Debian's, as the browser
tests use it) then opens the search page in a fresh context, so with an empty cache, for
each query and counts every request and the bytes of every response body, until the
results (or "No results") are shown and no request is in flight:

- *UI only*: the search page with no query;
- a common word, a three-word phrase and a rare word, chosen from the records;
- a word that matches nothing.

Bytes are as served, uncompressed: Pagefind's index files are compressed already, and
GitHub Pages compresses the rest (HTML, CSS, scripts) for both sides alike.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS, site_root, static_server  # noqa: E402
from corpus import SIZES, write_corpus  # noqa: E402
from paperdigest.build import BuildOptions, build, read_library  # noqa: E402
from paperdigest.derive import derive  # noqa: E402
from paperdigest.plan.outputs import plan_outputs  # noqa: E402
from paperdigest.plan.search import SEARCH_DIR, SearchRecord, Shard  # noqa: E402
from paperdigest.publish.indexer import IndexJob  # noqa: E402
from paperdigest.render.templates import load_templates, templates_dir  # noqa: E402
from paperdigest.stop_words import STOP_WORDS  # noqa: E402

SITES = ("site", "single")
"""The site as built, and the same site searching one index."""
LOAD_TIMEOUT_MS = 300_000
"""How long one search may take: a large index's first query loads megabytes."""
NO_MATCH = "qzxvkjwplm"
"""A word no record has."""


@dataclass(frozen=True)
class Load:
    """What one page load fetched."""

    requests: int
    bytes: int
    seconds: float
    """From opening the page to the results shown and no request in flight."""
    results: str
    """The message Pagefind's UI showed ("10 results for …"), or "" for the UI only."""


def records_of(content: Path) -> tuple[list[SearchRecord], str, int, str]:
    """The records the build indexes for `content`, its language, its shard count and
    the site's base path."""
    site, library = read_library(content)
    derived = derive(library, site)
    plan = plan_outputs(library, derived, site, load_templates(templates_dir()).theme(), True)
    shards = [output.record for output in plan.outputs if isinstance(output.record, Shard)]
    records = sorted((r for shard in shards for r in shard.records), key=lambda r: r.url)
    return records, site.language, len(shards), site.base_path


def single_site(site: Path, records: list[SearchRecord], language: str, target: Path) -> None:
    """A copy of `site` (hard links) whose search runs on one index of all `records`."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(site, target, copy_function=_link, ignore=lambda folder, _: (
        [SEARCH_DIR] if Path(folder) == site else []))  # fmt: skip
    for path, data in IndexJob([Shard("all", SEARCH_DIR, language, tuple(records))]).files():
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_bytes(data)
    page = target / "search" / "index.html"
    text = page.read_text()
    page.unlink()  # a hard link: write a new file, not into the built site's
    page.write_text(re.sub(r'data-shards="[^"]*"', 'data-shards="[]"', text, count=1))


def _link(source: str, target: str) -> None:
    Path(target).hardlink_to(source)


def queries(records: list[SearchRecord]) -> dict[str, str]:
    """The queries measured, chosen from the records so that each one means what it says."""
    words = Counter[str]()
    for record in records:
        words.update(set(re.findall(r"[a-z]{4,}", record.content.lower())))
    content = [w for w in words if w not in STOP_WORDS]
    common = max(content, key=lambda w: (words[w], w))
    rare = min((w for w in content if len(w) >= 6), key=lambda w: (words[w], w))
    middle = records[len(records) // 2].title
    phrase = " ".join(re.findall(r"[A-Za-z]{4,}", middle)[:3])
    return {"UI only": "", "common word": common, "phrase": phrase, "rare word": rare,
            "no match": NO_MATCH}  # fmt: skip


def load(browser, base: str, query: str) -> Load:  # noqa: ANN001 - a Playwright Browser
    """Open the search page for `query` with an empty cache; what it fetched."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(LOAD_TIMEOUT_MS)
    sizes: list[int] = []
    waiting: set[object] = set()
    page.on("request", lambda request: waiting.add(request))
    page.on("requestfailed", lambda request: waiting.discard(request))

    def finished(request) -> None:  # noqa: ANN001
        waiting.discard(request)
        sizes.append(request.sizes()["responseBodySize"])

    page.on("requestfinished", finished)
    url = f"{base}search/" + (f"?q={quote(query)}" if query else "")
    started = time.perf_counter()
    page.goto(url, wait_until="load")
    message = ""
    if query:
        shown = page.locator(".pagefind-ui__message")
        shown.filter(has_text=re.compile("result")).wait_for()
        page.wait_for_function("!document.querySelector('.pagefind-ui__loading')")
        message = shown.inner_text()
    else:
        page.locator(".pagefind-ui__search-input").wait_for()
    while waiting:  # every request started has ended
        page.wait_for_event("requestfinished")
    seconds = time.perf_counter() - started
    context.close()
    return Load(len(sizes), sum(sizes), round(seconds, 2), message)


def measure(
    sites: dict[str, Path], base_path: str, asked: dict[str, str]
) -> dict[str, dict[str, Load]]:
    """Each query on each site (folders served under `base_path`), alternating sites."""
    from playwright.sync_api import sync_playwright

    found: dict[str, dict[str, Load]] = {name: {} for name in sites}
    with sync_playwright() as playwright, ExitStack() as stack:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        bases = {}
        for name, site in sites.items():
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            server = stack.enter_context(static_server(site_root(site, base_path, scratch)))
            host, port = server.server_address[:2]
            bases[name] = f"http://{host}:{port}{base_path}"
        for label, query in asked.items():
            for name in sites:
                found[name][label] = load(browser, bases[name], query)
    return found


def main() -> int:
    """Build, index once more, measure, print a table and (last) a JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", nargs="?", choices=sorted(SIZES), default="small")
    parser.add_argument("--work", type=Path, help="where to work (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="the corpus as daily-papers JSON")
    parser.add_argument("--keep", action="store_true", help="reuse the corpus and site in --work")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="paperdigest-search-"))
    content, site = work / "content", work / "site"
    if not (args.keep and (site / "search" / "index.html").is_file()):
        shutil.rmtree(work, ignore_errors=True)
        write_corpus(content, SIZES[args.size], form="json" if args.json else "text")
        build(BuildOptions(content=content, out=site, prepare_next=False))
    records, language, shard_count, base_path = records_of(content)
    if not (args.keep and (work / "single" / SEARCH_DIR / "pagefind-entry.json").is_file()):
        single_site(site, records, language, work / "single")
    asked = queries(records)
    found = measure({name: work / name for name in SITES}, base_path, asked)
    print(f"{args.size}: {len(records):,} records; the site's index in {shard_count} parts")
    print(
        "| query | site: requests | KB | s | one index: requests | KB | s |"
        " ratio requests | bytes |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, query in asked.items():
        ours, one = found["site"][label], found["single"][label]
        shown = f"{label} ({query})" if query else label
        print(
            f"| {shown} | {ours.requests} | {ours.bytes / 1e3:,.0f} | {ours.seconds:.1f} |"
            f" {one.requests} | {one.bytes / 1e3:,.0f} | {one.seconds:.1f} |"
            f" {ours.requests / one.requests:.2f} |"
            f" {ours.bytes / one.bytes:.2f} |"
        )
        if ours.results != one.results:
            print(f"  the two differ: {ours.results!r} against {one.results!r}")
    result = {
        "size": args.size,
        "records": len(records),
        "parts": shard_count,
        "queries": asked,
        **{name: {k: vars(v) for k, v in loads.items()} for name, loads in found.items()},
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
