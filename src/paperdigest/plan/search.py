"""The Pagefind search index, built through Pagefind's Python API as part of every build.

Each paper becomes one small record (title, current abstract, filters, sort key) rather
than its whole page, so a paper's new appearance in a digest does not change what is
indexed, and no HTML is written or parsed for it. Papers are split into shards by the
month they were first seen; each shard is its own Pagefind index, and the browser merges
them at query time (`mergeIndex`). The oldest shard is the primary bundle in `pagefind/`,
with Pagefind's scripts; the others live in `pagefind/shards/<month>/` with only their
index data.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Paper

if TYPE_CHECKING:
    from ..publish.indexer import IndexJob
    from ..publish.writer import SiteWriter
from ..urls import page_path, paper_name

SEARCH_DIR = "pagefind"
SHARDS_DIR = f"{SEARCH_DIR}/shards"


@dataclass(frozen=True, slots=True)
class Shard:
    """The papers first seen in one month, indexed together."""

    key: str
    """The month, `YYYY-MM`."""
    papers: tuple[Paper, ...]
    """Its papers, by slug."""
    bundle: str
    """Where its index lives in the site."""


def shard_month(paper: Paper) -> str:
    """The shard a paper belongs to: the month it was first seen."""
    return paper.first_seen.isoformat()[:7]


def plan_shards(papers: Sequence[Paper]) -> list[Shard]:
    """Group papers into shards, oldest month first; the first one is the primary bundle."""
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        groups.setdefault(shard_month(paper), []).append(paper)
    shards = []
    for index, key in enumerate(sorted(groups)):
        bundle = SEARCH_DIR if index == 0 else f"{SHARDS_DIR}/{key}"
        shards.append(Shard(key, tuple(sorted(groups[key], key=lambda p: p.slug)), bundle))
    return shards


def shard_key(shard: Shard, language: str, fingerprint: str) -> str:
    """The input key of a shard: the papers' indexed text, its place and the tools' versions."""
    digest = hashlib.sha256(f"{fingerprint}\0{language}\0{shard.bundle}\0".encode())
    for paper in shard.papers:
        digest.update(json.dumps(record(paper, language)).encode())
    return digest.hexdigest()


def record(paper: Paper, language: str) -> dict[str, Any]:
    """What Pagefind indexes for one paper: only what search should match, and its filters."""
    seen = paper.first_seen.isoformat()
    return {
        "url": f"/{page_path(paper_name(paper.slug))}",  # Pagefind adds the base path itself
        "content": paper.abstract.text,
        "language": language,
        "meta": {"title": paper.title, "date": seen},
        "filters": {"year": [seen[:4]], "month": [seen[:7]], "first seen": [seen]},
        "sort": {"date": seen},
    }


def start_search_index(shards: Sequence[Shard], language: str, scratch: Path) -> IndexJob:
    """Start indexing each shard into its own folder `scratch/<month>/` with Pagefind."""
    from ..publish.indexer import IndexJob  # Pagefind and asyncio load only when a build indexes

    return IndexJob(list(shards), language, scratch)


class SearchRun:
    """The search index of one build: unchanged shards kept, the others indexed meanwhile."""

    def __init__(self, shards: list[Shard], language: str, writer: SiteWriter, version: str):
        self.todo = []
        for shard in shards:
            if writer.unchanged(f"search:{shard.bundle}", shard_key(shard, language, version)):
                nested = SHARDS_DIR if shard.bundle == SEARCH_DIR else None
                writer.keep_folder(shard.bundle, but=nested)
            else:
                self.todo.append(shard)
        self.started = time.perf_counter()
        self.seconds = 0.0
        self.scratch: Path | None = None
        self.job: IndexJob | None = None
        if self.todo:
            self.scratch = Path(
                tempfile.mkdtemp(prefix=f".{writer.out.name}.search-", dir=writer.out.parent)
            )
            try:
                self.job = start_search_index(self.todo, language, self.scratch)
            except BaseException:
                self._clean()
                raise

    def finish(self, writer: SiteWriter) -> None:
        """Wait for the index and put it in the site."""
        try:
            if self.job and self.scratch:
                self.job.wait()
                for shard in self.todo:
                    writer.install(shard.bundle, self.scratch / shard.key)
        finally:
            self.seconds = time.perf_counter() - self.started
            self._clean()

    def cancel(self) -> None:
        """Stop indexing; leave nothing behind."""
        if self.job:
            self.job.cancel()
        self._clean()

    def _clean(self) -> None:
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)
