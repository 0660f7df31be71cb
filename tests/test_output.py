"""Atomic output: staging beside the target, swap on success, nothing touched on failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paperdigest.errors import BuildError
from paperdigest.output import MANIFEST, SiteWriter, check_site_path, recover_interrupted_swap


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize(
    "path",
    ["", "../x", "a/../../x", "/etc/passwd", "a//b", "./a", "a\\b", "a/./b", "x\0y", "a/"],
)
def test_paths_that_could_escape_the_site_are_refused(path: str) -> None:
    with pytest.raises(BuildError):
        check_site_path(path)


def test_plain_paths_are_fine() -> None:
    assert check_site_path("papers/x-1/index.html") == "papers/x-1/index.html"


def test_commit_swaps_in_a_new_site_and_abort_leaves_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = SiteWriter(out)
    first.write("index.html", b"one")
    first.commit("http://localhost:8000/")
    before = tree(out)

    second = SiteWriter(out)
    second.write("index.html", b"two")
    second.write("other.html", b"new")
    second.abort()
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folder left

    third = SiteWriter(out)
    third.write("index.html", b"three")
    third.commit("http://localhost:8000/")
    assert tree(out)["index.html"] == b"three"
    assert "other.html" not in tree(out)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_unchanged_files_keep_their_mtime(tmp_path: Path) -> None:
    out = tmp_path / "site"
    writer = SiteWriter(out)
    writer.write("same.html", b"same")
    writer.write("changed.html", b"v1")
    writer.commit("http://localhost:8000/")
    old = 1_000_000_000
    os.utime(out / "same.html", (old, old))
    os.utime(out / "changed.html", (old, old))
    writer = SiteWriter(out)
    writer.write("same.html", b"same")
    writer.write("changed.html", b"v2")
    writer.commit("http://localhost:8000/")
    assert (out / "same.html").stat().st_mtime == old
    assert (out / "changed.html").stat().st_mtime != old
    assert writer.reused == 1


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path: Path) -> None:
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "notes.txt").write_text("mine")
    with pytest.raises(BuildError, match="not built by paperdigest"):
        SiteWriter(tmp_path / "precious")
    assert (tmp_path / "precious" / "notes.txt").read_text() == "mine"


def test_an_empty_folder_may_be_replaced(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    writer = SiteWriter(tmp_path / "site")
    writer.write("index.html", b"x")
    writer.commit("http://localhost:8000/")
    assert (tmp_path / "site" / MANIFEST).is_file()


def test_two_pages_for_one_path_are_refused(tmp_path: Path) -> None:
    writer = SiteWriter(tmp_path / "site")
    writer.write("papers/x/index.html", b"a")
    with pytest.raises(BuildError, match="two pages would be written to papers/x/index.html"):
        writer.write("papers/x/index.html", b"b")
    writer.abort()


def test_a_swap_killed_between_renames_is_undone(tmp_path: Path) -> None:
    out = tmp_path / "site"
    old = tmp_path / ".site.old-12345"
    old.mkdir()
    (old / "index.html").write_text("published")
    stale = tmp_path / ".site.building-999999999-abc"
    stale.mkdir()
    recover_interrupted_swap(out)
    assert (out / "index.html").read_text() == "published"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
