"""Render outputs in worker processes: both cores for the CPU work, one writer for the disk."""

from __future__ import annotations

import ctypes
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from ..plan.outputs import Output
from .renderer import Rendered, Renderer, RenderTimes

PAGES_PER_TASK = 64
POOL_MIN_PAGES = 256
"""Below this, starting the workers costs more than the second core saves (~0.5 ms a page)."""
PAGES_PER_BATCH = 4096
"""Pages rendered before they are written; bounds memory on large sites."""
WORKER_NICENESS = 5
"""How much lower than the build a render worker runs."""
_JOB: tuple[list[Output], Renderer] | None = None


@contextmanager
def render_pool(
    outputs: list[Output], renderer: Renderer, processes: int
) -> Iterator[Callable[[], Iterator[tuple[Rendered, RenderTimes]]]]:
    """Fork worker processes for these outputs; give back a function that renders them all.

    Fork before starting any thread (the search index runs in one): fork shares the
    library and templates without pickling them, but a process with other threads must
    not fork, so one that already has them (the preview server) renders in-process.
    """
    global _JOB
    chunks = [
        (start, min(start + PAGES_PER_TASK, len(outputs)))
        for start in range(0, len(outputs), PAGES_PER_TASK)
    ]
    batches = [
        chunks[i : i + PAGES_PER_BATCH // PAGES_PER_TASK]
        for i in range(0, len(chunks), PAGES_PER_BATCH // PAGES_PER_TASK)
    ]
    if (
        processes < 2
        or len(outputs) < POOL_MIN_PAGES
        or threading.active_count() > 1
        or os.name != "posix"
    ):

        def in_process() -> Iterator[tuple[Rendered, RenderTimes]]:
            for batch in batches:
                yield _merge(_render_chunk_of(outputs, renderer, chunk) for chunk in batch)

        yield in_process
        return
    # Imported here: it costs a rebuild that renders a few pages in-process ~10 ms to load.
    import multiprocessing

    _JOB = (outputs, renderer)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(processes, _quiet_worker, (os.getpid(),)) as pool:

            def in_workers() -> Iterator[tuple[Rendered, RenderTimes]]:
                # Workers only render, and they are idle while the caller writes a batch:
                # creating files while every core renders is several times slower on some
                # filesystems.
                for batch in batches:
                    yield _merge(pool.map(_render_chunk, batch))

            yield in_workers
    finally:
        _JOB = None


def _quiet_worker(parent: int) -> None:
    """Leave Ctrl-C and kills to the parent, which stops the pool; no worker tracebacks.

    A worker also dies with its parent: a build killed outright (SIGKILL) stops no pool,
    and its workers would otherwise render on for seconds and print broken pipes.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Pagefind indexes the largest shards one at a time (their memory), alongside the
    # workers: it takes the CPU first, so that it is not the last to finish.
    os.nice(WORKER_NICENESS)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (AttributeError, OSError):  # not Linux: the pool's own checks remain
        return
    if os.getppid() != parent:  # the parent died before the kernel could be told
        os._exit(1)


_PR_SET_PDEATHSIG = 1


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
    outputs: list[Output], renderer: Renderer, chunk: tuple[int, int]
) -> tuple[Rendered, RenderTimes]:
    times = RenderTimes()
    rendered: Rendered = []
    for output in outputs[chunk[0] : chunk[1]]:
        rendered.extend(renderer.render(output, times))
    return rendered, times
