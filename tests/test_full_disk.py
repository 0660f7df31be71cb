"""A disk that fails: every write of a build fails in turn, then a real tmpfs fills up.

Each time the build must exit 1 with a message that names the path it could not write,
and the previous site must be exactly as it was; the next build with room must be right.
"""

from __future__ import annotations

import errno
import os
import pathlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import digest_text, every_file, write_files
from paperdigest.cli import main
from paperdigest.publish import swap

BEFORE = {
    "site.yml": "year: 2025\n",
    "2025-03-13.txt": digest_text("Mar 13", ("An Old Paper", "We study old words. They last.")),
}
AFTER = {
    **BEFORE,
    "2025-03-14.txt": digest_text(
        "Mar 14",
        ("A New Paper", "We propose new words. They work."),
        ("An Old Paper", "We study old words, revised. They last."),
    ),
    "2025-04-01.txt": digest_text("Apr 1", ("April Paper", "We read words of April. They rain.")),
}
CODES = (errno.ENOSPC, errno.EIO, errno.EACCES)


class Disk:
    """Watches the calls that change files under a folder; can make the Nth one fail."""

    def __init__(self, root: Path, fail_at: int | None = None, code: int = errno.ENOSPC):
        self.root = str(root)
        self.fail_at = fail_at
        self.code = code
        self.calls: list[tuple[str, str]] = []
        self.failed: str | None = None

    def touches(self, kind: str, path: str) -> None:
        """Count one call that changes `path`; raise if it is the one to fail."""
        if not path.startswith(self.root):
            return  # Pagefind's pipes, the interpreter's own files
        self.calls.append((kind, path))
        if len(self.calls) - 1 == self.fail_at:
            self.failed = path
            raise OSError(self.code, os.strerror(self.code), path)


@contextmanager
def watched(disk: Disk, monkeypatch: pytest.MonkeyPatch) -> Iterator[Disk]:
    """Route every file-changing call the build makes through `disk`."""

    def wrap(module: Any, name: str, path_of: Callable[..., str]) -> None:
        original = getattr(module, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            disk.touches(name, path_of(*args, **kwargs))
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, call)

    def fd_path(fd: int, *_: Any) -> str:
        try:
            return os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            return ""

    def opened(path: Any, flags: int, *_: Any, **__: Any) -> str:
        return os.fspath(path) if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) else ""

    wrap(os, "open", opened)
    wrap(os, "write", fd_path)
    wrap(os, "link", lambda source, target, *_, **__: os.fspath(target))
    wrap(os, "rename", lambda source, target, *_, **__: os.fspath(target))
    wrap(os, "replace", lambda source, target, *_, **__: os.fspath(target))
    wrap(os, "mkdir", lambda path, *_, **__: os.fspath(path))
    wrap(os, "unlink", lambda path, *_, **__: os.fspath(path))
    wrap(os, "rmdir", lambda path, *_, **__: os.fspath(path))
    wrap(pathlib.Path, "write_text", lambda self, *_, **__: str(self))
    wrap(pathlib.Path, "write_bytes", lambda self, *_, **__: str(self))
    wrap(swap, "_exchange", lambda a, b: os.fspath(b))
    yield disk


def build(root: Path, out: str = "site", *options: str) -> int:
    """`paperdigest build` of root/content into root/out, in this process."""
    return main(["build", "--content", str(root / "content"), "--out", str(root / out), *options])


def built_before(root: Path) -> None:
    """The previous site, built from BEFORE without search (so the next build writes the
    whole search bundle), its spare and cache beside it."""
    write_files(root / "content", BEFORE)
    assert build(root, "site", "--no-search") == 0
    write_files(root / "content", AFTER)


@pytest.fixture(scope="module")
def calls(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """Every file-changing call of the build from BEFORE to AFTER, in order."""
    root = tmp_path_factory.mktemp("count")
    built_before(root)
    with pytest.MonkeyPatch.context() as patch, watched(Disk(root), patch) as disk:
        assert build(root) == 0
    return disk.calls


@pytest.mark.slow
def test_the_build_writes_the_pages_and_the_search_bundle_through_watched_calls(
    calls: list[tuple[str, str]],
) -> None:
    written = {Path(path).name for kind, path in calls if kind == "write"}
    assert "pagefind-ui.js" in written and "wasm.en.pagefind" in written  # Pagefind's files
    assert "index.html" in written and "feed.xml" in written


@pytest.mark.slow
def test_every_write_failing_in_turn_leaves_the_previous_site(
    calls: list[tuple[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    template = tmp_path_factory.mktemp("before")
    built_before(template)
    failed = 0
    for index, (kind, path) in enumerate(calls):
        root = tmp_path_factory.mktemp(f"fail-{index}")
        shutil.copytree(template, root, dirs_exist_ok=True, symlinks=True)
        before = every_file(root / "site")
        code = CODES[index % len(CODES)]
        disk = Disk(root, fail_at=index, code=code)
        capsys.readouterr()
        with monkeypatch.context() as patch, watched(disk, patch):
            status = main(
                ["build", "--content", str(root / "content"), "--out", str(root / "site")]
            )
        err = capsys.readouterr().err
        where = f"call {index} ({kind} {path})"
        assert disk.failed is not None, where
        assert "Traceback" not in err and "bug in paperdigest" not in err, where
        shown = disk.failed.replace(str(root) + "/", "")
        if status == 0:  # a failure the build could do without: the site must be right
            assert build(root, "cold") == 0
            assert every_file(root / "site") == every_file(root / "cold"), where
            if "/.site.cache/" in disk.failed:  # after the swap: only the cache is lost
                assert f"{shown}:1: warning: cannot save the parse cache" in err.replace(
                    str(root) + "/", ""
                ), where
            continue
        assert status == 1, where
        assert os.strerror(code) in err, where
        assert shown in err.replace(str(root) + "/", ""), (where, err)
        assert every_file(root / "site") == before, where
        # With the disk working again, the next build is right.
        assert build(root) == 0
        assert build(root, "cold") == 0
        assert every_file(root / "site") == every_file(root / "cold"), where
        failed += 1
    assert failed > len(calls) / 2  # most writes matter


UNSHARE = shutil.which("unshare")


def can_mount_a_tmpfs() -> bool:
    """Whether this machine lets a process mount a tmpfs in namespaces of its own."""
    if UNSHARE is None:
        return False
    probe = [UNSHARE, "--user", "--map-root-user", "--mount", "sh", "-c",
             "mount -t tmpfs -o size=1m tmpfs /mnt"]  # fmt: skip
    return subprocess.run(probe, capture_output=True).returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not can_mount_a_tmpfs(), reason="cannot mount a tmpfs in a user namespace")
def test_a_really_full_disk_fails_the_build_and_keeps_the_site(tmp_path: Path) -> None:
    # A tmpfs of its own, in a user and mount namespace, so no privileges are needed.
    script = tmp_path / "fill.py"
    script.write_text(FILL.format(repo=repr(str(Path(__file__).parents[1]))))
    result = subprocess.run(
        [UNSHARE, "--user", "--map-root-user", "--mount", sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "full: exit 1" in result.stdout, result.stdout
    assert "No space left on device" in result.stdout
    assert "site unchanged: yes" in result.stdout
    assert "check after a build with room: 0" in result.stdout
    assert "equal to a cold build: yes" in result.stdout


FILL = """
import os, shutil, subprocess, sys
from pathlib import Path
content, disk = Path("content"), Path("disk")
shutil.copytree(Path({repo}) / "content", content)
later = {{p: p.read_bytes() for p in sorted(content.glob("00[34]_*.txt"))}}
for path in later:
    path.unlink()
disk.mkdir()
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk)], check=True)
def build(out):
    command = [sys.executable, "-m", "paperdigest", "build", "--content", "content", "--out", out]
    return subprocess.run(command, capture_output=True, text=True)
def files(folder):
    return {{p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}}
def resize(size):
    subprocess.run(["mount", "-o", f"remount,size={{size}}", str(disk)], check=True)
assert build("disk/site").returncode == 0
before = files(disk / "site")
stat = os.statvfs(disk)
resize((stat.f_blocks - stat.f_bfree) * stat.f_frsize + 700_000)  # about 700 KB free
for path, data in later.items():
    path.write_bytes(data)
full = build("disk/site")
print("full: exit", full.returncode)
print(full.stderr)
print("site unchanged:", "yes" if files(disk / "site") == before else "no")
resize("256m")
again = build("disk/site")
assert again.returncode == 0, again.stderr
check = subprocess.run([sys.executable, "-m", "paperdigest", "check", "--site", "disk/site"],
                       capture_output=True, text=True)
print("check after a build with room:", check.returncode, check.stdout, check.stderr)
assert build("cold").returncode == 0
print("equal to a cold build:", "yes" if files(disk / "site") == files(Path("cold")) else "no")
"""


def test_a_search_file_cut_short_or_emptied_since_the_build_is_written_again(
    tmp_path: Path,
) -> None:
    write_files(tmp_path / "content", AFTER)
    assert build(tmp_path) == 0
    assert build(tmp_path, "cold") == 0
    site = tmp_path / "site"
    ui, wasm = site / "pagefind/pagefind-ui.js", site / "pagefind/wasm.unknown.pagefind"
    ui.write_bytes(ui.read_bytes()[:1000])
    wasm.write_bytes(b"")  # both also cut the spare's copy, a hard link of the same file
    assert build(tmp_path) == 0
    assert every_file(site) == every_file(tmp_path / "cold")


def test_a_live_file_cut_short_is_not_linked_into_the_next_site(tmp_path: Path) -> None:
    write_files(tmp_path / "content", BEFORE)
    assert build(tmp_path, "site", "--no-search") == 0
    write_files(tmp_path / "content", AFTER)
    assert build(tmp_path, "site", "--no-search") == 0  # the spare now holds BEFORE's pages
    page = next((tmp_path / "site/papers").glob("an-old-paper-*/index.html"))
    page.write_bytes(page.read_bytes()[:100])  # a page the previous build changed
    assert build(tmp_path, "site", "--no-search") == 0
    assert build(tmp_path, "cold", "--no-search") == 0
    assert every_file(tmp_path / "site") == every_file(tmp_path / "cold")
