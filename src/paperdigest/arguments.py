"""The command line's arguments: every command, its options and their help."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path


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

    check_parser = commands.add_parser(
        "check",
        help="verify a built site before deploying it",
        description=(
            "Check a built site: every HTML file parses and holds only what the templates "
            "produce (no added script, style, frame or handler), every internal link, asset and "
            "search bundle resolves under the base path, the feed is well-formed RSS whose "
            "items have links, GUIDs and dates, the sitemap's URLs exist, and every file is "
            "the one the build wrote (and pagefind/ holds no other). Exits with "
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

    serve_parser = commands.add_parser(
        "serve",
        help="preview the site: build, serve, and rebuild and reload on every change",
        description=(
            "Build the site and serve it over HTTP as GitHub Pages would, under the base "
            "URL's path. Watches the content folder and the templates, rebuilds after each "
            "change, and reloads every open page. While the content is broken, the last good "
            "build stays up and the error shows in the terminal and on the pages."
        ),
    )
    _add_content_options(serve_parser)
    serve_parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this machine only)",
    )
    serve_parser.add_argument(
        "--port",
        type=int,
        default=8000,
        help="the port to listen on; 0 picks a free one (default: 8000)",
    )
    serve_parser.add_argument(
        "--base-url",
        metavar="URL",
        help="serve under this URL's path, as published: https://user.github.io/repo/ or "
        "just /repo/ (default: base_url from site.yml)",
    )
    serve_parser.add_argument(
        "--no-open", dest="open", action="store_false", help="do not open a browser"
    )
    _add_debug(serve_parser)
    topics_parser = commands.add_parser(
        "topics",
        help="show how many papers each topic of site.yml matches, and doubtful matches",
        description=(
            "Read the content folder and, for each topic in site.yml, print how many papers "
            "it matches and a sample of borderline matches (no include phrase in the title, "
            "one mention in the abstract), so that you can tune its include, exclude and "
            "title phrases."
        ),
    )
    _add_content_option(topics_parser)
    topics_parser.add_argument(
        "--samples",
        type=int,
        default=5,
        metavar="N",
        help="how many borderline matches to show per topic (default: 5)",
    )
    _add_debug(topics_parser)

    fetch_parser = commands.add_parser(
        "fetch",
        help="save each day's Hugging Face daily papers into the content folder",
        description=(
            "Download the Hugging Face daily-papers list of each DATE (by default "
            "yesterday's and today's, in UTC) into the content folder as YYYY-MM-DD.json. "
            "A day already saved keeps what it holds and gains the papers listed since; "
            "a file that would not change is not touched. Nothing is saved that the build "
            "could not read."
        ),
    )
    fetch_parser.add_argument(
        "dates", nargs="*", type=_day, metavar="DATE", help="a day to fetch, YYYY-MM-DD"
    )
    fetch_parser.add_argument(
        "--since", type=_day, metavar="DATE", help="fetch every day from DATE to today"
    )
    _add_content_option(fetch_parser, "the content folder to save into (default: content)")
    fetch_parser.add_argument(
        "--base-api",
        default="https://huggingface.co/api/daily_papers",
        metavar="URL",
        help="the daily-papers API to ask (default: https://huggingface.co/api/daily_papers)",
    )
    fetch_parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="how long to wait for each answer (default: 30)",
    )
    _add_debug(fetch_parser)
    return parser


def _day(text: str) -> date:
    """A YYYY-MM-DD argument."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2025-03-14") from None


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    _add_content_options(parser)
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
    parser.add_argument(
        "--once",
        dest="prepare_next",
        action="store_false",
        help="build once, as a publishing job does: skip making the spare copy of the site "
        "and the parse cache that only speed up a next build (which then makes them itself)",
    )
    _add_debug(parser)


def _add_content_option(
    parser: argparse.ArgumentParser,
    help_text: str = "the folder of digest files and site.yml (default: content)",
) -> None:
    parser.add_argument(
        "--content", type=Path, default=Path("content"), metavar="DIR", help=help_text
    )


def _add_content_options(parser: argparse.ArgumentParser) -> None:
    _add_content_option(parser)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("site"),
        metavar="DIR",
        help="the folder to write the site to (default: site)",
    )
    parser.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="a folder of templates to use instead of the built-in ones (start from a copy "
        "of paperdigest's templates/)",
    )


def _add_debug(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback when something goes wrong"
    )
