"""The command line as a user runs it: help, summaries, errors and exit codes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import digest_text, run_cli, write_files
from test_config import REFUSED_BASE_URLS


def test_top_level_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "build" in result.stdout


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (
            "build",
            ["--content DIR", "--out DIR", "--base-url URL", "--strict", "--no-search", "--once"],
        )
    ],
)
def test_command_help_explains_every_option(command: str, options: list[str]) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0
    for option in options:
        assert option in result.stdout


def test_no_command_prints_usage_and_fails() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert "usage: paperdigest" in result.stderr


def test_build_prints_a_summary(tmp_path: Path) -> None:
    write_files(tmp_path / "content", {"2025-03-14.txt": digest_text("Mar 14", ("T", "A"))})
    result = run_cli("build", "--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "digests                1" in result.stdout
    assert "papers                 1" in result.stdout
    assert (tmp_path / "out/index.html").is_file()
    assert "render HTML" in result.stderr  # progress, step by step


def test_build_says_how_big_the_published_site_is_and_warns_past_pages_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from paperdigest import cli

    write_files(tmp_path / "content", {"2025-03-14.txt": digest_text("Mar 14", ("T", "A"))})
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "--no-search", "--content", "content", "--out", "out"]) == 0
    out = tmp_path / "out"
    files = [path for path in out.rglob("*") if path.is_file()]
    hidden = [p for p in files if any(part.startswith(".") for part in p.relative_to(out).parts)]
    assert hidden, "the site has dotfiles (.nojekyll), which Pages' upload leaves out"
    published = sum(path.stat().st_size for path in files if path not in hidden)
    printed = capsys.readouterr()
    assert f"site size       {published / 1e6:>8,.1f} MB" in printed.out
    assert "GitHub Pages" not in printed.err
    # A site over the limit (lowered here: 1 GB takes long to build) says so, and builds.
    monkeypatch.setattr(cli, "PAGES_LIMIT", published - 1)
    assert cli.main(["build", "--no-search", "--content", "content", "--out", "out"]) == 0
    assert (
        f"warning: out/ is {published / 1e6:,.1f} MB, over the 1 GB GitHub Pages publishes"
        in capsys.readouterr().err
    )


def test_build_once_leaves_nothing_for_a_next_build_beside_the_site(tmp_path: Path) -> None:
    write_files(tmp_path / "content", {"2025-03-14.txt": digest_text("Mar 14", ("T", "A"))})
    result = run_cli("build", "--once", "--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/index.html").is_file()
    assert not (tmp_path / ".out.spare").exists()
    assert not (tmp_path / ".out.cache").exists()


def test_bad_content_gives_located_errors_exit_1_and_no_traceback(tmp_path: Path) -> None:
    write_files(
        tmp_path / "content",
        {
            "a.txt": "Mar 14\n\nTitle\n",
            "b.txt": "Feb 30\n\nT\n\nA\n",
            "site.yml": "year: 2025\n",
        },
    )
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-4:] == [
        "content/a.txt:3: the title 'Title' has no abstract",
        "content/b.txt:1: impossible date 'Feb 30': Feb has no day 30",
        "2 problems found",
        "build failed; site was left as it was",
    ]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    write_files(tmp_path / "content", {"a.txt": "Feb 30\n\nT\n\nA\n"})
    result = run_cli("build", "--debug", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" in result.stderr


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    write_files(tmp_path / "content", {"2025-03-15.txt": digest_text("Mar 14", ("T", "A"))})
    relaxed = run_cli("build", cwd=tmp_path)
    assert relaxed.returncode == 0
    warning = (
        "content/2025-03-15.txt:9: warning: the header date 'Mar 14' disagrees with the file "
        "name's 2025-03-15; using the file name's date"
    )
    assert relaxed.stderr.count(warning) == 1
    strict = run_cli("build", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert warning.replace("warning: ", "") in strict.stderr


def test_missing_content_folder(tmp_path: Path) -> None:
    result = run_cli("build", "--content", "nope", cwd=tmp_path)
    assert result.returncode == 1
    assert "error: content folder nope does not exist" in result.stderr


EVIL = "\x1b]0;pwned\x07\x1b[2J"
"""Sets the terminal's title and clears its screen when printed raw."""
SHOWN = "\\x1b]0;pwned\\x07\\x1b[2J"


def assert_no_raw_controls(result: subprocess.CompletedProcess[str]) -> None:
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in result.stdout + result.stderr, repr(raw)


def test_control_characters_in_file_names_are_printed_escaped(tmp_path: Path) -> None:
    good = digest_text("Mar 14", ("T", "A"))
    write_files(
        tmp_path / "content",
        {
            "2025-03-14.txt": good,
            f"{EVIL}.txt": "Mar 15\n\nCut off\n",
            "notes-\x9b2J-\u202etxt.md": "not a digest",
        },
    )
    failed = run_cli("build", cwd=tmp_path)
    assert failed.returncode == 1
    assert_no_raw_controls(failed)
    assert failed.stderr.splitlines()[-2:] == [
        f"content/{SHOWN}.txt:3: the title 'Cut off' has no abstract",
        "build failed; site was left as it was",
    ]
    (tmp_path / "content" / f"{EVIL}.txt").unlink()
    built = run_cli("build", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert_no_raw_controls(built)
    assert (
        "content/notes-\\x9b2J-\\u202etxt.md:1: warning: not a digest (only *.txt, *.json and "
        "*.json.gz files are read); ignored" in built.stderr.splitlines()
    )


def test_control_characters_in_a_folder_name_are_printed_escaped(tmp_path: Path) -> None:
    result = run_cli("build", "--content", f"content{EVIL}", "--out", f"out{EVIL}", cwd=tmp_path)
    assert result.returncode == 1
    assert_no_raw_controls(result)
    assert result.stderr.splitlines() == [
        f"error: content folder content{SHOWN} does not exist",
        f"build failed; out{SHOWN} was left as it was",
    ]


@pytest.mark.parametrize(("url", "problem"), REFUSED_BASE_URLS)
def test_build_refuses_them_from_site_yml_and_the_command_line(
    tmp_path: Path, url: str, problem: str
) -> None:
    write_files(tmp_path / "content", {"2025-03-14.txt": digest_text("Mar 14", ("T", "A"))})
    from_option = run_cli("build", "--base-url", url, cwd=tmp_path)
    write_files(tmp_path / "content", {"site.yml": yaml.safe_dump({"base_url": url})})
    from_file = run_cli("build", cwd=tmp_path)
    for result, where in ((from_option, "--base-url"), (from_file, "content/site.yml")):
        assert result.returncode == 1
        assert result.stderr.splitlines()[-2:] == [
            f"{where}:1: {problem}: {url!r}",
            "build failed; site was left as it was",
        ]
    assert not (tmp_path / "site").exists()
