"""The site writer: atomic swaps, only changed files written, failures leave the site alone."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import every_file
from paperdigest.errors import BuildError
from paperdigest.publish.manifest import MANIFEST, Manifest
from paperdigest.publish.writer import SiteWriter, check_site_path

BASE = "http://localhost:8000/"


def tree(folder: Path) -> dict[str, bytes]:
    """The site's files without the manifest."""
    return {path: data for path, data in every_file(folder).items() if ".paperdigest" not in path}


def build_site(out: Path, files: dict[str, bytes]) -> SiteWriter:
    writer = SiteWriter(out)
    for path, data in files.items():
        writer.write(path, data)
    writer.commit(BASE)
    return writer


@pytest.mark.parametrize(
    "path",
    ["", "../x", "a/../../x", "/etc/passwd", "a//b", "./a", "a\\b", "a/./b", "x\0y", "a/",
     ".paperdigest-manifest.json"],
)  # fmt: skip
def test_paths_that_could_escape_the_site_are_refused(path: str) -> None:
    with pytest.raises(BuildError):
        check_site_path(path)


def test_plain_paths_are_fine() -> None:
    assert check_site_path("papers/x-1/index.html") == "papers/x-1/index.html"


def test_each_build_swaps_in_a_whole_new_tree(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(out, {"index.html": b"one", "a/b.html": b"b"})
    assert tree(out) == {"index.html": b"one", "a/b.html": b"b"}
    build_site(out, {"index.html": b"two", "c.html": b"c"})
    assert tree(out) == {"index.html": b"two", "c.html": b"c"}
    assert not (out / "a").exists()  # folders emptied by the new build go too
    build_site(out, {"index.html": b"three", "c.html": b"c"})
    assert tree(out) == {"index.html": b"three", "c.html": b"c"}
    assert Manifest.read(out).files.keys() == {"index.html", "c.html"}


def test_a_web_server_running_as_another_user_can_read_the_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    previous = os.umask(0o022)
    try:
        build_site(out, {"index.html": b"one", "papers/x/index.html": b"x" * 100_000})
    finally:
        os.umask(previous)
    assert (out / "papers/x/index.html").read_bytes() == b"x" * 100_000
    for path in [out, out / "papers", out / "papers/x"]:
        assert path.stat().st_mode & 0o777 == 0o755
    for path in [out / "index.html", out / "papers/x/index.html"]:
        assert path.stat().st_mode & 0o777 == 0o644


def test_abort_leaves_the_live_site_and_the_next_build_is_right(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(out, {"index.html": b"one", "keep.html": b"k"})
    before = tree(out)
    writer = SiteWriter(out)
    writer.write("index.html", b"half-built")
    writer.write("new.html", b"new")
    writer.abort()
    assert tree(out) == before
    build_site(out, {"index.html": b"one", "other.html": b"o"})
    assert tree(out) == {"index.html": b"one", "other.html": b"o"}


def test_a_build_killed_mid_way_is_repaired_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(out, {"index.html": b"one", "keep.html": b"k"})
    writer = SiteWriter(out)
    writer.write("index.html", b"half-built")
    writer.write("stray.html", b"never recorded")
    writer._lock.close()  # the process dies here: no abort, no commit
    build_site(out, {"index.html": b"two", "keep.html": b"k"})
    assert tree(out) == {"index.html": b"two", "keep.html": b"k"}


def test_unchanged_files_keep_their_mtime_and_inode(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(out, {"same.html": b"same", "changed.html": b"v1"})
    build_site(out, {"same.html": b"same", "changed.html": b"v2"})
    old = 1_000_000_000
    os.utime(out / "same.html", (old, old))
    inode = (out / "same.html").stat().st_ino
    writer = build_site(out, {"same.html": b"same", "changed.html": b"v3"})
    assert (out / "same.html").stat().st_mtime == old
    assert (out / "same.html").stat().st_ino == inode
    assert (out / "changed.html").read_bytes() == b"v3"
    assert writer.reused == 1


def test_updating_the_spare_never_writes_through_to_the_live_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(out, {"a.html": b"v1"})
    writer = SiteWriter(out)  # the spare's a.html is a hard link to the live one
    writer.write("a.html", b"v2")
    assert (out / "a.html").read_bytes() == b"v1"
    writer.commit(BASE)
    assert (out / "a.html").read_bytes() == b"v2"


def test_keep_takes_the_live_file_and_input_keys_are_remembered(tmp_path: Path) -> None:
    out = tmp_path / "site"
    writer = SiteWriter(out)
    assert not writer.unchanged("page:x", "k1")
    writer.write("x.html", b"x")
    writer.commit(BASE)
    writer = SiteWriter(out)
    assert writer.unchanged("page:x", "k1")
    assert writer.keep_intact(["x.html"])
    writer.commit(BASE)
    assert tree(out) == {"x.html": b"x"}
    assert Manifest.read(out).keys == {"page:x": "k1"}


def test_a_kept_file_is_the_live_version_even_when_the_spare_holds_an_older_one(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    build_site(out, {"x.html": b"v1", "y.html": b"y1"})
    build_site(out, {"x.html": b"v2", "y.html": b"y1"})  # the spare now holds x v1
    writer = SiteWriter(out)
    assert writer.keep_intact(["x.html"])
    writer.write("y.html", b"y2")
    writer.commit(BASE)
    assert tree(out) == {"x.html": b"v2", "y.html": b"y2"}
    assert writer.reused == 1


def test_files_are_kept_all_or_none(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(out, {"pagefind/a.pf": b"aa", "pagefind/b.pf": b"bb", "c.html": b"c"})
    (out / "pagefind/b.pf").write_bytes(b"b")  # a search file lost its bytes
    writer = SiteWriter(out)
    assert writer.live_files("pagefind") == ["pagefind/a.pf", "pagefind/b.pf"]
    assert not writer.keep_intact(["pagefind/a.pf", "pagefind/b.pf"])
    assert not writer.keep_intact(["gone.html"])
    assert writer.keep_intact(["c.html"])
    writer.write("pagefind/a.pf", b"aa")
    writer.write("pagefind/b.pf", b"bb")
    writer.commit(BASE)
    assert tree(out) == {"pagefind/a.pf": b"aa", "pagefind/b.pf": b"bb", "c.html": b"c"}


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path: Path) -> None:
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "notes.txt").write_text("mine")
    with pytest.raises(BuildError, match="not built by paperdigest"):
        SiteWriter(tmp_path / "precious")
    assert (tmp_path / "precious" / "notes.txt").read_text() == "mine"


def test_an_empty_folder_may_be_replaced(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    build_site(tmp_path / "site", {"index.html": b"x"})
    assert (tmp_path / "site" / MANIFEST).is_file()


def test_two_pages_for_one_path_are_refused(tmp_path: Path) -> None:
    writer = SiteWriter(tmp_path / "site")
    writer.write("papers/x/index.html", b"a")
    with pytest.raises(BuildError, match="two pages would be written to papers/x/index.html"):
        writer.write("papers/x/index.html", b"b")
    writer.abort()


def test_a_swap_interrupted_without_atomic_exchange_is_undone(tmp_path: Path) -> None:
    out = tmp_path / "site"
    old = tmp_path / ".site.old"
    old.mkdir()
    (old / "index.html").write_text("published")
    from paperdigest.publish.swap import recover_interrupted_swap

    recover_interrupted_swap(out)
    assert (out / "index.html").read_text() == "published"
    assert not old.exists()


def test_a_site_from_an_older_manifest_format_is_still_ours_and_fully_rebuilt(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("old")
    (out / MANIFEST).write_text('{"generator": "paperdigest", "files": ["a different format"]}')
    (out / "gone.html").write_text("a page the new version no longer makes")
    build_site(out, {"index.html": b"new"})
    assert tree(out) == {"index.html": b"new"}
    # The old tree is now the spare; its files must not come back in later builds.
    build_site(out, {"index.html": b"newer"})
    assert tree(out) == {"index.html": b"newer"}
    build_site(out, {"index.html": b"newest"})
    assert tree(out) == {"index.html": b"newest"}


def test_the_manifest_is_plain_sorted_json_that_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "site"
    writer = SiteWriter(out)
    writer.unchanged('page:\x1f"\\é', "k2")  # an output id is any text: escapes and all
    writer.unchanged("page:a", "k1")
    for path, data in {"papers/é-😀.html": b"x", "a.html": b"", 'q"x.html': b"yy"}.items():
        writer.write(path, data)
    writer.commit(BASE)
    text = (out / MANIFEST).read_bytes()
    data = json.loads(text)
    # What the standard library writes: compact, sorted at every level, UTF-8, one line.
    assert (
        text
        == (
            json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
        ).encode()
    )
    assert data["sizes"] == {"papers/é-😀.html": 1, "a.html": 0, 'q"x.html': 2}
    manifest = Manifest.read(out)
    assert manifest is not None
    assert (manifest.files, manifest.sizes) == (writer.files, writer.sizes)
    assert manifest.keys == {'page:\x1f"\\é': "k2", "page:a": "k1"}


def test_a_manifest_that_is_not_json_is_not_ours(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_bytes(b'{"generator": "paperdigest", \xff')
    assert Manifest.read(tmp_path) is None


def test_the_published_size_leaves_out_what_pages_leaves_out(tmp_path: Path) -> None:
    files = {
        "a.html": b"abc",
        ".nojekyll": b"12345",
        "x/.well/y": b"1234567",
        "x/y.z.html": b"1" * 11,
        ".both/.hidden": b"12",  # hidden twice over, left out once
    }
    writer = build_site(tmp_path / "site", files)
    assert writer.published_bytes() == 3 + 11


@pytest.mark.parametrize(
    "files, keys, sizes",
    [
        ({"a.html": "h"}, {"page:a": "k"}, {"a.html": "1"}),  # a size that is text
        ({"a.html": "h"}, {"page:a": "k"}, {"a.html": True}),  # or a truth value
        ({"a.html": 7}, {"page:a": "k"}, {"a.html": 1}),  # a hash that is a number
        ({"a.html": "h"}, {"page:a": None}, {"a.html": 1}),  # a key that is nothing
        ({"a.html": "h"}, {"page:a": "k"}, {"b.html": 1}),  # sizes of other files
    ],
)
def test_a_manifest_with_values_of_the_wrong_kind_lists_nothing(
    tmp_path: Path, files: dict[str, object], keys: dict[str, object], sizes: dict[str, object]
) -> None:
    data = {"generator": "paperdigest", "files": files, "keys": keys, "sizes": sizes}
    (tmp_path / MANIFEST).write_text(json.dumps(data))
    manifest = Manifest.read(tmp_path)
    assert manifest is not None and not manifest.complete
    assert (manifest.files, manifest.keys, manifest.sizes) == ({}, {}, {})
    good = {**data, "files": {"a.html": "h"}, "keys": {"page:a": "k"}, "sizes": {"a.html": 1}}
    (tmp_path / MANIFEST).write_text(json.dumps(good))
    manifest = Manifest.read(tmp_path)
    assert manifest is not None and manifest.complete and manifest.sizes == {"a.html": 1}
