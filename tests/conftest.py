"""Shared helpers: inline content written into tmp_path, builds, and reading built pages."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import html5lib
import pytest

from browser import CHROMIUM, CHROMIUM_ARGS
from paperdigest.build import BuildOptions, BuildReport, build
from paperdigest.check import ALLOWED_ELEMENTS  # the checker's allowlist: the two cannot drift
from paperdigest.config import SiteConfig
from paperdigest.dedupe import build_library
from paperdigest.errors import ContentError, ContentErrors, ContentWarning, Problems
from paperdigest.markdown import EXTERNAL_REL
from paperdigest.model import DigestFile, Library, ParsedFile
from paperdigest.publish.manifest import MANIFEST
from paperdigest.read.cache import ContentCache
from paperdigest.read.files import read_digests
from paperdigest.read.resolve import resolve_dates

if TYPE_CHECKING:  # Playwright loads only when a browser test runs
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parents[1]
HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
    "byAK and the research community\n\n"
)
XHTML = "{http://www.w3.org/1999/xhtml}"


def digest_text(date_line: str, *entries: tuple[str, str], header: str = HEADER) -> str:
    """A digest dump in the seed format."""
    body = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in entries)
    return f"{header}{date_line}\n\n{body}"


def error_lines(exc: ContentError | ContentErrors) -> list[str]:
    """Every `path:line: message` a raised error carries."""
    return [str(e) for e in exc.errors] if isinstance(exc, ContentErrors) else [str(exc)]


def read_folder(
    folder: Path,
) -> tuple[list[ParsedFile], list[ContentWarning], list[ContentError]]:
    """Read a content folder as a build does: the parsed files, the warnings, the errors."""
    problems = Problems()
    files = read_digests(folder, ContentCache(), problems)
    return files, problems.warnings, problems.errors


def dated(files: list[ParsedFile], year: int | None = None) -> list[DigestFile]:
    """Resolve the files' dates with site.yml's `year`; fail on any problem."""
    problems = Problems()
    digests = resolve_dates(files, SiteConfig(year=year), problems)
    problems.raise_if_any()
    return digests


def library_of(folder: Path, year: int | None = None) -> Library:
    """The library a build makes of a content folder."""
    files, _, errors = read_folder(folder)
    assert errors == [], errors
    return build_library(dated(files, year))


def search_records(bundle: Path) -> list[dict[str, Any]]:
    """The records of one Pagefind bundle, decoded from its fragment files."""
    found = []
    for fragment in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        found.append(json.loads(data.removeprefix(b"pagefind_dcd")))
    return found


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `{relative path: text or bytes}` under root and return root."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., tuple[BuildReport, Path]]:
    """Write content files into tmp_path and build them; returns the report and site path."""

    def make(
        files: Mapping[str, str | bytes], *, search: bool = False, **options: object
    ) -> tuple[BuildReport, Path]:
        content = write_files(tmp_path / "content", files)
        out = tmp_path / "site"
        report = build(BuildOptions(content=content, out=out, search=search, **options))  # type: ignore[arg-type]
        return report, out

    return make


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright; one per test module."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), f"browser tests need Chromium at {CHROMIUM} (make browser)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m paperdigest ARGS` as a user would, capturing output."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "paperdigest", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def every_file(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def parse_html(data: str | bytes):  # type: ignore[no-untyped-def]
    """Parse HTML with a spec-compliant parser (html5lib) into an ElementTree."""
    return html5lib.parse(data, namespaceHTMLElements=True)


def text_of(element) -> str:  # type: ignore[no-untyped-def]
    """An element's text content, as a browser's textContent gives it."""
    return "".join(element.itertext())


def find_all(tree, tag: str) -> list:  # type: ignore[no-untyped-def]
    """Every element with this tag name."""
    return list(tree.iter(f"{XHTML}{tag}"))


def paper_page(site: Path, title_fragment: str) -> Path:
    """The HTML file of the one paper whose h1 contains title_fragment."""
    matches = []
    for page in (site / "papers").glob("*/index.html"):
        tree = parse_html(page.read_bytes())
        if title_fragment in text_of(find_all(tree, "h1")[0]):
            matches.append(page)
    assert len(matches) == 1, matches
    return matches[0]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite tests/snapshots from the current output instead of comparing",
    )


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Callable[[Path, Path], None]:
    """Compare every file under a built folder with tests/snapshots/<name>, byte for byte."""
    update = request.config.getoption("--update-snapshots")

    def compare(built: Path, expected: Path) -> None:
        got = {
            path: data
            for path, data in every_file(built).items()
            if path != MANIFEST and not path.startswith("pagefind/")
        }
        if update:
            import shutil

            shutil.rmtree(expected, ignore_errors=True)
            for relative, data in got.items():
                (expected / relative).parent.mkdir(parents=True, exist_ok=True)
                (expected / relative).write_bytes(data)
            return
        want = every_file(expected)
        assert sorted(got) == sorted(want), (
            "the set of files differs; rerun with --update-snapshots"
        )
        for relative in sorted(want):
            # A compressed file is compared inflated first, for a readable difference.
            shown = gzip.decompress if relative.endswith(".gz") else bytes
            assert shown(got[relative]).decode() == shown(want[relative]).decode(), relative
            assert got[relative] == want[relative], relative

    return compare


def assert_inert(html: str | bytes, where: str, base_path: str, base_url: str) -> None:
    """Only the templates' own elements, no event handlers, and only safe links."""
    for element in parse_html(html).iter():
        if not isinstance(element.tag, str):
            continue
        name = element.tag.split("}")[-1]
        assert name in ALLOWED_ELEMENTS, f"{where}: <{name}>"
        assert not [a for a in element.attrib if a.lower().startswith("on")], where
        if name == "script":
            assert element.get("src", "").startswith(base_path), f"{where}: inline script"
        if name == "a":
            href = element.get("href", "")
            if href.startswith(("http://", "https://")) and not href.startswith(base_url):
                assert element.get("rel") == EXTERNAL_REL, f"{where}: {href}"
            else:
                assert href.startswith((base_path, base_url, "#")), f"{where}: {href}"
