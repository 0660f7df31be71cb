"""Finding content files and reading each with its reader, every problem collected."""

from __future__ import annotations

from pathlib import Path

from conftest import digest_text, read_folder
from paperdigest.read.files import find_content_files

SEED = digest_text(
    "Mar 14",
    ("A* Search Without Expansions", "We search. It works."),
    ("Second Paper", "Its abstract."),
)


def test_find_digests_is_recursive_sorted_and_skips_dotfiles(tmp_path: Path) -> None:
    names = ["b.txt", "a/z.txt", "a/B.TXT", ".hidden/x.txt", ".x.txt", "notes.md", "site.yml"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert find_content_files(tmp_path) == (["a/B.TXT", "a/z.txt", "b.txt"], ["notes.md"])


def test_files_that_are_not_digests_are_named_in_a_warning(tmp_path: Path) -> None:
    (tmp_path / "2025-03-14.txt").write_text(SEED)
    (tmp_path / "2025-03-15.md").write_text(SEED)
    files, warnings, _ = read_folder(tmp_path)
    assert len(files) == 1
    assert [str(w) for w in warnings] == [
        f"{tmp_path}/2025-03-15.md:1: warning: not a digest "
        "(only *.txt, *.json and *.json.gz files are read); ignored"
    ]


def test_read_digests_collects_problems_from_every_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Mar 14\n\nT\n")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe")
    (tmp_path / "c.txt").write_text(SEED)
    files, _, errors = read_folder(tmp_path)
    assert [f.path for f in files] == [f"{tmp_path}/c.txt"]
    assert [str(e) for e in errors] == [
        f"{tmp_path}/a.txt:3: the title 'T' has no abstract",
        f"{tmp_path}/b.txt:1: the file is UTF-16 text; save it as UTF-8",
    ]
