"""Broken input: exact located messages, all at once, and the previous site left untouched."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import (
    REPO,
    digest_text,
    error_lines,
    every_file,
    find_all,
    paper_page,
    parse_html,
    run_cli,
    text_of,
    write_files,
)
from paperdigest.build import BuildOptions, build
from paperdigest.errors import ContentError, ContentErrors, PaperdigestError
from paperdigest.read.text import decode
from paperdigest.read.text_dump import parse_dump_text

CORPUS = REPO / "tests" / "fixtures" / "broken"
EXPECTED = {
    "2025-02-30-bad-name.txt": [
        "1: file name starts with 2025-02-30, which is not a real date",
        "9: impossible date 'Feb 30': Feb has no day 30",
    ],
    "abstract-after-abstract.txt": [
        "15: expected a title, but this reads as an abstract; is a title missing above it?"
    ],
    "binary.txt": ["3: binary file (NUL byte), not a text digest"],
    "blank-lines-only.txt": ["1: empty file: expected a header, a date and entries"],
    "control-character.txt": [
        "11: control character U+001B at column 5 (is this a binary or mis-encoded file?)"
    ],
    "empty.txt": ["1: empty file: expected a header, a date and entries"],
    "header-only.txt": ["9: no entries after the date line"],
    "impossible-date.txt": ["9: impossible date 'Feb 30': Feb has no day 30"],
    "impossible-iso-date.txt": ["9: impossible date '2025-13-01': there is no month 13"],
    "latin1.txt": ["11: not UTF-8 text: byte 0xe9 at column 4 (save the file as UTF-8)"],
    "leap-day-in-2025.txt": ["9: impossible date 'Feb 29': not a day in 2025"],
    "missing-abstract-beside-unsure-title.txt": [
        "17: expected the abstract of the title on line 15, but this reads more like a title; "
        "cannot tell which it is, so the entries may be out of step"
    ],
    "no-date.txt": ["1: no date line: the header must end with a date such as 'Mar 14'"],
    "pasted-digests.txt": [
        "23: a date line 'Mar 15' among the entries; is a second digest pasted into this file?"
    ],
    "pasted-digests-out-of-step.txt": [
        "22: a date line 'Mar 15' among the entries; is a second digest pasted into this file?"
    ],
    "second-date.txt": [
        "11: a second date line 'Mar 15'; the header already gave 'Mar 14' on line 9"
    ],
    "title-runs-on.txt": [
        "11: a title runs onto line 12; separate each title from its abstract with a blank line"
    ],
    "truncated-utf8.txt": ["13: not UTF-8 text: byte 0xe2 at column 33 (save the file as UTF-8)"],
    "unreadable-date.txt": ["9: cannot read the date 'Mar 1x'; write it like 'Mar 14'"],
    "unsure-title-at-the-end.txt": [
        "19: the title 'LLMs Can Easily Learn to Reason from Demonstrations Structu…' has no "
        "abstract"
    ],
    "unsure-title-without-abstract.txt": [
        "17: expected the abstract of the title on line 15, but this reads as a title; line 15 "
        "does not read clearly as a title, so cannot tell whether it lacks an abstract"
    ],
    "utf16.txt": ["1: the file is UTF-16 text; save it as UTF-8"],
}
_END = " and ends the file (is the file cut off?)"
WARNED = {
    "crlf-dangling-title.txt": [(15, "Another Cut Title", _END)],
    "dangling-title.txt": [(15, "A Title Cut Off Here", _END)],
    "missing-abstract-first.txt": [
        (11, "LifeGPT: Topology-Agnostic Generative Pretrained Transforme…", "")
    ],
    "missing-abstract-middle.txt": [(19, "Automated Design of Agentic Systems", "")],
    "missing-abstract-beside-short-abstract.txt": [(19, "Automated Design of Agentic Systems", "")],
    "missing-abstract-beside-long-title.txt": [
        (15, "UniCoder: Scaling Code Large Language Model via Universal C…", "")
    ],
    "missing-abstracts-two-apart.txt": [
        (15, "UniCoder: Scaling Code Large Language Model via Universal C…", ""),
        (25, "Universal Fuzzing via Large Language Models", ""),
    ],
    "missing-abstracts-two-in-a-row.txt": [
        (19, "Automated Design of Agentic Systems", ""),
        (21, "UniversalNER: Targeted Distillation from Large Language Mod…", ""),
    ],
    "missing-abstracts-three.txt": [
        (11, "LifeGPT: Topology-Agnostic Generative Pretrained Transforme…", ""),
        (21, "UniversalNER: Targeted Distillation from Large Language Mod…", ""),
        (27, "MARIO: MAth Reasoning with code Interpreter Output -- A Rep…", _END),
    ],
}
"""Dumps with missing abstracts that build: (line, title as quoted, how the warning ends)."""
# The good file is named by its date, so it stands outside the run of undated dumps and
# the year rule never pairs it with a broken one.
GOOD = {
    "site.yml": "year: 2025\n",
    "2025-03-14.txt": digest_text("Mar 14", ("A Paper", "Abstract.")),
}
BESIDE = [".site.cache", ".site.lock", ".site.spare", "content", "site"]
"""A built site's folder, with the previous build (the spare), the lock and the cache beside."""
CHANGING = ".site.spare/.paperdigest-manifest.dirty.json"
"""Exists while a build is changing the spare tree."""


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED | WARNED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_gets_its_exact_message(name: str, tmp_path: Path) -> None:
    content = write_files(tmp_path / "content", GOOD)
    shutil.copy(CORPUS / name, content / name)
    with pytest.raises((ContentError, ContentErrors)) as caught:
        build(BuildOptions(content=content, out=tmp_path / "site", search=False))
    assert error_lines(caught.value) == [f"{content}/{name}:{m}" for m in EXPECTED[name]]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("name", sorted(WARNED))
def test_each_missing_abstract_is_a_paper_without_one_and_a_warning(
    name: str, tmp_path: Path
) -> None:
    content = write_files(tmp_path / "content", GOOD)
    shutil.copy(CORPUS / name, content / name)
    report = build(BuildOptions(content=content, out=tmp_path / "site", search=False))
    assert [str(w) for w in report.warnings] == [
        f"{content}/{name}:{line}: warning: the title {title!r} has no abstract{end}; "
        "it is published without one"
        for line, title, end in WARNED[name]
    ]
    # Each paragraph after the date is read once, in order; with the warnings naming the
    # titles that have no abstract, that leaves one way to pair the rest.
    text = decode(name, (CORPUS / name).read_bytes()).replace("\r\n", "\n")
    digest, _ = parse_dump_text(name, text)
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = paragraphs[paragraphs.index("Mar 14") + 1 :]
    assert [p for e in digest.entries for p in (e.title, e.abstract) if p] == body
    assert [e.source.line for e in digest.entries if not e.abstract] == [
        line for line, _, _ in WARNED[name]
    ]
    for line, _, _ in WARNED[name]:
        title = next(e.title for e in digest.entries if e.source.line == line)
        page = parse_html(paper_page(tmp_path / "site", title).read_bytes())
        assert "No abstract was listed for this paper." in [text_of(p) for p in find_all(page, "p")]


def test_every_problem_is_reported_at_once_without_a_traceback(tmp_path: Path) -> None:
    content = write_files(tmp_path / "content", GOOD)
    for name in EXPECTED:
        shutil.copy(CORPUS / name, content / name)
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1
    expected = [f"content/{name}:{m}" for name in sorted(EXPECTED) for m in EXPECTED[name]]
    lines = result.stderr.splitlines()
    assert lines[: len(expected)] == expected
    assert lines[len(expected) :] == [
        f"{len(expected)} problems found",
        "build failed; site was left as it was",
    ]
    assert "Traceback" not in result.stderr


def test_an_absurdly_long_line(tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content", {**GOOD, "long.txt": digest_text("Mar 14", ("T", "a" * 200_000))}
    )
    with pytest.raises(ContentError) as caught:
        build(BuildOptions(content=content, out=tmp_path / "site", search=False))
    assert str(caught.value) == (
        f"{content}/long.txt:13: line is 200,000 characters long (the limit is 100,000)"
    )


def test_links_out_of_the_content_folder_and_pipes_are_not_read(tmp_path: Path) -> None:
    content = write_files(tmp_path / "content", GOOD)
    secret = write_files(tmp_path / "private", {"secret.txt": digest_text("Mar 15", ("S", "X"))})
    (content / "inside.txt").symlink_to(content / "2025-03-14.txt")  # a link within is fine
    (content / "leak.txt").symlink_to(secret / "secret.txt")
    os.mkfifo(content / "pipe.txt")
    with pytest.raises(ContentErrors) as caught:
        build(BuildOptions(content=content, out=tmp_path / "site", search=False))
    assert [str(error) for error in caught.value.errors] == [
        f"{content}/leak.txt:1: a link to a file outside the content folder; "
        "copy the file in instead",
        f"{content}/pipe.txt:1: not a regular file (a pipe or device?); only files are read",
    ]


def test_links_in_a_loop_or_to_nothing_are_located_errors(tmp_path: Path) -> None:
    content = write_files(tmp_path / "content", GOOD)
    (content / "a.txt").symlink_to("b.txt")
    (content / "b.txt").symlink_to("a.txt")
    (content / "self.txt").symlink_to("self.txt")
    (content / "gone.txt").symlink_to("nowhere.txt")
    result = run_cli("build", "--no-search", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:5] == [
        "content/a.txt:1: a link that leads round in a loop",
        "content/b.txt:1: a link that leads round in a loop",
        "content/gone.txt:1: a link to a file that does not exist",
        "content/self.txt:1: a link that leads round in a loop",
        "4 problems found",
    ]


def test_too_many_problems_are_capped(tmp_path: Path) -> None:
    files = {f"bad{n:03}.txt": "Mar 14\n\nDangling\n" for n in range(80)}
    write_files(tmp_path / "content", {**GOOD, **files})
    result = run_cli("build", cwd=tmp_path)
    lines = result.stderr.splitlines()
    assert result.returncode == 1
    assert len([line for line in lines if line.startswith("content/bad")]) == 50
    assert "... and 30 more problems" in lines and "80 problems found" in lines


def test_config_and_content_problems_come_together(tmp_path: Path) -> None:
    write_files(tmp_path / "content", {"site.yml": "titel: x\n", "a.txt": "Feb 30\n\nT\n\nA\n"})
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/a.txt:1: impossible date 'Feb 30': Feb has no day 30" in result.stderr
    assert "content/site.yml:1: unknown setting `titel` (did you mean `title`?)" in result.stderr


def test_a_failed_build_leaves_the_previous_site_byte_for_byte(tmp_path: Path) -> None:
    content = write_files(tmp_path / "content", GOOD)
    build(BuildOptions(content=content, out=tmp_path / "site"))
    before = every_file(tmp_path / "site")
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "site").rglob("*")}
    shutil.copy(CORPUS / "unsure-title-without-abstract.txt", content / "broken.txt")
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1
    assert every_file(tmp_path / "site") == before
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "site").rglob("*")} == mtimes
    assert sorted(p.name for p in tmp_path.iterdir()) == BESIDE


def test_output_inside_content_is_refused(tmp_path: Path) -> None:
    write_files(tmp_path / "content", GOOD)
    result = run_cli("build", "--out", "content/site", cwd=tmp_path)
    assert result.returncode == 1
    assert "must not contain each other" in result.stderr


def start_build(cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "paperdigest", "build", "--content", str(REPO / "content")],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_staging(cwd: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not (cwd / CHANGING).exists():
        assert process.poll() is None, "the build ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)


def children_of(pid: int) -> list[int]:
    """The processes `pid` started."""
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def wait_until_gone(pids: list[int], timeout: float = 60) -> None:
    """Wait until none of these processes runs any more; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while running := [pid for pid in pids if is_running(pid)]:
        assert time.monotonic() < deadline, f"still running after their parent: {running}"
        time.sleep(0.01)


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.parametrize(
    ("signum", "returncode"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 130), (signal.SIGKILL, -signal.SIGKILL)],
)
def test_an_interrupted_or_killed_build_leaves_the_previous_site(
    tmp_path: Path, signum: int, returncode: int
) -> None:
    write_files(tmp_path / "content", GOOD)
    assert run_cli("build", "--no-search", cwd=tmp_path).returncode == 0
    before = every_file(tmp_path / "site")
    process = start_build(tmp_path)
    wait_for_staging(tmp_path, process)
    children = children_of(process.pid)  # render workers and Pagefind services
    assert children, "the build renders in worker processes"
    os.kill(process.pid, signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == returncode, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
    wait_until_gone(children)
    assert every_file(tmp_path / "site") == before
    if signum != signal.SIGKILL:
        assert not (tmp_path / CHANGING).exists(), "a clean stop leaves the spare consistent"
    # The next build clears whatever a killed one left behind, and succeeds.
    assert run_cli("build", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == BESIDE


@settings(max_examples=300)
@given(st.text())
def test_the_parser_raises_only_its_own_errors_on_any_text(text: str) -> None:
    with contextlib.suppress(ContentError, ContentErrors):
        parse_dump_text("x.txt", text)


@settings(max_examples=300)
@given(st.binary())
def test_decoding_any_bytes_raises_only_its_own_errors(data: bytes) -> None:
    with contextlib.suppress(PaperdigestError):
        parse_dump_text("x.txt", decode("x.txt", data))


@settings(max_examples=100)
@given(st.lists(st.sampled_from(["Mar 14", "", " ", "Title", "x" * 400, "\t", "Feb 30", "new"])))
def test_the_parser_survives_shuffled_lines_of_the_format(lines: list[str]) -> None:
    try:
        digest, _ = parse_dump_text("x.txt", "\n".join(lines))
    except (ContentError, ContentErrors):
        return
    assert all(entry.title and entry.abstract for entry in digest.entries)


def processes_in(folder: Path) -> list[int]:
    """Processes whose working directory is `folder` (Pagefind runs where the build runs)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cwd").resolve() == folder.resolve():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def pagefind_in(folder: Path) -> list[int]:
    """Pagefind services running in `folder`."""
    found = []
    for pid in processes_in(folder):
        try:
            if b"--service" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def test_ctrl_c_while_indexing_stops_pagefind_and_keeps_the_site(tmp_path: Path) -> None:
    months = {
        f"2024-{month:02}-01.txt": digest_text(
            "Jan 1", *((f"Paper {month}-{n}", f"Abstract {n} " * 50) for n in range(40))
        )
        for month in range(1, 13)
    }
    write_files(tmp_path / "content", months)
    assert run_cli("build", "--no-search", cwd=tmp_path).returncode == 0
    before = every_file(tmp_path / "site")
    process = subprocess.Popen(
        [sys.executable, "-m", "paperdigest", "build"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not pagefind_in(tmp_path):  # the build has started indexing
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "interrupted; the output folder was left as it was" in stderr
    assert processes_in(tmp_path) == []
    assert every_file(tmp_path / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == BESIDE


def test_messages_show_control_bidi_and_separator_characters_escaped() -> None:
    error = ContentError("a\x1b[2J\x7f\x9b.txt", 3, "title 'x\u202ey\u2028z\u2066' \t!")
    assert str(error) == "a\\x1b[2J\\x7f\\x9b.txt:3: title 'x\\u202ey\\u2028z\\u2066' \\t!"
    family = "Ünïcödé 👩\u200d🔬 stays as it is"  # a zero-width joiner is not a control
    assert str(ContentError(family, 1, family)) == f"{family}:1: {family}"
