"""`paperdigest check` passes a good site and names each kind of breakage."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest

from conftest import REPO, digest_text, run_cli, write_files
from paperdigest.build import BuildOptions, build
from paperdigest.check import check_site
from paperdigest.cli import make_parser
from paperdigest.manifest import MANIFEST
from test_config import REFUSED_BASE_URLS

CONTENT = {
    "site.yml": "base_url: https://user.github.io/repo/\n",
    "2025-03-13.txt": digest_text("Mar 13", ("First", "One."), ("Second", "Two.")),
    "2025-03-14.txt": digest_text("Mar 14", ("Third", "Three."), ("first", "One again.")),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("check")
    build(BuildOptions(content=write_files(root / "content", CONTENT), out=root / "site"))
    return root / "site"


@pytest.fixture
def site(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built site, free to break."""
    return Path(shutil.copytree(built, tmp_path / "site"))


def test_a_fresh_build_under_a_subpath_has_no_problems(built: Path) -> None:
    report = check_site(built)
    assert report.problems == []
    assert report.pages == 2 + 2 + 3 + 2  # home, archive, digests, papers, search, 404
    assert report.links > 50


def test_the_bundled_site_at_the_root_has_no_problems(tmp_path: Path) -> None:
    build(BuildOptions(content=REPO / "content", out=tmp_path / "site"))
    result = run_cli("check", "--site", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("checked 394 pages and ")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_broken_link_missing_asset_and_outside_link_are_named(site: Path) -> None:
    replace_in(
        site / "archive/index.html",
        'href="/repo/digests/2025-03-13/"',
        'href="/repo/digests/2025-03-12/"',
    )
    replace_in(site / "index.html", 'href="/repo/archive/"', 'href="/archive/"')
    (site / "assets/style.css").unlink()
    problems = check_site(site).problems
    assert any(
        p.startswith("archive/index.html: line")
        and p.endswith("broken link: /repo/digests/2025-03-12/")
        for p in problems
    )
    assert any(
        p.startswith("index.html: line")
        and p.endswith("link outside the base path /repo/: /archive/")
        for p in problems
    )
    assert sum("broken link: /repo/assets/style.css?v=" in p for p in problems) == 9


def test_unclosed_and_misnested_tags_are_parse_problems(site: Path) -> None:
    replace_in(site / "archive/index.html", "</main>", "")
    problems = check_site(site).problems
    assert any(
        p.startswith("archive/index.html: line") and "</body> closes <main>" in p for p in problems
    )


def test_feed_and_sitemap_problems(site: Path) -> None:
    replace_in(site / "feed.xml", "Fri, 14 Mar 2025 00:00:00 GMT</pubDate>", "2025-03-14</pubDate>")
    sitemap = site / "sitemap.xml"
    replace_in(sitemap, "digests/2025-03-13/", "digests/2025-03-01/")
    problems = check_site(site).problems
    assert "feed.xml: item 1: pubDate '2025-03-14' is not an RFC 822 date" in problems
    assert "sitemap.xml: https://user.github.io/repo/digests/2025-03-01/ does not exist" in problems


def test_missing_search_bundle_is_a_problem(site: Path) -> None:
    shutil.rmtree(site / "pagefind")
    problems = check_site(site).problems
    assert any(p.endswith("no search bundle at /repo/pagefind/") for p in problems)


def test_cli_lists_problems_and_exits_1(site: Path) -> None:
    (site / "assets/style.css").unlink()
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1
    assert f"{site}/index.html: line" in result.stderr
    assert result.stderr.rstrip().endswith("9 problems")


def set_manifest_base_url(site: Path, base_url: str) -> None:
    manifest = json.loads((site / MANIFEST).read_text())
    (site / MANIFEST).write_text(json.dumps({**manifest, "base_url": base_url}))


@pytest.mark.parametrize(("url", "problem"), REFUSED_BASE_URLS)
def test_a_site_built_for_a_base_url_build_refuses_is_a_problem(
    site: Path, url: str, problem: str
) -> None:
    set_manifest_base_url(site, url)
    assert check_site(site).problems == [f"{MANIFEST}: {problem}: {url!r}"]


def test_cli_names_the_bad_base_url_and_exits_1(site: Path) -> None:
    set_manifest_base_url(site, "https://ex.com//evil.com/")
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{site}/{MANIFEST}: `base_url` must not contain an empty path segment (`//`): "
        "'https://ex.com//evil.com/'",
        f"checked 0 pages and 0 links in {site}/: 1 problems",
    ]


def test_cli_refuses_a_folder_it_did_not_build(tmp_path: Path) -> None:
    result = run_cli("check", "--site", str(tmp_path))
    assert result.returncode == 1
    assert "is not a site built by paperdigest" in result.stderr


def test_the_bundled_site_under_a_subpath_has_no_problems(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(BuildOptions(content=REPO / "content", out=out, base_url="https://u.github.io/digest/"))
    assert check_site(out).problems == []


def test_the_pages_workflow_builds_for_the_pages_url_and_checks_before_upload() -> None:
    import yaml

    workflow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text())
    assert set(workflow[True]) == {"push", "workflow_dispatch"}  # YAML reads `on:` as True
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    runs = [step.get("run", "") for step in steps]
    configure = uses.index("actions/configure-pages")
    build_step = next(i for i, run in enumerate(runs) if run.startswith("paperdigest build"))
    check_step = next(i for i, run in enumerate(runs) if run.startswith("paperdigest check"))
    upload = uses.index("actions/upload-pages-artifact")
    assert configure < build_step < check_step < upload
    assert "${{ steps.pages.outputs.base_url }}" in runs[build_step]
    command = runs[build_step].replace(
        "${{ steps.pages.outputs.base_url }}", "https://u.github.io/r"
    )
    args = make_parser().parse_args(shlex.split(command)[1:])  # it is a command we accept
    assert args.base_url == "https://u.github.io/r/" and not args.prepare_next
    assert steps[upload]["with"]["path"] == "site/"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
