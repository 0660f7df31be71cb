"""Indexing in the background: a shard's files come back whole, and stopping it at any
moment leaves no Pagefind running and nothing to complain about later."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import date
from pathlib import Path

from paperdigest.plan.search import SearchRecord, Shard
from paperdigest.publish.indexer import Budget, IndexJob

STOP_AT_ONCE = """
import gc, sys, time
from datetime import date
from paperdigest.plan.search import SearchRecord, Shard
from paperdigest.publish.indexer import IndexJob

day = date(2025, 3, 14)
records = tuple(SearchRecord(f"/p{n}/", f"T{n}", "words " * 50, day) for n in range(50))
shards = [
    Shard("2025-03", "pagefind", "en", records),
    Shard("2025-04", "pagefind/shards/2025-04", "en", records),
]
for delay in [0, 0.001, 0.003, 0.01, 0.03, 0.1] * 3:
    job = IndexJob(shards)
    time.sleep(delay)  # not a wait: it spreads the stops over the services' start
    job.cancel()
    gc.collect()  # a transport left open would complain about the closed loop now
print("stopped them all")
"""


def test_stopping_the_index_at_any_moment_leaves_nothing_behind(tmp_path: Path) -> None:
    script = tmp_path / "stop.py"
    script.write_text(STOP_AT_ONCE)
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "stopped them all\n"
    # Without waiting for every worker, asyncio said "Loop ... that handles pid ... is
    # closed" and a subprocess transport raised "Event loop is closed" when collected.
    assert result.stderr == ""
    from test_broken_input import processes_in

    assert processes_in(tmp_path) == []


def test_shards_that_do_not_fit_together_are_indexed_one_after_the_other() -> None:
    async def scenario() -> list[str]:
        budget = Budget(7_500)
        events: list[str] = []

        async def index(name: str, papers: int, asked: asyncio.Event, go: asyncio.Event) -> None:
            asked.set()  # what follows runs up to the wait for room
            await budget.take(papers)
            events.append(f"{name} starts")
            await go.wait()
            events.append(f"{name} ends")
            await budget.give_back(papers)

        flags = {name: (asyncio.Event(), asyncio.Event()) for name in ("big", "next", "small")}
        big = asyncio.create_task(index("big", 7_000, *flags["big"]))
        await flags["big"][0].wait()
        following = asyncio.create_task(index("next", 7_000, *flags["next"]))
        await flags["next"][0].wait()  # it waits for room now
        events.append("big is told to end")
        flags["big"][1].set()
        await big
        small = asyncio.create_task(index("small", 400, *flags["small"]))
        for _, go in flags.values():
            go.set()
        await asyncio.gather(following, small)
        return events

    events = asyncio.run(scenario())
    assert events[:3] == ["big starts", "big is told to end", "big ends"]
    assert events[3] == "next starts"
    assert "small starts" in events  # 400 more fit beside the 7,000


def test_a_shard_larger_than_the_budget_is_indexed_alone() -> None:
    async def alone() -> int:
        budget = Budget(10)
        await budget.take(10_000)
        taken = budget.used
        await budget.give_back(10_000)
        return taken

    assert asyncio.run(alone()) == 10_000


def test_finished_shards_are_handed_over_once_before_the_rest() -> None:
    day = date(2025, 3, 14)
    records = tuple(SearchRecord(f"/p{n}/", f"T{n}", "words " * 20, day) for n in range(5))
    shards = [
        Shard("2025-03", "pagefind", "en", records),
        Shard("2025-04", "pagefind/shards/2025-04", "en", records[:2]),
    ]
    job = IndexJob(shards)
    job.done.wait()  # both finished: the event the job sets when its loop ends
    early = dict(job.ready())
    assert dict(job.ready()) == {}  # handed over once
    assert dict(job.files()) == {}  # nothing left for the end
    assert dict(IndexJob(shards).files()) == early  # the same files as waiting for all
    assert {"pagefind/pagefind-entry.json", "pagefind/shards/2025-04/pagefind-entry.json"} <= set(
        early
    )
