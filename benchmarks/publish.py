"""Publish one new digest as the Pages workflow does, with and without its cached state.

    .venv/bin/python benchmarks/publish.py [small|medium|large] [--work DIR] [--json] [--repeat N]

The workflow (`.github/workflows/pages.yml`) builds a fresh checkout. Before the build it
restores the last publish's state (`site`, `.site.spare`, `.site.cache`) with
`actions/cache`, which packs folders with GNU tar; after a good build it saves them again.
This script does the same on one machine:

1. a git repository with the corpus; a fresh clone of it, built as the workflow builds,
   and its state packed as `actions/cache` packs it;
2. one more digest committed (`corpus.add_digest`: 27 new papers, 3 repeats);
3. a fresh clone of that commit, the state unpacked into it, built: **with the cache**;
4. another fresh clone of it, built with nothing restored: **without the cache**, as on
   a cache miss.

It compares the two sites byte for byte (every file the Pages artifact holds, dotfiles
left out as `upload-pages-artifact` leaves them out) and prints each publish's time. It
exits non-zero if they differ. With `--repeat N`, steps 3 and 4 run N times, alternately,
each site compared; it prints medians and ranges, and how fast the machine ran (the fixed
loop of `run.py`) before and after.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median_low

sys.path.insert(0, str(Path(__file__).parent))

from corpus import SIZES, add_digest, write_corpus  # noqa: E402
from run import PYTHON, compile_package, cpu_check, stages_of  # noqa: E402

BASE_URL = "https://example.github.io/bench/"
FIGURES = (
    "restore the state",
    "publish with the cache",
    "publish without the cache",
    "files kept with the cache",
    "files kept without it",
)
"""What each round measures; the result gives each one's median round."""
STATE = ("site", ".site.spare", ".site.cache")
"""What the workflow caches: the paths of its `actions/cache` step."""


def git(*args: str, cwd: Path) -> None:
    """Run git quietly, as the workflow's checkout does; fail loudly."""
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def fresh_clone(origin: Path, target: Path) -> Path:
    """A new checkout: every file written now, as `actions/checkout` writes them."""
    shutil.rmtree(target, ignore_errors=True)
    git("clone", "--quiet", str(origin), str(target), cwd=origin.parent)
    return target


def publish(checkout: Path, label: str) -> tuple[float, int, dict[str, float]]:
    """The workflow's build step in `checkout`: its wall time, how many files it kept from
    the live site, and the build's steps."""
    command = [PYTHON, "-m", "paperdigest", "build", "--base-url", BASE_URL]
    subprocess.run(["sync"], check=False)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=checkout, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{label} failed:\n{done.stderr}")
    # The summary says `pages written  1,072  (3,279 files, 1,191 kept)`.
    kept = re.search(r"files, ([\d,]+) kept\)", done.stdout)
    files = int(kept.group(1).replace(",", "")) if kept else 0
    return seconds, files, stages_of(done.stderr)


def save_state(checkout: Path, archive: Path) -> None:
    """Pack the state as `actions/cache` does (GNU tar, POSIX format; hard links kept)."""
    paths = [name for name in STATE if (checkout / name).exists()]
    subprocess.run(["tar", "--posix", "-cf", str(archive), "-C", str(checkout), *paths], check=True)


def restore_state(archive: Path, checkout: Path) -> float:
    """Unpack the state into a fresh checkout; how long it took."""
    started = time.perf_counter()
    subprocess.run(["tar", "-xf", str(archive), "-C", str(checkout)], check=True)
    return time.perf_counter() - started


def published(site: Path) -> dict[str, bytes]:
    """Every file the Pages artifact takes from `site`: dotfiles are left out."""
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(site).parts)
    }


def main() -> int:
    """Simulate the publishes; print the times and whether the sites are equal."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", nargs="?", choices=sorted(SIZES), default="small")
    parser.add_argument("--work", type=Path, help="where to work (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="the corpus as daily-papers JSON")
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N", help="publish N rounds each way, alternately"
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="paperdigest-publish-"))
    shutil.rmtree(work, ignore_errors=True)
    origin = work / "origin"
    generator = write_corpus(
        origin / "content", SIZES[args.size], form="json" if args.json else "text"
    )
    compile_package()
    git("init", "--quiet", "-b", "main", cwd=origin)
    git("add", "content", cwd=origin)
    git("commit", "--quiet", "-m", "the corpus", cwd=origin)
    speed_before = cpu_check()

    first = fresh_clone(origin, work / "first")
    seconds_first, _, _ = publish(first, "first publish")
    archive = work / "state.tar"
    save_state(first, archive)

    add_digest(origin / "content", generator)
    git("add", "content", cwd=origin)
    git("commit", "--quiet", "-m", "one more digest", cwd=origin)

    rounds = []
    differing: list[str] = []
    for _ in range(max(1, args.repeat)):
        # Alternately, so that a slow minute of the machine falls on both kinds alike.
        cached = fresh_clone(origin, work / "with-cache")
        seconds_restore = restore_state(archive, cached)
        seconds_cached, kept_cached, steps = publish(cached, "publish with the cache")
        cold = fresh_clone(origin, work / "without-cache")
        seconds_cold, kept_cold, _ = publish(cold, "publish without the cache")
        with_cache, without = published(cached / "site"), published(cold / "site")
        differing += sorted(
            p for p in with_cache.keys() | without.keys() if with_cache.get(p) != without.get(p)
        )
        rounds.append(
            {
                "restore the state": round(seconds_restore, 2),
                "publish with the cache": round(seconds_cached, 2),
                "publish without the cache": round(seconds_cold, 2),
                "files kept with the cache": kept_cached,
                "files kept without it": kept_cold,
                "steps with the cache": steps,
            }
        )
    speed_after = cpu_check()
    same = not differing
    result: dict[str, object] = {
        "size": args.size,
        "first publish (cold)": round(seconds_first, 2),
        **{name: median_low(r[name] for r in rounds) for name in FIGURES},
        "state archive bytes": archive.stat().st_size,
        "published files": len(without),
        "byte-identical": same,
        "rounds": rounds,
        "machine speed": [round(speed_before, 3), round(speed_after, 3)],
    }
    print(f"{args.size}: one new digest published; working in {work}")
    print(f"| publish | seconds{' (median)' if len(rounds) > 1 else ''} | range |")
    print("|---|---:|---|")
    for name in ("publish without the cache", "restore the state", "publish with the cache"):
        times = sorted(r[name] for r in rounds)
        print(f"| {name} | {result[name]:.2f} | {times[0]:.2f} to {times[-1]:.2f} |")
    print(
        f"State archive: {archive.stat().st_size / 1e6:.1f} MB. Files kept from the restored"
        f" site: {result['files kept with the cache']:,} of {len(without):,} (without the"
        f" cache: {result['files kept without it']}). Rounds: {len(rounds)}."
    )
    print(f"Published with the cache: byte-identical to without it: {'yes' if same else 'NO'}.")
    middle = sorted(rounds, key=lambda r: r["publish with the cache"])[(len(rounds) - 1) // 2]
    steps = middle["steps with the cache"]
    print("Its steps (median round): " + ", ".join(f"{n} {s:.2f} s" for n, s in steps.items()))
    if differing:
        print("Differing files: " + ", ".join(differing[:20]))
    print(
        f"Machine speed: a fixed Python loop took {speed_before:.2f} s before and"
        f" {speed_after:.2f} s after."
    )
    print(json.dumps(result))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
