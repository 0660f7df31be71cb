"""Benchmark paperdigest against Hugo plus Pagefind, on one machine, in the same run.

    .venv/bin/python benchmarks/run.py [small|medium|large] [--no-hugo] [--work DIR] [--repeat N]

Prints a table for a cold build (run `--once`, as the publishing workflow does) and for an
incremental rebuild (one new 30-paper digest), with and without search: wall time per stage,
peak RSS of the whole process tree, output size, and bytes per paper. It checks, and says,
that the incremental result is byte-identical to a cold build of the same content and that
unchanged files kept their mtimes, and how fast the machine ran (a fixed loop, timed before
and after): shared VMs drift.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import SIZES, add_digest, write_corpus  # noqa: E402
from hugo import write_hugo_site  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


@dataclass
class Run:
    """One timed command: wall time, the stages it reported, and peak memory."""

    label: str
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    peak_rss: int = 0


SAMPLE_SHARE = 0.05
"""The most of one core the memory sampler may take from the command it measures."""


class RssSampler:
    """Samples the memory of a process and all its descendants, within `SAMPLE_SHARE`.

    Reading a process's PSS makes the kernel walk its page tables: during a large build one
    sample of the whole tree took 70 ms of CPU. Sampling every 20 ms regardless took up to
    a third of a core from the build (and from Pagefind over Hugo), so the wait between
    samples grows with what the last one cost.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        wait = 0.02
        while not self._stop.wait(wait):
            started = time.perf_counter()
            self.peak = max(self.peak, tree_rss(self.pid))
            wait = max(0.02, (time.perf_counter() - started) / SAMPLE_SHARE)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def tree_rss(root: int) -> int:
    """Bytes of memory used by `root` and its descendants, from /proc.

    Forked workers share most pages with their parent, so this sums proportional set sizes
    (PSS: a shared page counts once in all), not resident set sizes.
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss(pid)
        todo.extend(children.get(pid, []))
    return total


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def timed(label: str, command: list[str], cwd: Path) -> Run:
    """Run a command, timing it and sampling its memory; fail loudly if it fails."""
    subprocess.run(["sync"], check=False)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = RssSampler(process.pid)
    out, err = process.communicate()
    run = Run(label, time.perf_counter() - started, peak_rss=sampler.stop())
    if process.returncode != 0:
        raise SystemExit(f"{label} failed:\n{err.decode()}")
    run.stages = stages_of(err.decode())
    del out
    return run


def stages_of(stderr: str) -> dict[str, float]:
    """The steps a build printed, as `  <name>  <seconds> s`, with their seconds."""
    stages = {}
    for line in stderr.splitlines():
        name, _, rest = line.strip().partition("  ")
        seconds = rest.strip().removesuffix(" s")
        if name and seconds.replace(".", "", 1).isdigit():
            stages[name.strip()] = float(seconds)
    return stages


def compile_package() -> None:
    """Byte-compile paperdigest's modules, as a regular install does.

    The project installs itself editable, and Python writes no bytecode where
    PYTHONDONTWRITEBYTECODE is set (as on our build machine): every timed run would
    otherwise compile the package again, about 0.1 s that no user pays.
    """
    import paperdigest

    compileall.compile_dir(Path(paperdigest.__file__).parent, quiet=1)


def paperdigest(label: str, content: Path, out: Path, *options: str) -> Run:
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [PYTHON, "-m", "paperdigest", "build", "--content", str(content), "--out", str(out)]
    return timed(label, [*command, *options], out.parent)


def hugo_and_pagefind(site: Path, public: str) -> list[Run]:
    """Hugo over an equivalent site into `public`, then Pagefind (its Python API) over that."""
    hugo = timed("Hugo", ["hugo", "--quiet", "-d", public], site)
    script = (
        "import asyncio\n"
        "from pagefind.index import PagefindIndex, IndexConfig\n"
        "async def main():\n"
        f"    async with PagefindIndex(IndexConfig(output_path='{public}/pagefind')) as index:\n"
        f"        await index.add_directory('{public}')\n"
        "asyncio.run(main())\n"
    )
    pagefind = timed("Pagefind over Hugo", [PYTHON, "-c", script], site)
    return [hugo, pagefind]


def cold_round(
    content: Path, work: Path, hugo_site: Path | None, cold_only: bool, attempt: int
) -> list[Run]:
    """One round of cold builds, each into a new folder: Hugo and Pagefind, then ours."""
    suffix = "" if attempt == 0 else f"-{attempt + 1}"
    runs = hugo_and_pagefind(hugo_site, f"public{suffix}") if hugo_site else []
    # Cold builds run once, as the publishing workflow does: --once skips preparing a rebuild.
    site = work / f"cold-search{suffix}" / "site"
    runs.append(paperdigest("cold, with search", content, site, "--once"))
    if not cold_only:
        plain = work / f"cold-plain{suffix}" / "site"
        runs.append(paperdigest("cold, without search", content, plain, "--no-search", "--once"))
    return runs


def median(runs: list[Run]) -> Run:
    """The run with the median wall time (the upper one of an even number)."""
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def tree_bytes(folder: Path, keep: Callable[[Path], bool] = lambda p: True) -> int:
    """Bytes of the files GitHub Pages publishes: upload-pages-artifact leaves out dotfiles."""
    return sum(
        p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".") and keep(p)
    )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mtime, by path."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def incremental(
    content: Path, work: Path, generator: object, search: bool, repeat: int = 1
) -> tuple[Run, str]:
    """Cold build, add one digest, rebuild; compare with a cold build of the result.

    With `repeat`, the whole cold-then-rebuild sequence runs that many times (the same
    digest added each time) and the rebuild's median is reported, with the range.
    """
    options = [] if search else ["--no-search"]
    name = "with search" if search else "without search"
    live = work / f"incremental-{'search' if search else 'plain'}"
    runs = []
    text = None
    for attempt in range(repeat):
        shutil.rmtree(live, ignore_errors=True)
        # Without --once: this build also keeps the spare copy and cache the rebuild uses.
        paperdigest("setup", content, live / "site", *options)
        if attempt == 0:
            before = snapshot(live / "site")
            added = add_digest(content, generator)  # type: ignore[arg-type]
            text = added.read_text()
        else:
            added.write_text(text)
        try:
            runs.append(paperdigest(f"incremental, {name}", content, live / "site", *options))
            if attempt == 0:
                after = snapshot(live / "site")
                cold = work / f"cold-check-{'search' if search else 'plain'}"
                paperdigest("check", content, cold / "site", "--once", *options)
                reference = snapshot(cold / "site")
                shutil.rmtree(cold, ignore_errors=True)
        finally:
            added.unlink()
    identical = {p: b for p, (b, _) in after.items()} == {p: b for p, (b, _) in reference.items()}
    unchanged = [p for p, (b, _) in before.items() if p in after and after[p][0] == b]
    kept = sum(after[p][1] == before[p][1] for p in unchanged)
    written = sum(1 for p in after if p not in before or after[p][0] != before[p][0])
    verdict = (
        f"byte-identical to a cold build: {'yes' if identical else 'NO'}; "
        f"unchanged files with their mtime kept: {kept:,} of {len(unchanged):,}; "
        f"files written: {written:,}"
    )
    if repeat > 1:
        verdict += f"; {repeat} rebuilds took {spread(runs)}"
    shutil.rmtree(live, ignore_errors=True)
    return median(runs), verdict


def spread(runs: list[Run]) -> str:
    """The range of the runs' wall times."""
    seconds = sorted(run.seconds for run in runs)
    return f"{seconds[0]:.2f} s to {seconds[-1]:.2f} s"


def cpu_check() -> float:
    """Seconds a fixed pure-Python loop takes: how fast this machine is running right now."""
    started = time.perf_counter()
    sum(i * i for i in range(3_000_000))
    return time.perf_counter() - started


def report(runs: list[Run], site: Path, papers: int, hugo: bool) -> str:
    stage_names = [
        "load cache", "load config", "read digests", "resolve dates", "dedupe", "derive",
        "plan outputs", "find changes", "render", "render Markdown", "render HTML",
        "render other files", "write files", "index", "indexing, alongside rendering",
        "write and swap",
    ]  # fmt: skip
    header = f"| stage | {' | '.join(run.label for run in runs)} |"
    lines = [header, "|---" * (len(runs) + 1) + "|"]
    for stage in stage_names:
        if any(stage in run.stages for run in runs):
            cells = [f"{run.stages[stage]:.2f} s" if stage in run.stages else "" for run in runs]
            lines.append(f"| {stage} | {' | '.join(cells)} |")
    lines.append(f"| **wall time** | {' | '.join(f'**{run.seconds:.2f} s**' for run in runs)} |")
    peaks = " | ".join(f"{run.peak_rss / 2**20:,.0f} MiB" for run in runs)
    lines.append(f"| peak memory (PSS, all processes) | {peaks} |")
    html = tree_bytes(site, lambda p: p.suffix == ".html" and "pagefind" not in p.parts)
    markdown = tree_bytes(site, lambda p: p.suffix == ".md")
    search = tree_bytes(site / "pagefind")
    data = tree_bytes(
        site, lambda p: p.suffix == ".json" and "pagefind" not in p.parts or p.name == "llms.txt"
    )
    total = tree_bytes(site)
    lines += [
        "",
        f"Published output: {total / 1e6:,.1f} MB; per paper: {html / papers:,.0f} B HTML, "
        f"{markdown / papers:,.0f} B Markdown, {search / papers:,.0f} B search, "
        f"{data / papers:,.0f} B data ({(html + markdown + search + data) / papers:,.0f} B).",
    ]
    if hugo and len(runs) > 3:
        lines.append(ratios({run.label: run.seconds for run in runs}))
    return "\n".join(lines)


def ratios(seconds: dict[str, float]) -> str:
    """The two cold targets' ratios, from one set of wall times."""
    with_search = seconds["cold, with search"] / (seconds["Hugo"] + seconds["Pagefind over Hugo"])
    without = seconds["cold, without search"] / seconds["Hugo"]
    return (
        f"Cold with search / (Hugo + Pagefind over Hugo): {with_search:.2f} (target 0.6). "
        f"Cold without search / Hugo: {without:.2f} (target 1.0)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", nargs="?", default="small", choices=sorted(SIZES))
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo baseline")
    parser.add_argument("--work", type=Path, help="where to build (default: a temporary folder)")
    parser.add_argument(
        "--cold-only", action="store_true", help="only the cold build with search (for large)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="run every timed build this many times (median)"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="write the corpus as Hugging Face daily-papers days instead of text dumps",
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    work = args.work or Path(tempfile.mkdtemp(prefix=f"paperdigest-bench-{args.size}-"))
    work.mkdir(parents=True, exist_ok=True)
    # An earlier run's builds in the same --work folder would make the cold builds warm.
    for leftover in [*work.glob("cold-search*"), *work.glob("cold-plain*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    content = work / "content"
    shutil.rmtree(content, ignore_errors=True)
    size = SIZES[args.size]
    form = "json" if args.json else "text"
    generator = write_corpus(content, size, form=form)
    kind = "daily-papers JSON days" if args.json else "text dumps"
    print(
        f"{args.size}: {size.papers:,} papers, {size.digests:,} digests ({kind}); working in {work}"
    )
    print(f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}\n")

    compile_package()
    speed = [cpu_check()]
    hugo_site = None
    if not args.no_hugo and shutil.which("hugo"):
        hugo_site = work / "hugo"
        write_hugo_site(content, hugo_site)
    elif not args.no_hugo:
        print("Hugo is not installed (apt-get install hugo); skipping the baseline.\n")
    # Each round runs every cold build once, so that a slow minute of this machine falls on
    # all of them alike; the table shows each build's median over the rounds.
    rounds = [
        cold_round(content, work, hugo_site, args.cold_only, attempt)
        for attempt in range(args.repeat)
    ]
    by_build = [list(builds) for builds in zip(*rounds, strict=True)]
    runs = [median(builds) for builds in by_build]
    verdicts = []
    if args.repeat > 1:
        verdicts += [
            f"{builds[0].label}, {args.repeat} runs: {spread(builds)}." for builds in by_build
        ]
        if hugo_site and not args.cold_only:
            verdicts += [
                f"Round {n}: " + ratios({r.label: r.seconds for r in builds})
                for n, builds in enumerate(rounds, 1)
            ]
    if not args.cold_only:
        for search in (True, False):
            run, verdict = incremental(content, work, generator, search, args.repeat)
            runs.append(run)
            verdicts.append(f"Incremental {'with' if search else 'without'} search: {verdict}.")
    speed.append(cpu_check())
    print(report(runs, work / "cold-search" / "site", size.papers, hugo_site is not None))
    print("\n".join(["", *verdicts]))
    print(
        f"\nMachine speed: a fixed Python loop took {speed[0]:.2f} s before the runs "
        f"and {speed[1]:.2f} s after."
    )
    print(json.dumps({run.label: round(run.seconds, 2) for run in runs}))


if __name__ == "__main__":
    main()
