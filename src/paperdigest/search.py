"""The Pagefind search index, built through Pagefind's Python API as part of every build.

Each paper becomes one small record (title, current abstract, filters, sort key) rather
than its whole page, so a paper's new appearance in a digest does not change what is
indexed. Papers are split into shards by the month they were first seen; each shard is
its own Pagefind index, and the browser merges them at query time (`mergeIndex`). The
oldest shard is the primary bundle in `pagefind/`, with Pagefind's scripts; the others
live in `pagefind/shards/<month>/` with only their index data.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import shutil
import tempfile
import threading
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2
from pagefind.index import IndexConfig
from pagefind.service import PagefindService

from .errors import BuildError
from .model import Paper
from .render import Templates
from .urls import html_path, paper_name

SEARCH_DIR = "pagefind"
SHARDS_DIR = f"{SEARCH_DIR}/shards"
PARALLEL_SERVICES = 4
"""Pagefind's Python wrapper sleeps 0.1 s per reply; separate services overlap those waits."""
# Only the primary bundle needs Pagefind's scripts, styles and WebAssembly.
_DATA_ONLY = ("pagefind-entry.json", "*.pf_meta", "index", "fragment", "filter")


@dataclass(frozen=True, slots=True)
class Shard:
    """The papers first seen in one month, indexed together."""

    key: str
    """The month, `YYYY-MM`."""
    papers: tuple[Paper, ...]
    """Its papers, by slug."""
    bundle: str
    """Where its index lives in the site."""


def shard_key(paper: Paper) -> str:
    """The shard a paper belongs to: the month it was first seen."""
    return paper.first_seen.isoformat()[:7]


def plan_shards(papers: Sequence[Paper]) -> list[Shard]:
    """Group papers into shards, oldest month first; the first one is the primary bundle."""
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        groups.setdefault(shard_key(paper), []).append(paper)
    shards = []
    for index, key in enumerate(sorted(groups)):
        bundle = SEARCH_DIR if index == 0 else f"{SHARDS_DIR}/{key}"
        shards.append(Shard(key, tuple(sorted(groups[key], key=lambda p: p.slug)), bundle))
    return shards


def render_record(paper: Paper, templates: Templates, language: str) -> bytes:
    """The document Pagefind indexes for one paper: only what search should match."""
    record = templates.html.get_template("search-record.html").render(
        language=language,
        title=paper.title,
        abstract=paper.abstract.text,
        first_seen=paper.first_seen.isoformat(),
    )
    return record.encode("utf-8")


def build_search_index(
    shards: Sequence[Shard], templates: Templates, language: str, site_dir: Path
) -> None:
    """Index every shard into the site folder, several at a time."""
    with tempfile.TemporaryDirectory(prefix="paperdigest-search-") as scratch:
        jobs = []
        for shard in shards:
            source = Path(scratch) / shard.key
            for paper in shard.papers:
                path = source / html_path(paper_name(paper.slug))
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(render_record(paper, templates, language))
            jobs.append((source, site_dir / shard.bundle))
        try:
            _run_cancellable(_index_all(jobs, language))
        except BuildError:
            raise
        except Exception as exc:  # the wrapper raises bare Exceptions with its message
            raise BuildError(f"search index: Pagefind failed: {exc}") from exc
    for shard in shards:
        sort_filters(site_dir / shard.bundle)
        if shard.bundle != SEARCH_DIR:
            _keep_data_only(site_dir / shard.bundle)


def _run_cancellable(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine on a fresh event loop in its own thread; Ctrl-C cancels it.

    A thread of its own works even when the caller already runs an event loop (the preview
    server, a notebook, a browser test). Cancelling closes the Pagefind services.
    """
    loop = asyncio.new_event_loop()
    task = loop.create_task(coroutine)
    thread = threading.Thread(target=loop.run_until_complete, args=(task,), daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.05)
    except BaseException:
        loop.call_soon_threadsafe(task.cancel)
        thread.join()
        raise
    finally:
        if not thread.is_alive():
            loop.close()
    task.result()


async def _index_all(jobs: list[tuple[Path, Path]], language: str) -> None:
    queue: asyncio.Queue[tuple[Path, Path]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    workers = min(PARALLEL_SERVICES, len(jobs))
    await asyncio.gather(*(_index_worker(queue, language) for _ in range(workers)))


async def _index_worker(queue: asyncio.Queue[tuple[Path, Path]], language: str) -> None:
    config = IndexConfig(force_language=language, write_playground=False)
    async with PagefindService() as service:
        while not queue.empty():
            source, output = queue.get_nowait()
            index = await service.create_index(config)
            result = await index.add_directory(str(source))
            if result.get("page_count", 0) == 0:
                raise BuildError(f"search index: Pagefind found no pages in {source}")
            await index.write_files(output_path=str(output))
            await index.delete_index()


def _keep_data_only(bundle: Path) -> None:
    keep = {p for pattern in _DATA_ONLY for p in bundle.glob(pattern)}
    for entry in bundle.iterdir():
        if entry not in keep:
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def sort_filters(bundle: Path) -> None:
    """Rewrite a bundle's filter files and metadata with filters in sorted order.

    Pagefind 1.5.2 writes filter keys and values in hash-map order, which changes from run
    to run, so the same content would give different filter files, metadata and entry
    hash. (Later Pagefind sorts them itself.) The files are gzip over a signature and CBOR;
    only their order changes here, and names are re-derived from the sorted bytes.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _decode(meta_path.read_bytes())
        filters = {}
        for name, file_hash in meta[_META_FILTERS]:
            old = bundle / "filter" / f"{file_hash}.pf_filter"
            key, values = _decode(old.read_bytes())
            filters[name] = _encode([key, sorted([v, sorted(p)] for v, p in values)])
            old.unlink()
        listing = []
        for name in sorted(filters):
            file_hash = _name(language, filters[name], 7)
            (bundle / "filter" / f"{file_hash}.pf_filter").write_bytes(filters[name])
            listing.append([name, file_hash])
        meta[_META_FILTERS] = listing
        data = _encode(meta)
        meta_path.unlink()
        info["hash"] = _name(language, data, 10)
        (bundle / f"pagefind.{info['hash']}.pf_meta").write_bytes(data)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))


_SIGNATURE = b"pagefind_dcd"
_META_FILTERS = 3
"""Where the list of (filter, file hash) pairs sits in Pagefind 1.5's metadata array."""


def _decode(data: bytes) -> Any:
    body = gzip.decompress(data)
    if not body.startswith(_SIGNATURE):
        raise BuildError("search index: unexpected Pagefind file format")
    return cbor2.loads(body[len(_SIGNATURE) :])


def _encode(value: Any) -> bytes:
    return gzip.compress(_SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _name(language: str, data: bytes, length: int) -> str:
    return f"{language}_{hashlib.sha256(data).hexdigest()[:length]}"
