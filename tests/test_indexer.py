"""Indexing in the background: a shard's files come back whole, and stopping it at any
moment leaves no Pagefind running and nothing to complain about later."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
