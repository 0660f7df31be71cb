"""The benchmark harness runs; its corpus is deterministic and realistic. No timings here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, read_folder

sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import SIZES, Size, write_corpus  # noqa: E402
from paperdigest.config import load_site_config  # noqa: E402
from paperdigest.dedupe import normalize_title  # noqa: E402
from paperdigest.errors import Problems  # noqa: E402


def test_the_corpus_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    size = Size(papers=200, digests=8, days=8)
    write_corpus(tmp_path / "a", size)
    write_corpus(tmp_path / "b", size)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all(
        (tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes() for n in files
    )


def test_the_small_corpus_has_its_size_and_about_11_percent_repeats(tmp_path: Path) -> None:
    write_corpus(tmp_path, SIZES["small"])
    parsed, warnings, errors = read_folder(tmp_path)
    assert errors == [] and warnings == []
    entries = [entry for file in parsed for entry in file.entries]
    papers = {normalize_title(entry.title) for entry in entries}
    assert len(parsed) == 40 and len(papers) == 1_000
    assert 0.09 < 1 - len(papers) / len(entries) < 0.13


def test_the_corpus_has_everything_on_topics_and_related_papers_too(tmp_path: Path) -> None:
    write_corpus(tmp_path, Size(papers=60, digests=3, days=3))
    problems = Problems()
    site = load_site_config(tmp_path, None, problems)
    bundled = load_site_config(REPO / "content", None, problems)
    assert problems.errors == [] and site is not None and bundled is not None
    assert [topic.name for topic in site.topics] == [topic.name for topic in bundled.topics]
    assert len(site.topics) >= 4 and site.related_papers > 0


@pytest.mark.slow
def test_the_harness_runs_on_the_small_corpus(tmp_path: Path) -> None:
    # What an earlier run left in the work folder; a cold build must not start from it.
    for folder in ("cold-search", "cold-plain-2"):
        (tmp_path / folder / "site").mkdir(parents=True)
        (tmp_path / folder / "site" / "leftover.html").write_text("from an earlier run")
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "small", "--no-hugo",
         "--work", str(tmp_path), "--repeat", "2"],
        capture_output=True,
        text=True,
        timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for row in ("| read digests |", "| render HTML |", "| index |", "| **wall time** |"):
        assert row in out
    assert out.count("2 rebuilds took") == 2
    assert "cold, with search, 2 runs: " in out and "cold, without search, 2 runs: " in out
    assert "write and swap" in out
    assert "Machine speed: a fixed Python loop took" in out
    assert "Published output:" in out
    assert out.count("byte-identical to a cold build: yes") == 2


def test_pagefind_cpu_indexes_the_records_and_reports_the_split(tmp_path: Path) -> None:
    write_corpus(tmp_path / "content", Size(papers=60, digests=3, days=3))
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "pagefind_cpu.py"), str(tmp_path / "content"),
         "--papers", "20", "--cut", "50"],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "20 records in 1 shard, one Pagefind service" in result.stdout
    assert "Pagefind CPU: adding" in result.stdout and "per record:" in result.stdout


def test_the_corpus_as_daily_papers_days_holds_the_same_papers_with_ids_and_authors(
    tmp_path: Path,
) -> None:
    write_corpus(tmp_path / "text", SIZES["small"])
    write_corpus(tmp_path / "json", SIZES["small"], form="json")
    text, _, errors = read_folder(tmp_path / "text")
    days, warnings, json_errors = read_folder(tmp_path / "json")
    assert errors == json_errors == warnings == []
    assert [f.path.rsplit("/", 1)[1][:10] for f in days] == [
        f.path.rsplit("/", 1)[1][:10] for f in text
    ]
    listed = [(e.title, e.abstract) for f in days for e in f.entries]
    assert listed == [(e.title, e.abstract) for f in text for e in f.entries]
    ids = {e.title: e.arxiv_id for f in days for e in f.entries}
    assert len(set(ids.values())) == len(ids) == 1_000  # one ID per paper, kept when repeated
    assert all(e.authors for f in days for e in f.entries)
