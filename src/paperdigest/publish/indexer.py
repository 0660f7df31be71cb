"""Drive Pagefind: index shards through its Python API, and make the output reproducible.

Imported only by builds that index, so a build without search loads none of this.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import cbor2
from pagefind.index import IndexConfig
from pagefind.service import PagefindService

from ..errors import BuildError
from ..plan.search import SEARCH_DIR, Shard, record

# Only the primary bundle needs Pagefind's scripts, styles and WebAssembly.
_DATA_ONLY = ("pagefind-entry.json", "*.pf_meta", "index", "fragment", "filter")


class IndexJob:
    """Pagefind indexing shards in the background, one single-threaded service per core.

    It runs on an event loop in a thread of its own, which works even when the caller
    already runs a loop (the preview server, a notebook, a browser test). `wait` for the
    result; Ctrl-C while waiting, or `cancel`, closes the Pagefind services.
    """

    def __init__(self, shards: list[Shard], language: str, scratch: Path) -> None:
        self.shards = shards
        self.scratch = scratch
        services = min(len(shards), os.cpu_count() or 1)
        self.loop = asyncio.new_event_loop()
        self.task = self.loop.create_task(_index_all(list(shards), language, scratch, services))
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

    def wait(self) -> None:
        """Wait for the index, then make its files reproducible; raise its failure if any."""
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
        for shard in self.shards:
            sort_filters(self.scratch / shard.key)
            if shard.bundle != SEARCH_DIR:
                _keep_data_only(self.scratch / shard.key)

    def cancel(self) -> None:
        """Stop indexing and close the Pagefind services."""
        if not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.task.cancel)
            self.done.wait()
            self.loop.close()


class _Service(PagefindService):
    """Pagefind's service, tuned for many records; the index API on top is unchanged.

    The wrapper sleeps 0.1 s before reading each reply, which costs 1,000 s for 10,000
    records; this reads replies as they come. And each service runs single-threaded: with
    one service per core, Pagefind's idle threads otherwise spin for about a third more CPU.
    """

    async def launch(self) -> _Service:
        self._backend = await asyncio.create_subprocess_exec(
            self._bin,
            "--service",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            limit=2**21,
            env={**os.environ, "RAYON_NUM_THREADS": "1"},
        )
        self._poll_task = self._loop.create_task(self._wait_for_responses())
        return self

    async def _wait_for_responses(self) -> None:
        assert self._backend.stdout is not None
        try:
            while True:
                reply = json.loads(
                    base64.b64decode((await self._backend.stdout.readuntil(b","))[:-1])
                )
                future = self._responses.get(reply.get("message_id"))
                payload = reply["payload"]
                if future is None or future.done():
                    continue
                if payload["type"] == "Error":
                    future.set_exception(
                        BuildError(f"search index: Pagefind: {payload['message']}")
                    )
                else:
                    future.set_result(payload)
        except (asyncio.IncompleteReadError, ConnectionError):
            for future in self._responses.values():
                if not future.done():
                    future.set_exception(BuildError("search index: Pagefind stopped unexpectedly"))


RECORDS_IN_FLIGHT = 64
"""Records sent to a service ahead of its replies: enough to keep it busy, bounded memory."""


async def _index_all(queue: list[Shard], language: str, scratch: Path, services: int) -> None:
    await asyncio.gather(*(_index_worker(queue, language, scratch) for _ in range(services)))


async def _index_worker(queue: list[Shard], language: str, scratch: Path) -> None:
    config = IndexConfig(force_language=language, write_playground=False)
    async with _Service() as service:
        while queue:
            shard = queue.pop(0)
            index = await service.create_index(config)
            await add_records(index, [record(paper, language) for paper in shard.papers])
            await index.write_files(output_path=str(scratch / shard.key))
            await index.delete_index()


async def add_records(index: Any, records: list[dict[str, Any]]) -> None:
    """Add records to a Pagefind index, a bounded number of them awaiting replies."""
    window = asyncio.Semaphore(RECORDS_IN_FLIGHT)

    async def add(fields: dict[str, Any]) -> None:
        async with window:
            await index.add_custom_record(**fields)

    await asyncio.gather(*(add(fields) for fields in records))


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
