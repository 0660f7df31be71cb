"""The render pool: workers share the build's data by forking, and die with the build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from paperdigest.render.workers import WORKER_NICENESS
from test_broken_input import children_of, wait_until_gone

SLOW_POOL = """
import os, sys, time
from paperdigest.render.workers import render_pool

class Slow:
    def render(self, output, times):
        time.sleep(120)  # far longer than the test waits for the workers to go
        return []

with render_pool([object()] * 300, Slow(), 2) as render_all:
    print("rendering", flush=True)
    for _ in render_all():
        pass
"""


def test_workers_die_at_once_when_the_build_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "slow_pool.py"
    script.write_text(SLOW_POOL)
    process = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline() == "rendering\n"
    workers = children_of(process.pid)
    assert len(workers) == 2
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    # Without dying with their parent they would sleep on in render() for two minutes.
    wait_until_gone(workers, timeout=30)
    assert "Traceback" not in (process.stderr.read() if process.stderr else "")


NICENESS = """
import os
from paperdigest.render.workers import render_pool

class Niceness:
    def render(self, output, times):
        return [("nice", str(os.getpriority(os.PRIO_PROCESS, 0)))]

with render_pool([object()] * 300, Niceness(), 2) as render_all:
    seen = {text for rendered, _ in render_all() for _, text in rendered}
print(os.getpriority(os.PRIO_PROCESS, 0), sorted(seen))
"""


def test_workers_render_at_a_lower_priority_than_the_build(tmp_path: Path) -> None:
    script = tmp_path / "niceness.py"
    script.write_text(NICENESS)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    build, workers = result.stdout.split(" ", 1)
    # Pagefind runs at the build's priority, so it gets the CPU it needs first.
    assert workers.strip() == f"['{min(int(build) + WORKER_NICENESS, 19)}']"
