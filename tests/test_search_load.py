"""The search-load benchmark: the site's index against one Pagefind index, in Chromium."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


@pytest.mark.slow
@pytest.mark.browser
def test_the_benchmark_counts_what_each_query_loads_on_both_sites(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks/search_load.py"), "small", "--work", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout.splitlines()[-1])
    assert figures["records"] == 1_000
    site, single = figures["site"], figures["single"]
    # The small corpus spans two months: the closed one and the latest, two indexes.
    assert figures["parts"] == 2
    for label in ("common word", "phrase", "rare word"):
        assert "result" in site[label]["results"] and "No results" not in site[label]["results"]
        # Merging one more index costs requests; it never saves any.
        assert site[label]["requests"] > single[label]["requests"] > site["UI only"]["requests"]
    # A word no record has still loads the index (Pagefind may answer it with near words).
    assert site["no match"]["requests"] >= single["no match"]["requests"] > 6
    assert single["common word"]["results"] == site["common word"]["results"]
    # One index of every record holds a page per record, as the site's parts do together.
    entry = json.loads((tmp_path / "single/pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 1_000
    assert "| common word (" in result.stdout
