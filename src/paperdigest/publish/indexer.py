"""Index search shards with Pagefind in the background, and hand back every file's bytes.

Pagefind returns each bundle in memory (`get_files`), so every byte of the search index
reaches the site through the build's own writer, which checks every write. Imported only
by builds that index: a build without search loads neither Pagefind nor asyncio.
"""

from __future__ import annotations

import asyncio
import fnmatch
import os
import queue
import threading
from collections.abc import Iterator
from typing import Any

from pagefind.index import IndexConfig

from ..errors import BuildError
from ..plan.search import SHARD_PAPERS, SearchRecord, Shard
from .pagefind import IndexService, answered, sort_filters

DATA_ONLY = ("pagefind-entry.json", "*.pf_meta", "index/*", "fragment/*", "filter/*")
"""The files a merged shard keeps; only the primary bundle needs Pagefind's scripts."""
RECORDS_IN_FLIGHT = 64
"""Records sent to a service ahead of its replies: enough to keep it busy, bounded memory."""
PAPERS_AT_ONCE = SHARD_PAPERS
"""At most this many papers indexed at the same time, over all services, unless a shard is
larger alone: Pagefind's memory grows with the text it holds, so two full shards of closed
months are indexed one after the other, while small ones share the cores."""

Results = queue.SimpleQueue[tuple[str, dict[str, bytes]]]
"""Each finished shard's bundle path and files, as they finish."""


class IndexJob:
    """Pagefind indexing shards in the background, one single-threaded service per core,
    with at most `PAPERS_AT_ONCE` papers being indexed at a time.

    It runs on an event loop in a thread of its own, which works even when the caller
    already runs a loop (the preview server, a notebook, a browser test). `ready` hands
    over the shards finished so far, so that their bytes need not wait in memory; `files`
    waits for the rest. Ctrl-C while waiting, or `cancel`, closes the Pagefind services.
    """

    def __init__(self, shards: list[Shard]) -> None:
        self.results: Results = queue.SimpleQueue()
        services = min(len(shards), os.cpu_count() or 1)
        self.loop = asyncio.new_event_loop()
        self.task = self.loop.create_task(_index_all(list(shards), self.results, services))
        # An Event, not Thread.join: a KeyboardInterrupt inside join() can leave the thread
        # looking finished while it still runs (CPython 3.11).
        self.done = threading.Event()
        threading.Thread(target=self._run, name="pagefind", daemon=True).start()

    def _run(self) -> None:
        try:
            self.loop.run_until_complete(self.task)
        except BaseException:  # noqa: S110 - the outcome is read from the task
            pass
        finally:
            self.done.set()

    def ready(self) -> Iterator[tuple[str, bytes]]:
        """Every file of the shards finished since the last call, by its path in the site."""
        while True:
            try:
                bundle, files = self.results.get_nowait()
            except queue.Empty:
                return
            for path, data in sorted(files.items()):
                yield f"{bundle}/{path}", data

    def files(self) -> Iterator[tuple[str, bytes]]:
        """Wait for the index; then every file of the shards not handed over yet."""
        try:
            while not self.done.wait(0.05):
                pass
        except BaseException:
            self.cancel()
            raise
        self.loop.close()
        try:
            self.task.result()
        except BuildError:
            raise
        except Exception as exc:  # the wrapper raises bare Exceptions with the service's message
            raise BuildError(f"search index: Pagefind failed: {exc}") from exc
        yield from self.ready()

    def cancel(self) -> None:
        """Stop indexing and close the Pagefind services."""
        if not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.task.cancel)
            self.done.wait()
            self.loop.close()


class Budget:
    """Papers being indexed now, and a wait for room for more."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.changed = asyncio.Condition()

    async def take(self, papers: int) -> None:
        """Wait until `papers` more fit, or nothing else is being indexed; take them."""
        async with self.changed:
            await self.changed.wait_for(lambda: not self.used or self.used + papers <= self.limit)
            self.used += papers

    async def give_back(self, papers: int) -> None:
        """Papers indexed: make room for the next shard."""
        async with self.changed:
            self.used -= papers
            self.changed.notify_all()


async def _index_all(shards: list[Shard], results: Results, n: int) -> None:
    budget = Budget(PAPERS_AT_ONCE)
    workers = [asyncio.ensure_future(_index_worker(shards, results, budget)) for _ in range(n)]
    try:
        await asyncio.gather(*workers)
    finally:
        # Stopped or failed: every worker must have closed its Pagefind (a half-launched
        # one waits for its process to die) before the loop may stop. A worker asked to
        # stop once is not asked again, which would cut that wait short.
        for worker in workers:
            if not worker.done() and not worker.cancelling():
                worker.cancel()
        await asyncio.wait(workers)


async def _index_worker(shards: list[Shard], results: Results, budget: Budget) -> None:
    async with IndexService() as service:
        assert isinstance(service, IndexService)  # upstream types __aenter__ as its base class
        while shards:
            shard = shards.pop(0)
            await budget.take(len(shard.records))
            try:
                files = await index_shard(service, shard.records, shard.language)
            finally:
                await budget.give_back(len(shard.records))
            if not shard.primary:
                files = {p: d for p, d in files.items() if _data_only(p)}
            results.put((shard.bundle, files))


async def index_shard(
    service: IndexService, records: tuple[SearchRecord, ...], language: str
) -> dict[str, bytes]:
    """Index records with one service; the bundle's files (reproducible) by relative path."""
    config = IndexConfig(force_language=language, write_playground=False)
    index = await answered(service.create_index(config))
    await add_records(index, [record.fields(language) for record in records])
    files = await answered(index.get_files())
    await answered(index.delete_index())
    return sort_filters({file["path"]: file["content"] for file in files})


async def add_records(index: Any, records: list[dict[str, Any]]) -> None:
    """Add records to a Pagefind index, a bounded number of them awaiting replies."""
    window = asyncio.Semaphore(RECORDS_IN_FLIGHT)

    async def add(fields: dict[str, Any]) -> None:
        async with window:
            await answered(index.add_custom_record(**fields))

    await asyncio.gather(*(add(fields) for fields in records))


def _data_only(path: str) -> bool:
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in DATA_ONLY)
