"""The `paperdigest` command: the only place that formats errors and chooses exit codes."""

from __future__ import annotations

import argparse
import io
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TextIO

from .arguments import make_parser
from .build import BuildOptions, BuildReport, build
from .dates import date_words
from .errors import ContentError, ContentErrors, PaperdigestError, printable

MAX_SHOWN_ERRORS = 50
"""More problems than this are counted, not listed."""
CLEAR_LINE = "\r\x1b[K"
"""Back to the start of a terminal line, and clear it."""


def entry() -> None:
    """The `paperdigest` console command: run, then exit without tearing the heap down."""
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything was written and closed when main returned; freeing a large site's objects
    # one by one at interpreter exit would only add to the wait (mypy's --fast-exit).
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    # File names that are not valid UTF-8 must not crash the error report itself.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    # A plain kill should clean up like Ctrl-C does: the staging folder goes, the site stays.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("interrupted; the output folder was left as it was", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug too: no traceback unless asked, but format_error says so
        _report_failure(args, exc)
        return 1


def _report_failure(args: argparse.Namespace, exc: BaseException) -> None:
    if args.debug:
        lines = traceback.format_exc().rstrip("\n").split("\n")
        print("\n".join(printable(line) for line in lines), file=sys.stderr)
    print(format_error(exc), file=sys.stderr)
    if args.command == "build":
        print(f"build failed; {printable(str(args.out))} was left as it was", file=sys.stderr)


def run_build(args: argparse.Namespace) -> int:
    """`paperdigest build`."""
    options = BuildOptions(
        content=args.content,
        out=args.out,
        base_url=args.base_url,
        strict=args.strict,
        search=args.search,
        templates=args.templates,
        prepare_next=args.prepare_next,
    )
    out = sys.stderr

    terminal = out.isatty()

    def progress(name: str, seconds: float | None) -> None:
        if seconds is not None:
            print(f"{CLEAR_LINE if terminal else ''}  {name:<20} {seconds:7.2f} s", file=out)
        elif terminal:  # a note on a long step, replaced by the next one
            print(f"{CLEAR_LINE}  ... {name}", end="", file=out, flush=True)
        else:
            print(f"  ... {name}", file=out, flush=True)

    report = build(options, progress=progress)
    # Kept until the next command runs: `entry` ends the process without freeing it.
    _LAST_BUILD[:] = [report]
    print_warnings(report, out)
    if report.published_bytes > PAGES_LIMIT:
        print(
            f"warning: {printable(str(args.out))}/ is {report.published_bytes / 1e6:,.1f} MB, "
            'over the 1 GB GitHub Pages publishes; see the README\'s "Size"',
            file=out,
        )
    print_summary(report, args.out, sys.stdout)
    return 0


_LAST_BUILD: list[BuildReport] = []
"""The last build's report, with all it holds (see `BuildReport.held`)."""
PAGES_LIMIT = 1_000_000_000
"""GitHub Pages' limit on a published site, 1 GB; its deploy warns past it, and may fail."""


def run_serve(args: argparse.Namespace) -> int:
    """`paperdigest serve`."""
    from .serve import serve  # here, not at the top: a build need not import the server

    options = BuildOptions(
        content=args.content, out=args.out, base_url=args.base_url, templates=args.templates
    )

    def say(message: str) -> None:
        print(message, flush=True)

    serve(options, args.host, args.port, open_browser=args.open, describe=format_error, say=say)
    return 0


def run_check(args: argparse.Namespace) -> int:
    """`paperdigest check`."""
    from .check import check_site  # here, not at the top: a build need not import the checker

    report = check_site(args.site)
    site = printable(str(args.site))
    for line in _capped([f"{site}/{printable(problem)}" for problem in report.problems]):
        print(line, file=sys.stderr)
    summary = f"checked {report.pages:,} pages and {report.links:,} links in {site}/"
    if report.problems:
        print(f"{summary}: {counted(len(report.problems), 'problem')}", file=sys.stderr)
        return 1
    print(f"{summary}: no problems")
    return 0


def print_warnings(report: BuildReport, out: TextIO) -> None:
    """Print each distinct warning once."""
    for warning in dict.fromkeys(report.warnings):
        print(warning, file=out)


def print_summary(report: BuildReport, site: Path, out: TextIO) -> None:
    """The one-screen summary at the end of a build."""
    warnings = len(set(report.warnings))
    lines = [
        f"Built {printable(str(site))}/ for {printable(report.base_url)}",
        f"  digests         {report.digests:>8,}  ({_span(report)})",
        f"  papers          {report.papers:>8,}",
        f"  entries read    {report.entries:>8,}  ({report.merged:,} merged into earlier papers)",
        f"  pages written   {report.pages:>8,}  ({report.files:,} files, {report.reused:,} kept)",
        f"  site size       {report.published_bytes / 1e6:>8,.1f} MB",
        f"  warnings        {warnings:>8,}",
        f"  time            {report.seconds:>8.2f} s",
    ]
    print("\n".join(lines), file=out)


def _span(report: BuildReport) -> str:
    """Which dates, and so which years, the digests span: a year rolled wrong shows here."""
    first, last = report.first_date, report.last_date
    if first is None or last is None:
        return "none"
    return date_words(first) if first == last else f"{date_words(first)} to {date_words(last)}"


def format_error(exc: BaseException) -> str:
    """A failure as the user sees it: `path:line: message` lines, capped, no traceback."""
    if not isinstance(exc, (PaperdigestError, OSError)):
        return (
            f"internal error: {type(exc).__name__}: {printable(str(exc))}\n"
            "this is a bug in paperdigest; rerun with --debug and report it"
        )
    errors: list[BaseException] = list(exc.errors) if isinstance(exc, ContentErrors) else [exc]
    lines = _capped(
        [
            str(error) if isinstance(error, ContentError) else f"error: {printable(str(error))}"
            for error in errors
        ]
    )
    if len(errors) > 1:
        lines.append(f"{len(errors)} problems found")
    return "\n".join(lines)


def _capped(problems: list[str]) -> list[str]:
    """The first MAX_SHOWN_ERRORS problems, then how many more there are."""
    if len(problems) <= MAX_SHOWN_ERRORS:
        return problems
    more = len(problems) - MAX_SHOWN_ERRORS
    return [*problems[:MAX_SHOWN_ERRORS], f"... and {counted(more, 'more problem')}"]


def counted(number: int, noun: str) -> str:
    """`1 problem`, `2 problems`: a count and its noun."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def run_fetch(args: argparse.Namespace) -> int:
    """`paperdigest fetch`."""
    from .fetch import days_to_fetch, fetch_days  # here: a build need not import urllib

    today = datetime.now(UTC).date()
    days = days_to_fetch(args.dates, args.since, today)

    def say(message: str) -> None:
        print(message, flush=True)

    fetch_days(days, args.content, args.base_api, timeout=args.timeout, say=say)
    return 0


def run_topics(args: argparse.Namespace) -> int:
    """`paperdigest topics`."""
    from .build import read_library
    from .topics import topic_reports

    site, library = read_library(args.content)
    if not site.topics:
        print(f"no topics in {printable(str(args.content))}/site.yml")
        return 0
    papers = [(paper.title, paper.abstract.text) for paper in library.papers]
    for report in topic_reports(site.topics, papers, args.samples):
        topic = report.topic
        count = counted(report.matched, "paper")
        print(f"{printable(topic.name)} (slug {topic.slug}): {count}")
        if report.borderline:
            print("  borderline (no include phrase in the title, one in the abstract):")
            for title in report.borderline:
                print(f"  - {printable(title)}")
    return 0


COMMANDS = {
    "build": run_build,
    "check": run_check,
    "fetch": run_fetch,
    "serve": run_serve,
    "topics": run_topics,
}
"""What runs each command."""


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    entry()
