"""Pagefind's service, tuned for many records, and its index files made reproducible.

The Python API's service (`pagefind.service.PagefindService`) sleeps 0.1 s before it
reads each reply, which costs 1,000 s for 10,000 records. `IndexService` overrides the
two methods that launch the binary and read its replies; everything else is upstream's.
`OVERRIDDEN` holds hashes of the upstream source those overrides were written against,
and a test fails when the installed package's differ, so an upgrade cannot silently
change what they replace.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import inspect
import json
import os
from collections.abc import Awaitable
from typing import Any, TypeVar

import cbor2
from pagefind.service import PagefindService

from ..errors import BuildError

REPLY_LIMIT = 2**30
"""The largest reply read, in bytes: a shard's whole bundle comes back in one reply."""
DEADLINE_SECONDS = 600.0
"""How long one request may wait for its reply before the build gives up on Pagefind."""
OVERRIDDEN = {
    "launch": "ad2582e3e35a549ac57a83003846682ad09a9d53f0a6041f25c5160776888548",
    "_wait_for_responses": "a24cf8492ca7a8d95e34516f9b3fd8cf4fdff95146c6eb32a9808446312a768b",
}
"""SHA-256 of the upstream methods' source (pagefind 1.5.2) that `IndexService` replaces."""

T = TypeVar("T")


def upstream_source_hashes() -> dict[str, str]:
    """The hashes of the installed package's versions of the overridden methods."""
    return {
        name: hashlib.sha256(inspect.getsource(getattr(PagefindService, name)).encode()).hexdigest()
        for name in OVERRIDDEN
    }


class IndexService(PagefindService):
    """Pagefind's service, reading replies as they come; one single-threaded binary.

    Each service runs single-threaded: with one service per core, Pagefind's idle threads
    otherwise spin for about a third more CPU.
    """

    @property
    def pid(self) -> int:
        """The Pagefind process's id (benchmarks read its CPU time)."""
        return self._backend.pid

    async def launch(self) -> IndexService:
        """Start the binary single-threaded, with room for a whole bundle in one reply."""
        self._backend = await asyncio.create_subprocess_exec(
            self._bin,
            "--service",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            limit=REPLY_LIMIT,
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
                if reply is not None:
                    self._answer(reply)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            self._fail_all("Pagefind stopped unexpectedly")
        except (ValueError, KeyError, TypeError) as exc:
            self._fail_all(f"Pagefind sent a reply that cannot be read ({exc})")

    async def close(self) -> None:
        """Wait for replies still due, then stop the binary."""
        # Upstream waits for every request's reply, and a request given up on (past its
        # deadline, or cancelled) would make that wait raise instead.
        self._responses = {i: f for i, f in self._responses.items() if not f.done()}
        try:
            await super().close()
        except asyncio.CancelledError:
            # Stopped while closing (a build cancelled as a worker finished): the binary
            # must still stop and be waited for, or its process outlives the event loop.
            self._poll_task.cancel()
            if self._backend.returncode is None:
                self._backend.kill()
            await self._backend.wait()
            raise

    def _answer(self, reply: dict[str, Any]) -> None:
        payload = reply["payload"]
        message_id = reply.get("message_id")
        if message_id is None:
            message_id = _sent_id(payload.get("original_message"))
        future = self._responses.get(message_id) if message_id is not None else None
        if future is None:
            if payload.get("type") == "Error":  # no request to fail: fail them all
                self._fail_all(f"Pagefind: {payload.get('message')}")
            return
        if future.done():
            return
        if payload["type"] == "Error":
            future.set_exception(BuildError(f"search index: Pagefind: {payload['message']}"))
        else:
            future.set_result(payload)

    def _fail_all(self, message: str) -> None:
        for future in self._responses.values():
            if not future.done():
                future.set_exception(BuildError(f"search index: {message}"))


def _sent_id(original: object) -> int | None:
    """The id of a request the service could not parse: it sends the request back, and
    the id is in it, as upstream recovers it (unless the request was not JSON at all)."""
    try:
        sent = json.loads(original) if isinstance(original, str) else None
    except ValueError:
        return None
    message_id = sent.get("message_id") if isinstance(sent, dict) else None
    return message_id if isinstance(message_id, int) else None


async def answered(request: Awaitable[T]) -> T:
    """The reply to a request, or a clear error if Pagefind does not answer in time."""
    try:
        return await asyncio.wait_for(request, DEADLINE_SECONDS)
    except TimeoutError:
        raise BuildError(
            f"search index: Pagefind did not answer within {DEADLINE_SECONDS:.0f} s"
        ) from None


def sort_filters(files: dict[str, bytes]) -> dict[str, bytes]:
    """A bundle's files with its filter files and metadata rewritten in sorted order.

    Pagefind 1.5.2 writes filter keys and values in hash-map order, which changes from run
    to run, so the same content would give different filter files, metadata and entry
    hash. (Later Pagefind sorts them itself.) The files are gzip over a signature and CBOR;
    only their order changes here, and names are re-derived from the sorted bytes.
    """
    files = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    for language, info in entry["languages"].items():
        meta = _decode(files.pop(f"pagefind.{info['hash']}.pf_meta"))
        filters = {}
        for name, file_hash in meta[_META_FILTERS]:
            key, values = _decode(files.pop(f"filter/{file_hash}.pf_filter"))
            filters[name] = _encode([key, sorted([v, sorted(p)] for v, p in values)])
        listing = []
        for name in sorted(filters):
            file_hash = _name(language, filters[name], 7)
            files[f"filter/{file_hash}.pf_filter"] = filters[name]
            listing.append([name, file_hash])
        meta[_META_FILTERS] = listing
        data = _encode(meta)
        info["hash"] = _name(language, data, 10)
        files[f"pagefind.{info['hash']}.pf_meta"] = data
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    files["pagefind-entry.json"] = text.encode()
    return files


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
