"""The publishing workflow's state between runs: restored, it publishes the same site."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


@pytest.mark.slow
def test_a_publish_with_the_restored_state_is_the_site_a_cold_one_publishes(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "publish.py"),
            "small",
            "--work",
            str(tmp_path),
            "--repeat",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout.splitlines()[-1])
    assert figures["byte-identical"] is True
    assert figures["published files"] > 3_000
    # The restored site was used: the cold publish had nothing to keep.
    assert figures["files kept with the cache"] > 1_000
    assert figures["files kept without it"] == 0
    # Two rounds each way, every one compared, and the machine's speed read around them.
    assert [r["files kept without it"] for r in figures["rounds"]] == [0, 0]
    assert all(r["files kept with the cache"] > 1_000 for r in figures["rounds"])
    assert len(figures["machine speed"]) == 2
    # Both checkouts were fresh clones of the same commit, with one digest more.
    cached, cold = tmp_path / "with-cache", tmp_path / "without-cache"
    assert (cached / ".git").is_dir() and (cold / ".git").is_dir()
    assert sorted(p.name for p in (cached / "content").iterdir()) == sorted(
        p.name for p in (cold / "content").iterdir()
    )
    assert any(p.name.endswith("-added.txt") for p in (cold / "content").iterdir())
