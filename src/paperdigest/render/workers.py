"""Render pages in worker processes: both cores for the CPU work, one writer for the disk."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ..plan.pages import Page
from ..urls import html_path, md_path
from .templates import PageRenderer


@dataclass(slots=True)
class RenderTimes:
    """Seconds spent rendering Markdown and HTML (summed over processes) and writing."""

    markdown: float = 0.0
    html: float = 0.0
    write: float = 0.0

    def add(self, other: RenderTimes) -> None:
        """Add another process's times."""
        self.markdown += other.markdown
        self.html += other.html
        self.write += other.write

    def parts(self, processes: int) -> list[tuple[str, float]]:
        """The render step's wall time by part; rendering is shared by `processes`."""
        return [
            ("render Markdown", self.markdown / processes),
            ("render HTML", self.html / processes),
            ("write pages", self.write),
        ]


PAGES_PER_TASK = 64
POOL_MIN_PAGES = 256
"""Below this, starting the workers costs more than the second core saves (~0.5 ms a page)."""
PAGES_PER_BATCH = 4096
"""Pages rendered before they are written; bounds memory on large sites."""
_JOB: tuple[list[Page], PageRenderer] | None = None

Rendered = list[tuple[str, bytes]]


@contextmanager
def render_pool(
    pages: list[Page], renderer: PageRenderer, processes: int
) -> Iterator[Callable[[], Iterator[tuple[Rendered, RenderTimes]]]]:
    """Fork worker processes for these pages; give back a function that renders them all.

    Fork before starting any thread (the search index runs in one): fork shares the
    library and templates without pickling them, but a process with other threads must
    not fork, so one that already has them (the preview server) renders in-process.
    """
    global _JOB
    chunks = [
        (start, min(start + PAGES_PER_TASK, len(pages)))
        for start in range(0, len(pages), PAGES_PER_TASK)
    ]
    batches = [
        chunks[i : i + PAGES_PER_BATCH // PAGES_PER_TASK]
        for i in range(0, len(chunks), PAGES_PER_BATCH // PAGES_PER_TASK)
    ]
    if (
        processes < 2
        or len(pages) < POOL_MIN_PAGES
        or threading.active_count() > 1
        or os.name != "posix"
    ):

        def in_process() -> Iterator[tuple[Rendered, RenderTimes]]:
            for batch in batches:
                yield _merge(_render_chunk_of(pages, renderer, chunk) for chunk in batch)

        yield in_process
        return
    # Imported here: it costs a rebuild that renders a few pages in-process ~10 ms to load.
    import multiprocessing

    _JOB = (pages, renderer)
    try:
        with multiprocessing.get_context("fork").Pool(processes, _quiet_worker) as pool:

            def in_workers() -> Iterator[tuple[Rendered, RenderTimes]]:
                # Workers only render, and they are idle while the caller writes a batch:
                # creating files while every core renders is several times slower on some
                # filesystems.
                for batch in batches:
                    yield _merge(pool.map(_render_chunk, batch))

            yield in_workers
    finally:
        _JOB = None


def _quiet_worker() -> None:
    """Leave Ctrl-C and kills to the parent, which stops the pool; no worker tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _merge(parts: Iterable[tuple[Rendered, RenderTimes]]) -> tuple[Rendered, RenderTimes]:
    files: Rendered = []
    times = RenderTimes()
    for rendered, part in parts:
        files.extend(rendered)
        times.add(part)
    return files, times


def _render_chunk(chunk: tuple[int, int]) -> tuple[Rendered, RenderTimes]:
    assert _JOB is not None
    return _render_chunk_of(*_JOB, chunk)


def _render_chunk_of(
    pages: list[Page], renderer: PageRenderer, chunk: tuple[int, int]
) -> tuple[Rendered, RenderTimes]:
    times = RenderTimes()
    rendered: Rendered = []
    clock = time.perf_counter
    for page in pages[chunk[0] : chunk[1]]:
        started = clock()
        markdown = renderer.markdown(page)
        middle = clock()
        html = renderer.html(page, markdown)
        times.markdown += middle - started
        times.html += clock() - middle
        rendered.append((md_path(page.name), markdown.encode()))
        rendered.append((html_path(page.name), html.encode()))
    return rendered, times
