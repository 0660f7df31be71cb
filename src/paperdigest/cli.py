"""The `paperdigest` command: the only place that formats errors and chooses exit codes."""

from __future__ import annotations

import argparse
import io
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TextIO

from .build import BuildOptions, BuildReport, build
from .check import check_site
from .errors import ContentError, ContentErrors, PaperdigestError

MAX_SHOWN_ERRORS = 50
"""More problems than this are counted, not listed."""


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
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted; the output folder was left as it was", file=sys.stderr)
        return 130
    except (PaperdigestError, OSError) as exc:
        _report_failure(args, exc)
        return 1
    except Exception as exc:  # a bug: still no traceback unless asked, but say what it is
        _report_failure(args, exc, bug=True)
        return 1


def _report_failure(args: argparse.Namespace, exc: BaseException, bug: bool = False) -> None:
    if args.debug:
        traceback.print_exc()
    if isinstance(exc, PaperdigestError):
        print_error(exc, sys.stderr)
    elif bug:
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("this is a bug in paperdigest; rerun with --debug and report it", file=sys.stderr)
    else:
        print(f"error: {exc}", file=sys.stderr)
    if args.command == "build":
        print(f"build failed; {args.out} was left as it was", file=sys.stderr)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="paperdigest",
        description="Build a static website from digests of research papers.",
        epilog="Run `paperdigest COMMAND --help` for a command's options.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")

    build_parser = commands.add_parser(
        "build",
        help="turn the content folder into the site folder",
        description=(
            "Read every digest in the content folder, merge repeated papers, and write the "
            "site: paper and digest pages (HTML and Markdown), home, archive, feed, sitemap "
            "and search index. The output folder is replaced only when the build succeeds."
        ),
    )
    _add_build_options(build_parser)
    build_parser.set_defaults(run=run_build)

    check_parser = commands.add_parser(
        "check",
        help="verify a built site before deploying it",
        description=(
            "Check a built site: every HTML file parses, every internal link, asset and "
            "search bundle resolves under the base path, the feed is well-formed RSS whose "
            "items have links, GUIDs and dates, and the sitemap's URLs exist. Exits with "
            "status 1 and a list of problems if anything is wrong."
        ),
    )
    check_parser.add_argument(
        "--site",
        type=Path,
        default=Path("site"),
        metavar="DIR",
        help="the built site to check (default: site)",
    )
    _add_debug(check_parser)
    check_parser.set_defaults(run=run_check)
    return parser


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="DIR",
        help="the folder of digest files and site.yml (default: content)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("site"),
        metavar="DIR",
        help="the folder to write the site to (default: site)",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="the absolute URL the site will be served at, such as "
        "https://user.github.io/repo/ (default: base_url from site.yml)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings as errors and fail the build"
    )
    parser.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="skip the Pagefind search index and leave search out of the pages",
    )
    _add_debug(parser)


def _add_debug(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback when something goes wrong"
    )


def run_build(args: argparse.Namespace) -> int:
    """`paperdigest build`."""
    options = BuildOptions(
        content=args.content,
        out=args.out,
        base_url=args.base_url,
        strict=args.strict,
        search=args.search,
    )
    out = sys.stderr

    def progress(name: str, seconds: float) -> None:
        print(f"  {name:<18} {seconds:7.2f} s", file=out, flush=True)

    report = build(options, progress=progress)
    print_warnings(report, out)
    print_summary(report, args.out, sys.stdout)
    return 0


def run_check(args: argparse.Namespace) -> int:
    """`paperdigest check`."""
    report = check_site(args.site)
    for problem in report.problems[:MAX_SHOWN_ERRORS]:
        print(f"{args.site}/{problem}", file=sys.stderr)
    if len(report.problems) > MAX_SHOWN_ERRORS:
        print(f"... and {len(report.problems) - MAX_SHOWN_ERRORS} more problems", file=sys.stderr)
    summary = f"checked {report.pages:,} pages and {report.links:,} links in {args.site}/"
    if report.problems:
        print(f"{summary}: {len(report.problems):,} problems", file=sys.stderr)
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
        f"Built {site}/ for {report.base_url}",
        f"  digests         {report.digests:>8,}",
        f"  papers          {report.papers:>8,}",
        f"  entries read    {report.entries:>8,}  ({report.merged:,} merged into earlier papers)",
        f"  pages written   {report.pages:>8,}  ({report.files:,} files, {report.reused:,} kept)",
        f"  warnings        {warnings:>8,}",
        f"  time            {report.seconds:>8.2f} s",
    ]
    print("\n".join(lines), file=out)


def print_error(exc: PaperdigestError, out: TextIO) -> None:
    """Print an error as `path:line: message` lines, capped, without a traceback."""
    errors: list[PaperdigestError] = list(exc.errors) if isinstance(exc, ContentErrors) else [exc]
    for error in errors[:MAX_SHOWN_ERRORS]:
        prefix = "" if isinstance(error, ContentError) else "error: "
        print(f"{prefix}{error}", file=out)
    if len(errors) > MAX_SHOWN_ERRORS:
        print(f"... and {len(errors) - MAX_SHOWN_ERRORS} more problems", file=out)
    if len(errors) > 1:
        print(f"{len(errors)} problems found", file=out)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
