"""One build's work on its output folder, and the rules for running its parts at once."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from .errors import BuildError
from .plan.feed import Feed, FeedItem
from .plan.outputs import Output, Plan
from .plan.search import SHARDS_DIR, Shard
from .publish.feed import live_feed_items
from .publish.writer import SiteWriter
from .render.renderer import Renderer, RenderTimes
from .render.templates import Templates
from .render.workers import render_pool

if TYPE_CHECKING:
    from .publish.indexer import IndexJob
Note = Callable[[str], None]


class BuildSession:
    """Finds what changed, renders and indexes it at once, and swaps the new site in.

    The rules that make running at once safe live here:

    - The cyclic garbage collector is off from the start of the build: reading, dedupe
      and planning make a few hundred thousand long-lived objects and no cycles, which it
      would rescan over and over, for a third of a rebuild's time. When rendering starts,
      everything made so far is frozen (hidden from the collector, in this process and in
      the forked workers, where collecting would also copy every page it touches) and the
      collector is turned back on. Leaving the session undoes both.
    - Worker processes fork before any thread starts: the search index runs Pagefind from
      a thread, and a process with threads must not fork. A process that already has
      threads (the preview server) renders in-process instead.
    - If anything fails or is interrupted, leaving the session cancels the index (its
      Pagefind services close) and the workers stop, and the writer leaves the live site
      exactly as it was; the error goes on to the caller.
    """

    def __init__(self, content: Path, out: Path, processes: int) -> None:
        inside, outside = content.resolve(), out.resolve()
        if outside == inside or inside in outside.parents or outside in inside.parents:
            raise BuildError("the output folder and the content folder must not contain each other")
        self.out = out
        self.processes = processes
        self.writer: SiteWriter | None = None
        self.index_job: IndexJob | None = None
        self.changed: list[Output] = []
        self.render_times = RenderTimes()
        self._index_started = 0.0

    def __enter__(self) -> BuildSession:
        self._collector_was_on = gc.isenabled()
        gc.disable()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if exc_type is not None:
                if self.index_job is not None:
                    self.index_job.cancel()
                if self.writer is not None:
                    self.writer.abort()
        finally:
            gc.unfreeze()
            if self._collector_was_on:
                gc.enable()
            else:
                gc.disable()

    def find_changes(self, plan: Plan) -> list[Output]:
        """Take the output folder; keep every output whose key is unchanged, return the rest."""
        writer = self.writer = SiteWriter(self.out)
        folders = [output.folder for output in plan.outputs if output.folder]
        for output in plan.outputs:
            if output.folder:  # a shard: the files Pagefind wrote for it last time
                nested = any(f.startswith(output.folder + "/") for f in folders)
                paths = writer.live_files(output.folder, but=SHARDS_DIR if nested else None)
            else:
                paths = list(output.paths)
            unchanged = writer.unchanged(output.id, output.key)
            if not (unchanged and (paths or not output.folder) and writer.keep_intact(paths)):
                self.changed.append(output)
        return self.changed

    def render(self, plan: Plan, templates: Templates, note: Note) -> list[tuple[str, float]]:
        """Render every changed file while Pagefind indexes the changed shards; write them.

        Returns how the time divided: rendering (shared by the workers) and writing.
        """
        assert self.writer is not None
        writer = self.writer
        # Everything made so far lives as long as the build: see the class's first rule.
        gc.freeze()
        gc.enable()
        changed = {output.id for output in self.changed}
        unchanged_items = {
            output.record.url
            for output in plan.outputs
            if isinstance(output.record, FeedItem) and output.id not in changed
        }
        reuse: dict[str, str] = {}
        for output in plan.outputs:  # GUIDs differ from feed to feed: one map holds all
            if isinstance(output.record, Feed) and unchanged_items:
                reuse |= live_feed_items(self.out / output.record.path, unchanged_items)
        renderer = Renderer(templates, plan.layout, reuse)
        files = [output for output in self.changed if output.paths]
        shards = [o.record for o in self.changed if isinstance(o.record, Shard)]
        with render_pool(files, renderer, self.processes) as render_all:
            if shards:  # after the fork: see the class's second rule
                from .publish.indexer import IndexJob  # Pagefind loads only when a build indexes

                self._index_started = time.perf_counter()
                self.index_job = IndexJob(shards)
            done = 0
            for rendered, part in render_all():
                started = time.perf_counter()
                for path, data in rendered:
                    writer.write(path, data)
                if self.index_job is not None:  # finished shards: their bytes leave memory
                    for path, data in self.index_job.ready():
                        writer.write(path, data)
                self.render_times.add(part)
                self.render_times.write += time.perf_counter() - started
                done += len(rendered)
                note(f"rendered {done:,} files")
        return self.render_times.parts(self.processes)

    def index(self) -> list[tuple[str, float]]:
        """Wait for the search index and write its files; how long indexing took in all."""
        assert self.writer is not None
        if self.index_job is None:
            return []
        for path, data in self.index_job.files():
            self.writer.write(path, data)
        self.index_job = None
        return [("indexing, alongside rendering", time.perf_counter() - self._index_started)]

    def commit(self, base_url: str, make_spare: bool) -> None:
        """Swap the new site in."""
        assert self.writer is not None
        self.writer.commit(base_url, make_spare=make_spare)
