"""How much CPU Pagefind needs for a corpus's search index, apart from the rest of a build.

    .venv/bin/python benchmarks/pagefind_cpu.py CONTENT_DIR [--papers N] [--cut CHARS]

Reads and dedupes the corpus as a build does, then indexes the build's records, shard by
shard, with one Pagefind service, and prints the CPU time Pagefind spent adding records
and writing each index (from /proc; one service, so nothing overlaps). `--cut` indexes
only the first CHARS characters of each abstract, to show how the cost follows the text.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import time
from pathlib import Path

from pagefind.index import IndexConfig

from paperdigest.build import read_library
from paperdigest.plan.search import Shard, plan_shards
from paperdigest.publish.indexer import add_records
from paperdigest.publish.pagefind import IndexService


def service_cpu(pid: int) -> float:
    """User plus system seconds a process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def index(shards: list[Shard], cut: int | None) -> tuple[float, float]:
    """Index every shard with one service; the seconds of CPU spent adding and writing."""
    adding = writing = 0.0
    async with IndexService() as service:
        assert isinstance(service, IndexService)
        for shard in shards:
            config = IndexConfig(force_language=shard.language, write_playground=False)
            pagefind_index = await service.create_index(config)
            records = [
                dataclasses.replace(record, content=record.content[:cut]).fields(shard.language)
                for record in shard.records
            ]
            before = service_cpu(service.pid)
            await add_records(pagefind_index, records)
            middle = service_cpu(service.pid)
            await pagefind_index.get_files()
            await pagefind_index.delete_index()
            adding += middle - before
            writing += service_cpu(service.pid) - middle
    return adding, writing


def main() -> None:
    """Read the corpus, index it, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--papers", type=int, help="index only the first N papers")
    parser.add_argument("--cut", type=int, help="index only each abstract's first CHARS")
    args = parser.parse_args()
    site, library = read_library(args.content)
    shards = plan_shards(library.papers[: args.papers], site.language)
    started = time.perf_counter()
    adding, writing = asyncio.run(index(shards, args.cut))
    wall = time.perf_counter() - started
    papers = sum(len(shard.records) for shard in shards)
    total = adding + writing
    shards_said = f"{len(shards)} shard" + ("s" if len(shards) != 1 else "")
    print(f"{papers:,} records in {shards_said}, one Pagefind service: {wall:.2f} s")
    print(f"Pagefind CPU: adding {adding:.2f} s, writing {writing:.2f} s, in all {total:.2f} s")
    print(f"per record: {total / papers * 1000:.2f} ms")


if __name__ == "__main__":
    main()
