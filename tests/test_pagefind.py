"""The Pagefind service override: what it replaces upstream, and how it fails clearly."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import date

import pytest

from paperdigest.errors import BuildError
from paperdigest.plan.search import SearchRecord
from paperdigest.publish import pagefind
from paperdigest.publish.indexer import index_shard
from paperdigest.publish.pagefind import OVERRIDDEN, IndexService, upstream_source_hashes


def test_the_overridden_upstream_methods_are_the_ones_the_override_was_written_against() -> None:
    # After a Pagefind upgrade, read upstream's new launch() and _wait_for_responses(),
    # carry what changed into IndexService, and only then record the new hashes here.
    assert upstream_source_hashes() == OVERRIDDEN


def run(coroutine):  # type: ignore[no-untyped-def]
    return asyncio.run(asyncio.wait_for(coroutine, 60))


def test_a_request_the_service_cannot_parse_fails_instead_of_waiting_forever() -> None:
    async def send_garbled() -> None:
        async with IndexService() as service:
            assert isinstance(service, IndexService)
            await service.send({"type": "AddRecord", "index_id": "not a number"})  # type: ignore[typeddict-item]

    with pytest.raises(BuildError, match=r"search index: Pagefind: invalid type: string"):
        run(send_garbled())


def test_bytes_that_are_no_request_at_all_fail_every_request_in_flight() -> None:
    async def send_noise() -> None:
        async with IndexService() as service:
            assert isinstance(service, IndexService)
            assert service._backend.stdin is not None
            # The service answers in order: the noise's error (which names no request)
            # comes back while the next request waits, and must fail it, not strand it.
            service._backend.stdin.write(base64.b64encode(b"not json") + b",")
            await service.create_index()

    with pytest.raises(BuildError, match=r"search index: Pagefind: expected ident"):
        run(send_noise())


def test_a_request_past_its_deadline_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagefind, "DEADLINE_SECONDS", 1e-6)
    records = (SearchRecord("/papers/a/", "A", "alpha words", date(2025, 3, 14)),)

    async def index() -> None:
        async with IndexService() as service:
            assert isinstance(service, IndexService)
            await index_shard(service, records, "en")

    with pytest.raises(BuildError, match=r"Pagefind did not answer within 0 s"):
        run(index())


def test_a_shard_comes_back_whole_and_in_memory() -> None:
    records = (SearchRecord("/papers/a/", "A", "alpha words", date(2025, 3, 14)),)

    async def index() -> dict[str, bytes]:
        async with IndexService() as service:
            assert isinstance(service, IndexService)
            return await index_shard(service, records, "en")

    files = run(index())
    entry = json.loads(files["pagefind-entry.json"])
    assert entry["languages"]["en"]["page_count"] == 1
    assert f"pagefind.{entry['languages']['en']['hash']}.pf_meta" in files
    assert files["pagefind-ui.js"].startswith(b"(()=>")
